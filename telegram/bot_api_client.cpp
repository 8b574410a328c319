#include "telegram/bot_api_client.hpp"

#include <netdb.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <pthread.h>
#include <sys/epoll.h>
#include <sys/eventfd.h>
#include <sys/socket.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <cctype>
#include <cerrno>
#include <chrono>
#include <cstring>
#include <deque>
#include <future>
#include <mutex>
#include <optional>
#include <stdexcept>
#include <thread>
#include <vector>

#include "logs/event.hpp"
#include "telegram/bot_api_endpoint.hpp"
#include "telegram/byte_stream.hpp"
#include "telegram/http1_connection.hpp"
#include "telegram/redact.hpp"

namespace lastcall::telegram {
namespace {

using steady = std::chrono::steady_clock;

// Calls waiting for a connection are checked for their deadline this often.
constexpr auto sweep_interval = std::chrono::milliseconds(100);
constexpr int max_events = 64;
// One read takes up to this much; a getUpdates answer of 100 updates fits a few reads.
constexpr size_t read_chunk = 64 * 1024;

const char* const shutting_down = "shutting down";
const char* const not_owner = "not sent: this node does not own the market now";

// Method names go into the URL path, so only Bot API-shaped names ("sendMessage") are accepted.
bool is_method_name(const std::string& method) {
  if (method.empty()) return false;
  for (char c : method) {
    if (!std::isalnum(static_cast<unsigned char>(c))) return false;
  }
  return true;
}

const char* outcome_name(api_result::outcome kind) {
  switch (kind) {
    case api_result::outcome::ok:
      return "ok";
    case api_result::outcome::api_error:
      return "api error";
    case api_result::outcome::transport_error:
      return "transport error";
  }
  return "?";
}

struct address {
  sockaddr_storage storage{};
  socklen_t length = 0;
  int family = AF_UNSPEC;
};

std::vector<address> addresses_of(const addrinfo* list) {
  std::vector<address> out;
  for (const addrinfo* a = list; a != nullptr; a = a->ai_next) {
    if (a->ai_addrlen > sizeof(sockaddr_storage)) continue;
    address one;
    std::memcpy(&one.storage, a->ai_addr, a->ai_addrlen);
    one.length = a->ai_addrlen;
    one.family = a->ai_family;
    out.push_back(one);
  }
  return out;
}

// getaddrinfo; `flags` AI_NUMERICHOST answers at once or not at all.
std::vector<address> look_up(const std::string& host, const std::string& port, int flags) {
  addrinfo hints{};
  hints.ai_family = AF_UNSPEC;
  hints.ai_socktype = SOCK_STREAM;
  hints.ai_flags = flags | AI_NUMERICSERV;
  addrinfo* list = nullptr;
  if (::getaddrinfo(host.c_str(), port.c_str(), &hints, &list) != 0) return {};
  std::vector<address> out = addresses_of(list);
  ::freeaddrinfo(list);
  return out;
}

bot_api_endpoint endpoint_of(const std::string& base_url) {
  std::string error;
  auto endpoint = parse_bot_api_endpoint(base_url, error);
  if (!endpoint) throw std::invalid_argument(error);
  return *endpoint;
}

}  // namespace

class bot_api_client::io_loop {
 public:
  explicit io_loop(options opts)
      : token_(std::move(opts.token)),
        endpoint_(endpoint_of(opts.base_url)),
        request_prefix_("POST " + endpoint_.path + "/bot" + token_ + "/"),
        connect_timeout_(std::chrono::milliseconds(std::max(1L, opts.connect_timeout_ms))),
        default_timeout_ms_(opts.default_timeout_ms),
        max_connections_(static_cast<size_t>(std::max(1L, opts.max_host_connections))),
        pipeline_depth_(static_cast<size_t>(std::max(1L, opts.pipeline_depth))),
        may_send_(std::move(opts.may_send)),
        scratch_(read_chunk) {
    if (endpoint_.tls) {
      std::string error;
      tls_ = make_tls_settings(opts.ca_file, error);
      if (!tls_) throw std::runtime_error(error);
    }
    addresses_ = look_up(endpoint_.host, endpoint_.port, AI_NUMERICHOST);
    numeric_host_ = !addresses_.empty();
    epoll_fd_ = epoll_create1(EPOLL_CLOEXEC);
    wake_fd_ = eventfd(0, EFD_NONBLOCK | EFD_CLOEXEC);
    if (epoll_fd_ < 0 || wake_fd_ < 0) {
      close_fds();
      throw std::runtime_error("epoll or eventfd could not be created");
    }
    epoll_event wake{};
    wake.events = EPOLLIN;
    wake.data.ptr = nullptr;
    epoll_ctl(epoll_fd_, EPOLL_CTL_ADD, wake_fd_, &wake);
    thread_ = std::thread([this] { run(); });
    pthread_setname_np(thread_.native_handle(), "bot-api-io");
  }

  ~io_loop() {
    {
      std::lock_guard<std::mutex> lock(mutex_);
      stopping_ = true;
    }
    wake();
    thread_.join();
    if (lookup_.valid()) lookup_.wait();
    connections_.clear();
    close_fds();
  }

  void submit(pending_call call) {
    bool taken = false;
    bool first = false;
    {
      std::lock_guard<std::mutex> lock(mutex_);
      if (!stopped_) {
        ++in_flight_;
        first = queue_.empty();
        queue_.push_back(std::move(call));
        taken = true;
      }
    }
    // The loop takes the whole queue each time it wakes, so only the first call of a burst wakes
    // it: the others find it awake or about to be.
    if (first) wake();
    // Only reachable while the client is being destroyed and the I/O thread is gone.
    if (!taken && call.done) call.done(transport_failure(shutting_down));
  }

  bool on_io_thread() const { return std::this_thread::get_id() == thread_.get_id(); }

  size_t in_flight() const { return in_flight_.load(); }

  long timeout_of(const call_options& options) const {
    return options.timeout_ms > 0 ? options.timeout_ms : default_timeout_ms_;
  }

 private:
  // A connection and what epoll watches on it for now.
  struct slot {
    std::unique_ptr<http1_connection> connection;
    uint32_t registered = 0;
  };

  void wake() {
    const uint64_t one = 1;
    // A full counter (never, in practice) still leaves the eventfd readable, which is all we need.
    [[maybe_unused]] auto written = ::write(wake_fd_, &one, sizeof one);
  }

  void close_fds() {
    if (epoll_fd_ >= 0) ::close(epoll_fd_);
    if (wake_fd_ >= 0) ::close(wake_fd_);
    epoll_fd_ = wake_fd_ = -1;
  }

  void run() {
    epoll_event events[max_events];
    std::vector<answered_call> answered;
    for (;;) {
      {
        std::lock_guard<std::mutex> lock(mutex_);
        if (stopping_) break;
        for (auto& call : queue_) waiting_.push_back(std::move(call));
        queue_.clear();
      }
      const auto now = steady::now();
      sweep(now);
      take_lookup();
      place_waiting(now);
      flush_and_watch();
      const int ready = epoll_wait(epoll_fd_, events, max_events, wait_ms());
      for (int i = 0; i < ready; ++i) {
        auto* s = static_cast<slot*>(events[i].data.ptr);
        if (s == nullptr) {
          uint64_t count = 0;
          [[maybe_unused]] auto read = ::read(wake_fd_, &count, sizeof count);
          continue;
        }
        if (!s->connection->on_ready(events[i].events, answered, scratch_)) ended_ = true;
      }
      settle(answered);
      if (ended_) end_connections(steady::now());
    }
    fail_everything_pending();
  }

  // Until the next deadline on a connection, or the next look at the waiting calls' deadlines;
  // forever when nothing is pending (a submission wakes the loop).
  int wait_ms() const {
    std::optional<steady::time_point> due;
    if (!waiting_.empty() || lookup_.valid()) due = next_sweep_;
    for (const auto& s : connections_) {
      if (auto deadline = s->connection->next_deadline(); deadline && (!due || *deadline < *due))
        due = deadline;
    }
    if (!due) return -1;
    const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(
        *due - steady::now() + std::chrono::microseconds(999));
    return static_cast<int>(std::clamp<long>(left.count(), 0, 60'000));
  }

  // Calls whose time is up fail; so do connections that take too long to open, or that carry a
  // call whose time is up (an HTTP/1.1 answer cannot be skipped, so such a connection is dropped).
  // Waiting calls are looked at every sweep_interval; connections, whose calls are few, each time.
  void sweep(steady::time_point now) {
    if (!waiting_.empty() && now >= next_sweep_) {
      next_sweep_ = now + sweep_interval;
      for (auto it = waiting_.begin(); it != waiting_.end();) {
        if (now >= it->deadline) {
          pending_call expired = std::move(*it);
          it = waiting_.erase(it);
          complete(expired, transport_failure("timed out waiting for a free connection"));
        } else {
          ++it;
        }
      }
    } else if (waiting_.empty()) {
      next_sweep_ = now + sweep_interval;
    }
    for (auto& s : connections_) {
      http1_connection& c = *s->connection;
      if (c.past_open_deadline(now)) {
        c.give_up("could not connect: timed out");
        ended_ = true;
      } else if (const auto due = c.next_deadline(); due && *due <= now) {
        c.give_up("timed out");
        ended_ = true;
      }
    }
    if (ended_) end_connections(now);
  }

  // Hands waiting calls, in order, to connections: an idle one, else a new one while fewer than
  // the most are open, else behind the calls of the least busy connection that pipelines. The first
  // ordinary call that finds no place ends the pass, keeping its turn: no call behind it would find
  // one, and a rush leaves thousands waiting. A call that must be alone and finds no idle
  // connection keeps its turn while ordinary calls behind it share busy connections.
  void place_waiting(steady::time_point now) {
    if (waiting_.empty()) return;
    if (addresses_.empty() && !ensure_addresses()) return;
    std::deque<pending_call> passed_over;
    while (!waiting_.empty()) {
      pending_call& call = waiting_.front();
      if (!is_method_name(call.method)) {
        complete(call, transport_failure("invalid method name"));
      } else if (may_send_ && !may_send_()) {
        auto held = transport_failure(not_owner);
        held.held_back = true;
        complete(call, std::move(held));
      } else if (http1_connection* target = connection_for(call, now)) {
        target->add(std::move(call));
      } else if (!connect_failure_.empty()) {
        complete(call, transport_failure(connect_failure_));
      } else if (call.alone()) {
        passed_over.push_back(std::move(call));
      } else {
        break;
      }
      waiting_.pop_front();
    }
    connect_failure_.clear();
    for (auto it = passed_over.rbegin(); it != passed_over.rend(); ++it)
      waiting_.push_front(std::move(*it));
  }

  http1_connection* connection_for(const pending_call& call, steady::time_point now) {
    const bool alone = call.alone();
    http1_connection* least = nullptr;
    for (auto& s : connections_) {
      http1_connection* c = s->connection.get();
      if (c->state() == http1_connection::phase::ended) continue;
      if (alone) {
        if (c->takes_alone()) return c;
        continue;
      }
      if (c->takes_alone()) return c;
      if (c->takes_more() && (least == nullptr || c->carrying() < least->carrying())) least = c;
    }
    if (connections_.size() < max_connections_) {
      if (http1_connection* fresh = open_connection(now)) return fresh;
      if (!connect_failure_.empty()) return nullptr;
    }
    if (!alone && least != nullptr && least->carrying() < pipeline_depth_) return least;
    return nullptr;
  }

  // A non-blocking connect to the next address. Null, with connect_failure_ set, when the socket
  // cannot even be started.
  http1_connection* open_connection(steady::time_point now) {
    if (addresses_.empty()) return nullptr;
    const address& to = addresses_[next_address_ % addresses_.size()];
    const int fd = ::socket(to.family, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
    if (fd < 0) {
      connect_failure_ = std::string("could not connect: ") + std::strerror(errno);
      return nullptr;
    }
    const int on = 1;
    ::setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &on, sizeof on);
    ::setsockopt(fd, SOL_SOCKET, SO_KEEPALIVE, &on, sizeof on);
    if (::connect(fd, reinterpret_cast<const sockaddr*>(&to.storage), to.length) != 0 &&
        errno != EINPROGRESS) {
      connect_failure_ = std::string("could not connect: ") + std::strerror(errno);
      ::close(fd);
      next_address_++;
      return nullptr;
    }
    std::unique_ptr<byte_stream> stream =
        tls_ ? tls_stream(tls_, fd, endpoint_.host) : plain_stream(fd);
    auto s = std::make_unique<slot>();
    s->connection = std::make_unique<http1_connection>(
        fd, std::move(stream), request_prefix_, endpoint_.host_header, now + connect_timeout_);
    connections_.push_back(std::move(s));
    return connections_.back()->connection.get();
  }

  // The host's addresses, looked up on a thread of its own so that no call waits on DNS. A host
  // given as an address has its one address from the start, never looked up again.
  bool ensure_addresses() {
    if (!addresses_.empty()) return true;
    if (lookup_.valid()) return false;
    lookup_ = std::async(std::launch::async, [this, host = endpoint_.host, port = endpoint_.port] {
      std::vector<address> found = look_up(host, port, 0);
      wake();
      return found;
    });
    return false;
  }

  void take_lookup() {
    if (!lookup_.valid() || lookup_.wait_for(std::chrono::seconds(0)) != std::future_status::ready)
      return;
    addresses_ = lookup_.get();
    if (!addresses_.empty()) return;
    // Nothing to connect to: the calls that need a new connection fail, as they would on a
    // refused one.
    std::deque<pending_call> failed = std::move(waiting_);
    waiting_.clear();
    for (pending_call& call : failed)
      complete(call, transport_failure("could not resolve the Bot API host"));
  }

  void flush_and_watch() {
    for (auto& s : connections_) {
      http1_connection& c = *s->connection;
      if (!c.flush()) {
        ended_ = true;
        continue;
      }
      const uint32_t wanted = c.wanted_events() | EPOLLRDHUP;
      if (wanted == s->registered) continue;
      epoll_event ev{};
      ev.events = wanted;
      ev.data.ptr = s.get();
      const int op = s->registered == 0 ? EPOLL_CTL_ADD : EPOLL_CTL_MOD;
      if (epoll_ctl(epoll_fd_, op, c.fd(), &ev) != 0) {
        logs::error(logs::event("bot_api", "epoll_failed"), "epoll_ctl failed: {}",
                    std::strerror(errno));
        c.give_up("could not watch the connection");
        ended_ = true;
        continue;
      }
      s->registered = wanted;
    }
    if (ended_) end_connections(steady::now());
  }

  // Drops ended connections; their calls go back to wait, fail, or (sent on a connection the
  // server had closed while idle) are sent once more.
  void end_connections(steady::time_point now) {
    ended_ = false;
    std::vector<std::unique_ptr<slot>> gone;
    for (auto it = connections_.begin(); it != connections_.end();) {
      if ((*it)->connection->state() == http1_connection::phase::ended) {
        gone.push_back(std::move(*it));
        it = connections_.erase(it);
      } else {
        ++it;
      }
    }
    std::deque<pending_call> again;
    for (auto& s : gone) {
      http1_connection& c = *s->connection;
      const bool opened = c.opened();
      stranded_calls left = c.take_stranded();
      if (s->registered != 0) epoll_ctl(epoll_fd_, EPOLL_CTL_DEL, c.fd(), nullptr);
      if (!opened) {
        // Never connected: the calls on it fail, as on a refused connection, and the next
        // connection tries the next address.
        ++next_address_;
        if (next_address_ % std::max<size_t>(addresses_.size(), 1) == 0 && !numeric_host_)
          addresses_.clear();
        for (auto* calls : {&left.unsent, &left.sent})
          for (pending_call& call : *calls) complete(call, transport_failure(left.why));
        continue;
      }
      for (pending_call& call : left.sent) {
        if (now >= call.deadline) {
          complete(call, transport_failure("timed out"));
        } else if (left.closed_while_idle && !call.resent) {
          call.resent = true;
          again.push_back(std::move(call));
        } else {
          complete(call, transport_failure(left.why));
        }
      }
      for (pending_call& call : left.unsent) {
        if (now >= call.deadline) {
          complete(call, transport_failure("timed out"));
        } else {
          again.push_back(std::move(call));
        }
      }
    }
    // They go first: they were submitted before anything still waiting.
    for (auto it = again.rbegin(); it != again.rend(); ++it) waiting_.push_front(std::move(*it));
  }

  void settle(std::vector<answered_call>& answered) {
    for (answered_call& a : answered) {
      api_result result = interpret_response(
          a.response.status, a.response.body, token_,
          a.call.options.wants_result ? answer_reading::whole : answer_reading::status_only);
      if (spdlog::should_log(spdlog::level::debug)) {
        logs::debug(
            logs::event("bot_api", "response"), "telegram {}: HTTP {}, {} in {} ms", a.call.method,
            a.response.status, outcome_name(result.kind),
            std::chrono::duration_cast<std::chrono::milliseconds>(steady::now() - a.call.submitted)
                .count());
      }
      complete(a.call, std::move(result));
    }
    answered.clear();
  }

  void fail_everything_pending() {
    for (auto& s : connections_) {
      s->connection->give_up(shutting_down);
      stranded_calls left = s->connection->take_stranded();
      for (pending_call& call : left.unsent) waiting_.push_back(std::move(call));
      for (pending_call& call : left.sent) waiting_.push_back(std::move(call));
    }
    // Completions may submit new calls; those are failed too until nothing is left.
    for (;;) {
      std::deque<pending_call> submitted = std::move(waiting_);
      waiting_.clear();
      {
        std::lock_guard<std::mutex> lock(mutex_);
        for (auto& call : queue_) submitted.push_back(std::move(call));
        queue_.clear();
        if (submitted.empty()) {
          stopped_ = true;
          return;
        }
      }
      for (pending_call& call : submitted) complete(call, transport_failure(shutting_down));
    }
  }

  // Runs the caller's completion. It is taken out of the call so that it runs at most once, and
  // the counter drops first so a caller woken by it already sees the call gone.
  void complete(pending_call& call, api_result result) {
    api_completion done = std::move(call.done);
    call.done = nullptr;
    --in_flight_;
    if (!done) return;
    try {
      done(std::move(result));
    } catch (const std::exception& e) {
      logs::error(logs::event("bot_api", "completion_threw"), "telegram {}: completion threw: {}",
                  call.method, redact(e.what(), token_));
    } catch (...) {
      logs::error(logs::event("bot_api", "completion_threw"), "telegram {}: completion threw",
                  call.method);
    }
  }

  const std::string token_;
  const bot_api_endpoint endpoint_;
  const std::string request_prefix_;  // holds the token: never logged
  const steady::duration connect_timeout_;
  const long default_timeout_ms_;
  const size_t max_connections_;
  const size_t pipeline_depth_;
  const std::function<bool()> may_send_;
  std::shared_ptr<tls_settings> tls_;
  int epoll_fd_ = -1;
  int wake_fd_ = -1;

  std::mutex mutex_;
  std::vector<pending_call> queue_;  // guarded by mutex_: submitted, not yet seen by the loop
  bool stopping_ = false;            // guarded by mutex_: the destructor asked the loop to end
  bool stopped_ = false;  // guarded by mutex_: nothing is pending and no call will be taken
  std::atomic<size_t> in_flight_{0};

  // I/O thread only.
  std::deque<pending_call> waiting_;  // in submission order, for a place on a connection
  std::vector<std::unique_ptr<slot>> connections_;
  bool ended_ = false;  // some connection has ended and is still to be dropped
  std::vector<address> addresses_;
  bool numeric_host_ = false;  // the URL names an address: there is nothing to look up
  size_t next_address_ = 0;
  std::future<std::vector<address>> lookup_;
  std::string connect_failure_;  // why the connection just tried could not be started
  steady::time_point next_sweep_;
  std::vector<char> scratch_;
  std::thread thread_;
};

bot_api_client::bot_api_client(options opts) : loop_(std::make_unique<io_loop>(std::move(opts))) {}

bot_api_client::~bot_api_client() = default;

void bot_api_client::call(const std::string& method, std::string body, completion done,
                          call_options options) {
  const auto now = steady::now();
  pending_call call;
  call.method = method;
  call.body = std::move(body);
  call.done = std::move(done);
  call.options = options;
  call.submitted = now;
  call.deadline = now + std::chrono::milliseconds(loop_->timeout_of(options));
  loop_->submit(std::move(call));
}

void bot_api_client::call(const std::string& method, const nlohmann::json& params, completion done,
                          call_options options) {
  call(method, to_body(params), std::move(done), options);
}

api_result bot_api_client::call_blocking(const std::string& method, const nlohmann::json& params,
                                         long timeout_ms) {
  if (loop_->on_io_thread()) {
    // The answer could only arrive on this very thread, which would be waiting for it.
    return transport_failure("call_blocking from a completion would wait forever");
  }
  auto answer = std::make_shared<std::promise<api_result>>();
  std::future<api_result> future = answer->get_future();
  call(
      method, params, [answer](api_result result) { answer->set_value(std::move(result)); },
      call_options{timeout_ms, true});
  return future.get();
}

size_t bot_api_client::in_flight() const {
  return loop_->in_flight();
}

}  // namespace lastcall::telegram
