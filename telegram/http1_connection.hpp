#pragma once
// One kept-alive HTTP/1.1 connection to the Bot API carrying calls one after another, several on
// the wire at once when the server has shown it keeps connections (pipelining): their requests go
// out in one write and their answers come back in order, often in one read. Whatever ends the
// connection, each call still on it is told apart as never sent (safe to send again) or sent and
// unanswered (Telegram may have acted on it).

#include <sys/epoll.h>

#include <chrono>
#include <cstdint>
#include <deque>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "telegram/byte_stream.hpp"
#include "telegram/http1_response_reader.hpp"
#include "telegram/pending_call.hpp"

namespace lastcall::telegram {

struct answered_call {
  pending_call call;
  http1_response response;
};

// What was on a connection when it ended.
struct stranded_calls {
  std::deque<pending_call> unsent;  // never wholly written, or refused by the server's close
  std::deque<pending_call> sent;    // written, no answer: may have been acted on
  // The server closed a kept-alive connection before answering anything sent on it, as servers do
  // with connections idle too long: nothing on it reached the server's handler.
  bool closed_while_idle = false;
  std::string why;  // without anything the server sent
};

class http1_connection {
 public:
  enum class phase { connecting, opening, open, ended };

  // Takes the socket of a connect() in progress.
  http1_connection(int fd, std::unique_ptr<byte_stream> stream, std::string request_prefix,
                   std::string host_header, std::chrono::steady_clock::time_point open_by);
  ~http1_connection();
  http1_connection(const http1_connection&) = delete;
  http1_connection& operator=(const http1_connection&) = delete;

  int fd() const { return fd_; }
  phase state() const { return phase_; }
  size_t carrying() const { return calls_.size(); }
  // Whether a call may join calls already on it: the server answered one without closing, and no
  // call that must be alone is on it.
  bool takes_more() const { return answers_ > 0 && !alone_ && phase_ != phase::ended; }
  bool takes_alone() const { return calls_.empty() && phase_ != phase::ended; }
  bool past_open_deadline(std::chrono::steady_clock::time_point now) const {
    return phase_ != phase::open && phase_ != phase::ended && now >= open_by_;
  }
  // The earliest deadline it keeps: its calls', and its own to open; none when idle and open.
  std::optional<std::chrono::steady_clock::time_point> next_deadline() const;

  // The call's request is queued; it goes out with the next flush().
  void add(pending_call call);
  // Writes what it can without blocking. False when the connection has ended.
  bool flush();
  // epoll's readiness: reads and writes what it can, appending the calls answered to `answered`.
  // False when the connection has ended.
  bool on_ready(uint32_t events, std::vector<answered_call>& answered, std::vector<char>& scratch);
  uint32_t wanted_events() const;

  // Whether it ever became ready for requests (connected, and through its TLS handshake).
  bool opened() const { return opened_; }
  // Ends the connection, unless it has ended already (and knows why).
  void give_up(std::string why) { fail(std::move(why)); }
  // Once ended: hands over the calls still on it.
  stranded_calls take_stranded();

 private:
  struct on_wire {
    pending_call call;
    uint64_t ends_at;  // the offset in the connection's output just past this call's request
  };

  bool fail(std::string why);
  bool wait_for(stream_status status);
  bool finish_connect();
  bool open_stream();
  bool read_answers(std::vector<answered_call>& answered, std::vector<char>& scratch);
  bool take_answers(std::vector<http1_response>& responses, std::vector<answered_call>& answered);

  int fd_;
  std::unique_ptr<byte_stream> stream_;
  const std::string request_prefix_;  // "POST /bot<token>/": holds the token, never logged
  const std::string host_header_;
  const std::chrono::steady_clock::time_point open_by_;
  phase phase_ = phase::connecting;
  bool wants_write_for_read_ = false;  // TLS: a read waits for the socket to take a write
  bool alone_ = false;
  std::deque<on_wire> calls_;
  std::string output_;
  size_t output_sent_ = 0;  // of output_
  uint64_t written_ = 0;    // in all, since the connection opened
  uint64_t answers_ = 0;
  bool server_closes_ = false;  // the last answer said the server ends the connection
  bool closed_while_idle_ = false;
  bool opened_ = false;
  http1_response_reader reader_;
  std::string ended_why_;
};

}  // namespace lastcall::telegram
