#include "telegram/bot_api_client.hpp"

#include <sys/epoll.h>
#include <sys/eventfd.h>
#include <unistd.h>

#include <atomic>
#include <cctype>
#include <cerrno>
#include <chrono>
#include <cstring>
#include <deque>
#include <future>
#include <mutex>
#include <stdexcept>
#include <thread>
#include <unordered_map>
#include <vector>

#include <curl/curl.h>

#include "logs/event.hpp"
#include "telegram/redact.hpp"

namespace lastcall::telegram {
namespace {

using steady = std::chrono::steady_clock;

// Calls waiting for a free connection are checked for their timeout at least this often.
constexpr int waiting_sweep_ms = 1000;
constexpr int max_events = 64;

// A getUpdates answer of 100 updates is well under a megabyte; a larger body is not Telegram
// talking.
constexpr size_t max_response_bytes = 64 * 1024 * 1024;

const char* const shutting_down = "shutting down";

struct easy_cleanup {
  void operator()(CURL* handle) const { curl_easy_cleanup(handle); }
};
struct multi_cleanup {
  void operator()(CURLM* handle) const { curl_multi_cleanup(handle); }
};
struct slist_cleanup {
  void operator()(curl_slist* list) const { curl_slist_free_all(list); }
};

// curl_global_init is not safe to run concurrently with other curl calls, so it runs once, before
// the first client exists, and is never undone.
void init_curl_once() {
  static std::once_flag once;
  std::call_once(once, [] {
    if (curl_global_init(CURL_GLOBAL_DEFAULT) != CURLE_OK) {
      throw std::runtime_error("curl_global_init failed");
    }
  });
}

// Method names go into the URL path, so only Bot API-shaped names ("sendMessage") are accepted.
bool is_method_name(const std::string& method) {
  if (method.empty()) return false;
  for (char c : method) {
    if (!std::isalnum(static_cast<unsigned char>(c))) return false;
  }
  return true;
}

std::string without_trailing_slashes(std::string url) {
  while (!url.empty() && url.back() == '/') url.pop_back();
  return url;
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

struct request {
  std::string method;
  std::string body;
  bot_api_client::completion done;
  bot_api_client::call_options options;
  steady::time_point submitted;
};

// One connection slot: an easy handle kept from call to call (curl keeps its connection, its
// parsed settings and its buffers), and the call it carries now.
struct transfer {
  request req;
  bool busy = false;
  std::string response;
  char error_buffer[CURL_ERROR_SIZE] = {};
  // Declared last so it is cleaned up first, while the buffers curl points into still exist.
  std::unique_ptr<CURL, easy_cleanup> easy;
};

size_t append_response(char* data, size_t size, size_t count, void* user_data) {
  auto* response = static_cast<std::string*>(user_data);
  const size_t bytes = size * count;
  // Taking less than offered makes curl fail the transfer with CURLE_WRITE_ERROR.
  if (response->size() + bytes > max_response_bytes) return 0;
  response->append(data, bytes);
  return bytes;
}

}  // namespace

class bot_api_client::io_loop {
 public:
  explicit io_loop(options opts)
      : token_(std::move(opts.token)),
        url_prefix_(without_trailing_slashes(std::move(opts.base_url)) + "/bot" + token_ + "/"),
        connect_timeout_ms_(opts.connect_timeout_ms),
        default_timeout_ms_(opts.default_timeout_ms),
        max_transfers_(static_cast<size_t>(std::max(1L, opts.max_host_connections))) {
    init_curl_once();
    multi_.reset(curl_multi_init());
    if (!multi_) throw std::runtime_error("curl_multi_init failed");
    curl_multi_setopt(multi_.get(), CURLMOPT_MAX_HOST_CONNECTIONS, opts.max_host_connections);
    curl_multi_setopt(multi_.get(), CURLMOPT_SOCKETFUNCTION, &io_loop::on_socket);
    curl_multi_setopt(multi_.get(), CURLMOPT_SOCKETDATA, this);
    curl_multi_setopt(multi_.get(), CURLMOPT_TIMERFUNCTION, &io_loop::on_timer);
    curl_multi_setopt(multi_.get(), CURLMOPT_TIMERDATA, this);
    headers_.reset(curl_slist_append(nullptr, "Content-Type: application/json"));
    // An empty "Expect:" stops curl from holding back larger bodies for a "100 Continue" that costs
    // a round trip. Appending keeps the list's head, and on failure leaves the list as it was.
    if (!headers_ || !curl_slist_append(headers_.get(), "Expect:")) {
      throw std::runtime_error("curl_slist_append failed");
    }
    epoll_fd_ = epoll_create1(EPOLL_CLOEXEC);
    wake_fd_ = eventfd(0, EFD_NONBLOCK | EFD_CLOEXEC);
    if (epoll_fd_ < 0 || wake_fd_ < 0) {
      close_fds();
      throw std::runtime_error("epoll or eventfd could not be created");
    }
    epoll_event wake{};
    wake.events = EPOLLIN;
    wake.data.fd = wake_fd_;
    epoll_ctl(epoll_fd_, EPOLL_CTL_ADD, wake_fd_, &wake);
    thread_ = std::thread([this] { run(); });
  }

  ~io_loop() {
    {
      std::lock_guard<std::mutex> lock(mutex_);
      stopping_ = true;
    }
    wake();
    thread_.join();
    // The easy handles go before the multi handle that still knows their connections.
    slots_.clear();
    multi_.reset();
    close_fds();
  }

  void submit(request req) {
    bool taken = false;
    bool first = false;
    {
      std::lock_guard<std::mutex> lock(mutex_);
      if (!stopped_) {
        ++in_flight_;
        first = queue_.empty();
        queue_.push_back(std::move(req));
        taken = true;
      }
    }
    // The loop takes the whole queue each time it wakes, so only the first call of a burst wakes
    // it: the others find it awake or about to be.
    if (first) wake();
    // Only reachable while the client is being destroyed and the I/O thread is gone.
    if (!taken && req.done) req.done(transport_failure(shutting_down));
  }

  bool on_io_thread() const { return std::this_thread::get_id() == thread_.get_id(); }

  size_t in_flight() const { return in_flight_.load(); }

 private:
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

  // curl tells which sockets to watch for what; the loop watches them with epoll. A kept-alive
  // connection is given up by curl after every call and taken again by the next: its registration
  // stays in epoll meanwhile, so a busy connection costs no epoll_ctl per call. One that stirs
  // while curl does not want it (the server closed it) is taken out then.
  static int on_socket(CURL*, curl_socket_t socket, int what, void* user, void*) {
    auto* self = static_cast<io_loop*>(user);
    auto it = self->watched_.find(socket);
    if (what == CURL_POLL_REMOVE) {
      if (it != self->watched_.end()) it->second.wanted = false;
      return 0;
    }
    const uint32_t events =
        ((what & CURL_POLL_IN) ? EPOLLIN : 0u) | ((what & CURL_POLL_OUT) ? EPOLLOUT : 0u);
    if (it != self->watched_.end() && it->second.events == events) {
      it->second.wanted = true;
      return 0;
    }
    epoll_event ev{};
    ev.events = events;
    ev.data.fd = socket;
    const int op = it == self->watched_.end() ? EPOLL_CTL_ADD : EPOLL_CTL_MOD;
    if (epoll_ctl(self->epoll_fd_, op, socket, &ev) != 0) {
      logs::error(logs::event("bot_api", "epoll_failed"), "epoll_ctl failed: {}",
                  std::strerror(errno));
      return -1;
    }
    self->watched_[socket] = watched_socket{events, true};
    return 0;
  }

  // Every socket curl opened is closed here, so a registration never outlives its socket and a
  // number the system hands out again starts unregistered.
  static int on_close(void* user, curl_socket_t socket) {
    auto* self = static_cast<io_loop*>(user);
    if (self->watched_.erase(socket) > 0)
      epoll_ctl(self->epoll_fd_, EPOLL_CTL_DEL, socket, nullptr);
    return ::close(socket);
  }

  // A registered socket curl does not want right now became ready: leave it to curl's next call.
  bool unwanted(int fd) {
    auto it = watched_.find(fd);
    if (it == watched_.end() || it->second.wanted) return false;
    epoll_ctl(epoll_fd_, EPOLL_CTL_DEL, fd, nullptr);
    watched_.erase(it);
    return true;
  }

  // curl's single timer: when it wants to be called with CURL_SOCKET_TIMEOUT.
  static int on_timer(CURLM*, long timeout_ms, void* user) {
    auto* self = static_cast<io_loop*>(user);
    self->timer_armed_ = timeout_ms >= 0;
    if (self->timer_armed_)
      self->timer_due_ = steady::now() + std::chrono::milliseconds(timeout_ms);
    return 0;
  }

  void run() {
    epoll_event events[max_events];
    for (;;) {
      {
        std::lock_guard<std::mutex> lock(mutex_);
        if (stopping_) break;
        for (auto& req : queue_) waiting_.push_back(std::move(req));
        queue_.clear();
      }
      sweep_waiting();
      start_waiting();
      const int ready = epoll_wait(epoll_fd_, events, max_events, wait_ms());
      int running = 0;
      for (int i = 0; i < ready; ++i) {
        const int fd = events[i].data.fd;
        if (fd == wake_fd_) {
          uint64_t count = 0;
          [[maybe_unused]] auto read = ::read(wake_fd_, &count, sizeof count);
          continue;
        }
        if (unwanted(fd)) continue;
        int flags = 0;
        if (events[i].events & EPOLLIN) flags |= CURL_CSELECT_IN;
        if (events[i].events & EPOLLOUT) flags |= CURL_CSELECT_OUT;
        if (events[i].events & (EPOLLERR | EPOLLHUP)) flags |= CURL_CSELECT_ERR;
        curl_multi_socket_action(multi_.get(), fd, flags, &running);
      }
      if (timer_armed_ && steady::now() >= timer_due_) {
        timer_armed_ = false;
        curl_multi_socket_action(multi_.get(), CURL_SOCKET_TIMEOUT, 0, &running);
      }
      finish_done_transfers();
    }
    fail_everything_pending();
  }

  // Until curl's timer, the next sweep of waiting calls, or a socket or submission wakes us.
  int wait_ms() const {
    long wait = -1;
    const auto now = steady::now();
    if (timer_armed_) {
      wait = std::max<long>(0, std::chrono::duration_cast<std::chrono::milliseconds>(
                                   timer_due_ - now + std::chrono::microseconds(999))
                                   .count());
    }
    if (!waiting_.empty() && (wait < 0 || wait > waiting_sweep_ms)) wait = waiting_sweep_ms;
    return static_cast<int>(wait);
  }

  long timeout_of(const request& req) const {
    return req.options.timeout_ms > 0 ? req.options.timeout_ms : default_timeout_ms_;
  }

  // Calls still waiting for a connection when their whole time is up fail as curl would have.
  void sweep_waiting() {
    if (waiting_.empty()) return;
    const auto now = steady::now();
    if (now < next_sweep_) return;
    next_sweep_ = now + std::chrono::milliseconds(waiting_sweep_ms);
    for (auto it = waiting_.begin(); it != waiting_.end();) {
      if (now - it->submitted >= std::chrono::milliseconds(timeout_of(*it))) {
        request expired = std::move(*it);
        it = waiting_.erase(it);
        complete(expired, transport_failure("timed out waiting for a free connection"));
      } else {
        ++it;
      }
    }
  }

  void start_waiting() {
    while (!waiting_.empty() && busy_ < max_transfers_) {
      request req = std::move(waiting_.front());
      waiting_.pop_front();
      start(std::move(req));
    }
  }

  transfer* free_slot() {
    for (auto& slot : slots_)
      if (!slot->busy) return slot.get();
    auto slot = std::make_unique<transfer>();
    slot->easy.reset(curl_easy_init());
    if (!slot->easy) return nullptr;
    CURL* easy = slot->easy.get();
    // What stays the same for every call is set once per handle.
    curl_easy_setopt(easy, CURLOPT_PRIVATE, slot.get());
    curl_easy_setopt(easy, CURLOPT_PROTOCOLS_STR, "http,https");
    curl_easy_setopt(easy, CURLOPT_POST, 1L);
    curl_easy_setopt(easy, CURLOPT_HTTPHEADER, headers_.get());
    curl_easy_setopt(easy, CURLOPT_WRITEFUNCTION, append_response);
    curl_easy_setopt(easy, CURLOPT_WRITEDATA, &slot->response);
    curl_easy_setopt(easy, CURLOPT_ERRORBUFFER, slot->error_buffer);
    // Otherwise curl times out name lookups with SIGALRM, unsafe with other threads running.
    curl_easy_setopt(easy, CURLOPT_NOSIGNAL, 1L);
    curl_easy_setopt(easy, CURLOPT_TCP_KEEPALIVE, 1L);
    curl_easy_setopt(easy, CURLOPT_CONNECTTIMEOUT_MS, connect_timeout_ms_);
    curl_easy_setopt(easy, CURLOPT_CLOSESOCKETFUNCTION, &io_loop::on_close);
    curl_easy_setopt(easy, CURLOPT_CLOSESOCKETDATA, this);
    slots_.push_back(std::move(slot));
    return slots_.back().get();
  }

  void start(request req) {
    if (!is_method_name(req.method)) {
      complete(req, transport_failure("invalid method name"));
      return;
    }
    const long left_ms = timeout_of(req) - std::chrono::duration_cast<std::chrono::milliseconds>(
                                               steady::now() - req.submitted)
                                               .count();
    if (left_ms <= 0) {
      complete(req, transport_failure("timed out waiting for a free connection"));
      return;
    }
    transfer* t = free_slot();
    if (t == nullptr) {
      complete(req, transport_failure("curl_easy_init failed"));
      return;
    }
    t->req = std::move(req);
    t->response.clear();
    t->error_buffer[0] = '\0';
    CURL* easy = t->easy.get();
    const std::string url = url_prefix_ + t->req.method;
    curl_easy_setopt(easy, CURLOPT_URL, url.c_str());  // curl keeps its own copy
    curl_easy_setopt(easy, CURLOPT_POSTFIELDSIZE_LARGE,
                     static_cast<curl_off_t>(t->req.body.size()));
    curl_easy_setopt(easy, CURLOPT_POSTFIELDS, t->req.body.data());
    // Compression pays only for getUpdates, whose answers hold up to 100 updates; every other
    // answer is one small object, and compressing it (and inflating it here) costs both sides
    // more CPU than the bytes it saves. gzip only: a server that compresses brotli at its
    // slowest setting (the sandbox's cpp-httplib does) spends far more than the bytes saved.
    curl_easy_setopt(easy, CURLOPT_ACCEPT_ENCODING,
                     t->req.method == "getUpdates" ? "gzip" : nullptr);
    curl_easy_setopt(easy, CURLOPT_TIMEOUT_MS, left_ms);
    if (curl_multi_add_handle(multi_.get(), easy) != CURLM_OK) {
      complete(t->req, transport_failure("curl_multi_add_handle failed"));
      return;
    }
    t->busy = true;
    ++busy_;
  }

  void finish_done_transfers() {
    int left = 0;
    while (CURLMsg* msg = curl_multi_info_read(multi_.get(), &left)) {
      if (msg->msg != CURLMSG_DONE) continue;
      const CURLcode code = msg->data.result;
      CURL* easy = msg->easy_handle;
      transfer* t = nullptr;
      curl_easy_getinfo(easy, CURLINFO_PRIVATE, &t);
      curl_multi_remove_handle(multi_.get(), easy);
      if (t == nullptr || !t->busy) continue;
      t->busy = false;
      --busy_;

      long status = 0;
      curl_easy_getinfo(easy, CURLINFO_RESPONSE_CODE, &status);
      api_result result =
          code == CURLE_OK
              ? interpret_response(status, t->response, token_,
                                   t->req.options.wants_result ? answer_reading::whole
                                                               : answer_reading::status_only)
              : transport_failure(describe_failure(code, t->error_buffer), status);
      if (spdlog::should_log(spdlog::level::debug)) {
        double seconds = 0;
        curl_easy_getinfo(easy, CURLINFO_TOTAL_TIME, &seconds);
        logs::debug(logs::event("bot_api", "response"), "telegram {}: HTTP {}, {} in {} ms",
                    t->req.method, status, outcome_name(result.kind),
                    static_cast<long>(seconds * 1000));
      }
      request finished = std::move(t->req);
      t->req = request{};
      complete(finished, std::move(result));
    }
  }

  std::string describe_failure(CURLcode code, const char* error_buffer) const {
    const std::string detail = error_buffer[0] != '\0' ? error_buffer : curl_easy_strerror(code);
    return redact(detail, token_);
  }

  void fail_everything_pending() {
    for (auto& slot : slots_) {
      if (!slot->busy) continue;
      curl_multi_remove_handle(multi_.get(), slot->easy.get());
      slot->busy = false;
      request aborted = std::move(slot->req);
      complete(aborted, transport_failure(shutting_down));
    }
    busy_ = 0;
    // Completions may submit new calls; those are failed too until nothing is left.
    for (;;) {
      std::deque<request> submitted = std::move(waiting_);
      waiting_.clear();
      {
        std::lock_guard<std::mutex> lock(mutex_);
        for (auto& req : queue_) submitted.push_back(std::move(req));
        queue_.clear();
        if (submitted.empty()) {
          stopped_ = true;
          return;
        }
      }
      for (request& req : submitted) complete(req, transport_failure(shutting_down));
    }
  }

  // Runs the caller's completion. It is taken out of the request so that it runs at most once, and
  // the counter drops first so a caller woken by it already sees the call gone.
  void complete(request& req, api_result result) {
    completion done = std::move(req.done);
    req.done = nullptr;
    --in_flight_;
    if (!done) return;
    try {
      done(std::move(result));
    } catch (const std::exception& e) {
      logs::error(logs::event("bot_api", "completion_threw"), "telegram {}: completion threw: {}",
                  req.method, redact(e.what(), token_));
    } catch (...) {
      logs::error(logs::event("bot_api", "completion_threw"), "telegram {}: completion threw",
                  req.method);
    }
  }

  const std::string token_;
  const std::string url_prefix_;  // holds the token: never logged
  const long connect_timeout_ms_;
  const long default_timeout_ms_;
  const size_t max_transfers_;
  std::unique_ptr<CURLM, multi_cleanup> multi_;
  std::unique_ptr<curl_slist, slist_cleanup> headers_;
  int epoll_fd_ = -1;
  int wake_fd_ = -1;

  std::mutex mutex_;
  std::vector<request> queue_;  // guarded by mutex_: submitted, not yet seen by the loop
  bool stopping_ = false;       // guarded by mutex_: the destructor asked the loop to end
  bool stopped_ = false;        // guarded by mutex_: nothing is pending and no call will be taken
  std::atomic<size_t> in_flight_{0};

  // I/O thread only.
  struct watched_socket {
    uint32_t events = 0;  // registered in epoll
    bool wanted = false;  // by curl right now
  };
  std::unordered_map<curl_socket_t, watched_socket> watched_;
  std::deque<request> waiting_;  // in submission order, for a free slot
  std::vector<std::unique_ptr<transfer>> slots_;
  size_t busy_ = 0;
  bool timer_armed_ = false;
  steady::time_point timer_due_;
  steady::time_point next_sweep_;
  std::thread thread_;
};

bot_api_client::bot_api_client(options opts) : loop_(std::make_unique<io_loop>(std::move(opts))) {}

bot_api_client::~bot_api_client() = default;

void bot_api_client::call(const std::string& method, std::string body, completion done,
                          call_options options) {
  loop_->submit(request{method, std::move(body), std::move(done), options, steady::now()});
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
