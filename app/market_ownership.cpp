#include "app/market_ownership.hpp"

#include <signal.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <climits>

#include "logs/event.hpp"
#include "persistence/database.hpp"
#include "persistence/market_lease.hpp"

namespace lastcall::app {

namespace {

using steady = std::chrono::steady_clock;

int64_t nanoseconds(steady::time_point t) {
  if (t == steady::time_point::max()) return INT64_MAX;
  if (t == steady::time_point::min()) return 0;
  return std::chrono::duration_cast<std::chrono::nanoseconds>(t.time_since_epoch()).count();
}

// "<node>/<pid>" names a process on this machine that no longer runs: its lease can be taken
// at once. A pid still in use, by anything, means waiting for the expiry.
bool gone_from_this_machine(const std::string& holder, const std::string& node) {
  const auto slash = holder.rfind('/');
  if (slash == std::string::npos || holder.compare(0, slash, node) != 0 || slash != node.size())
    return false;
  try {
    const long pid = std::stol(holder.substr(slash + 1));
    if (pid <= 0 || pid == static_cast<long>(::getpid())) return false;
    return ::kill(static_cast<pid_t>(pid), 0) != 0 && errno == ESRCH;
  } catch (const std::exception&) {
    return false;
  }
}

}  // namespace

std::string default_node_name() {
  char name[256] = {};
  if (::gethostname(name, sizeof name - 1) != 0 || name[0] == '\0') return "lastcall";
  return name;
}

market_ownership::market_ownership(options opts)
    : options_(std::move(opts)),
      holder_(options_.node_name + "/" + std::to_string(static_cast<long>(::getpid()))),
      term_(options_.lease) {}

market_ownership::~market_ownership() {
  {
    std::lock_guard<std::mutex> guard(mutex_);
    stopping_ = true;
  }
  wake_.notify_all();
  if (keeper_.joinable()) keeper_.join();
}

pqxx::connection& market_ownership::connection() {
  if (!connection_ || !connection_->is_open())
    connection_ = persistence::connect(options_.database_url);
  return *connection_;
}

// A standby's look costs the database three one-row statements, so it may look often: a released
// lease is taken within a quarter of a second, an expired one within that of its expiry.
std::chrono::milliseconds market_ownership::standby_poll() const {
  return std::clamp(options_.lease / 5, std::chrono::milliseconds(50),
                    std::chrono::milliseconds(250));
}

std::optional<int64_t> market_ownership::try_to_take() {
  try {
    auto& db = connection();
    persistence::note_standby(db, holder_);
    const auto current = persistence::read_lease(db);
    const bool gone =
        !current.expired && gone_from_this_machine(current.holder, options_.node_name);
    const auto asked_at = steady::now();
    const auto grant = persistence::take_lease(db, holder_, options_.lease, gone, current.holder);
    if (!grant) return std::nullopt;
    std::lock_guard<std::mutex> guard(mutex_);
    term_ = domain::lease_term(options_.lease);
    term_.granted(asked_at, grant->standbys);
    epoch_ = grant->epoch;
    standbys_ = grant->standbys;
    role_ = market_role::owner;
    publish();
    logs::info(logs::event("lease", "taken"),
               "this node ({}) owns the market under epoch {}{}; {} standby nodes known", holder_,
               grant->epoch, gone ? ", its previous holder on this machine having stopped" : "",
               grant->standbys);
    return grant->epoch;
  } catch (const std::exception& e) {
    connection_.reset();
    logs::debug(logs::event("lease", "take_failed"), "could not try the lease: {}", e.what());
    return std::nullopt;
  }
}

void market_ownership::keep(std::function<void()> on_lost) {
  if (keeper_.joinable()) keeper_.join();
  {
    std::lock_guard<std::mutex> guard(mutex_);
    stopping_ = false;
    on_lost_ = std::move(on_lost);
  }
  keeper_ = std::thread([this] { renew_loop(); });
}

void market_ownership::renew_loop() {
  bool failing = false;
  std::unique_lock<std::mutex> lock(mutex_);
  while (!stopping_ && term_.held()) {
    wake_.wait_for(lock, term_.renew_every(), [this] { return stopping_; });
    if (stopping_ || !term_.held()) break;
    const int64_t epoch = epoch_;
    lock.unlock();
    const auto asked_at = steady::now();
    std::optional<int> standbys;
    bool reached = true;
    try {
      standbys = persistence::renew_lease(connection(), epoch, options_.lease, holder_);
    } catch (const std::exception& e) {
      reached = false;
      connection_.reset();
      if (!failing)
        logs::warn(logs::event("lease", "renew_failed"),
                   "could not renew the market's lease (this node stops acting when it runs out "
                   "unless no standby is known): {}",
                   e.what());
      failing = true;
    }
    lock.lock();
    if (!reached) continue;
    if (failing) logs::info(logs::event("lease", "renewed_again"), "the lease is renewed again");
    failing = false;
    if (!standbys) {
      lock.unlock();
      lost();
      lock.lock();
      break;
    }
    term_.granted(asked_at, *standbys);
    ++renewals_;
    standbys_ = *standbys;
    publish();
  }
}

void market_ownership::publish() {
  acts_until_ = nanoseconds(term_.acts_until());
  rides_out_ = term_.held() && term_.standbys() == 0;
}

std::function<void()> market_ownership::step_down() {
  term_.lost();
  publish();
  role_ = market_role::standby;
  stopping_ = true;
  auto notify = std::move(on_lost_);
  on_lost_ = nullptr;
  return notify;
}

void market_ownership::lost() {
  std::function<void()> notify;
  {
    std::lock_guard<std::mutex> guard(mutex_);
    if (!term_.held()) return;
    notify = step_down();
  }
  wake_.notify_all();
  logs::warn(logs::event("lease", "lost"),
             "another node took the market over (epoch {} ended): this node stops acting and "
             "becomes a standby",
             epoch_.load());
  if (notify) notify();
}

void market_ownership::release() {
  {
    std::lock_guard<std::mutex> guard(mutex_);
    stopping_ = true;
  }
  wake_.notify_all();
  if (keeper_.joinable() && keeper_.get_id() != std::this_thread::get_id()) keeper_.join();
  std::lock_guard<std::mutex> guard(mutex_);
  const bool held = term_.held();
  step_down();  // a lease given up is not lost: nobody is told
  if (!held) return;
  try {
    persistence::release_lease(connection(), epoch_);
    logs::info(logs::event("lease", "released"), "the market's lease (epoch {}) is released",
               epoch_.load());
  } catch (const std::exception& e) {
    connection_.reset();
    logs::warn(logs::event("lease", "release_failed"),
               "could not release the lease; a standby takes over when it expires: {}", e.what());
  }
}

void market_ownership::forget_standby() {
  try {
    persistence::forget_standby(connection(), holder_);
  } catch (const std::exception&) {
    // A standby that is gone is forgotten by age as well.
  }
}

bool market_ownership::may_act() const {
  return nanoseconds(steady::now()) < acts_until_.load(std::memory_order_relaxed);
}

bool market_ownership::rides_out_outages() const {
  return rides_out_.load();
}

}  // namespace lastcall::app
