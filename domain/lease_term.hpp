#pragma once
// Until when a node may act as the market's owner (poll, answer webhooks, send), from what its
// lease renewals said. A standby may take the lease once the database's clock passes the expiry
// set by the last renewal, and the database ran that renewal after the owner asked for it, so an
// owner that stops at the time it asked plus the lease length, less a margin for clocks running at
// slightly different rates, stops before anyone can take over.
//
// An owner that saw no standby at its last renewal keeps acting through a database outage: no
// node it knows of can take over, and the bot keeps answering what needs nothing stored. Once a
// standby is seen the lease is strict.

#include <chrono>

namespace lastcall::domain {

class lease_term {
 public:
  using time_point = std::chrono::steady_clock::time_point;

  explicit lease_term(std::chrono::milliseconds length);

  // The database granted the lease (taken or renewed) on a request sent at `asked_at`; it knew of
  // `standbys` other nodes waiting.
  void granted(time_point asked_at, int standbys);
  // The lease belongs to another node now; this one never acts again under it.
  void lost();

  bool may_act(time_point now) const;
  // The last moment may_act is true (time_point::max() while riding out an outage alone).
  time_point acts_until() const;
  bool held() const { return granted_ && !lost_; }
  int standbys() const { return standbys_; }
  std::chrono::milliseconds length() const { return length_; }
  // How often to renew: often enough that two renewals may fail in a row before the term ends.
  std::chrono::milliseconds renew_every() const { return length_ / 4; }

 private:
  std::chrono::milliseconds length_;
  std::chrono::milliseconds margin_;
  time_point asked_at_{};
  int standbys_ = 0;
  bool granted_ = false;
  bool lost_ = false;
};

}  // namespace lastcall::domain
