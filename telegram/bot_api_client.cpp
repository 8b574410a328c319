#include "telegram/bot_api_client.hpp"

#include <atomic>
#include <cctype>
#include <chrono>
#include <deque>
#include <future>
#include <mutex>
#include <stdexcept>
#include <thread>
#include <unordered_map>

#include <curl/curl.h>

#include "logs/event.hpp"
#include "telegram/redact.hpp"

namespace lastcall::telegram {
namespace {

// The loop sleeps in curl_multi_poll, which also returns for socket activity, curl's own timers and
// curl_multi_wakeup; this bound only matters if all of those were missed.
constexpr int idle_poll_ms = 1000;

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

// Invalid UTF-8 (a text cut mid-character) is replaced rather than thrown on: Telegram would reject
// the call anyway, and the caller learns that from the answer.
std::string to_body(const nlohmann::json& params) {
  if (params.is_null()) return "{}";
  return params.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
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
  long timeout_ms = 0;
};

struct transfer {
  request req;
  std::string response;
  char error_buffer[CURL_ERROR_SIZE] = {};
  std::chrono::steady_clock::time_point started;
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
        default_timeout_ms_(opts.default_timeout_ms) {
    init_curl_once();
    multi_.reset(curl_multi_init());
    if (!multi_) throw std::runtime_error("curl_multi_init failed");
    curl_multi_setopt(multi_.get(), CURLMOPT_MAX_HOST_CONNECTIONS, opts.max_host_connections);
    headers_.reset(curl_slist_append(nullptr, "Content-Type: application/json"));
    // An empty "Expect:" stops curl from holding back larger bodies for a "100 Continue" that costs
    // a round trip. Appending keeps the list's head, and on failure leaves the list as it was.
    if (!headers_ || !curl_slist_append(headers_.get(), "Expect:")) {
      throw std::runtime_error("curl_slist_append failed");
    }
    thread_ = std::thread([this] { run(); });
  }

  ~io_loop() {
    {
      std::lock_guard<std::mutex> lock(mutex_);
      stopping_ = true;
    }
    curl_multi_wakeup(multi_.get());
    thread_.join();
  }

  void submit(request req) {
    {
      std::lock_guard<std::mutex> lock(mutex_);
      if (!stopped_) {
        ++in_flight_;
        queue_.push_back(std::move(req));
        curl_multi_wakeup(multi_.get());
        return;
      }
    }
    // Only reachable while the client is being destroyed and the I/O thread is gone.
    if (req.done) req.done(transport_failure(shutting_down));
  }

  bool on_io_thread() const { return std::this_thread::get_id() == thread_.get_id(); }

  size_t in_flight() const { return in_flight_.load(); }

 private:
  void run() {
    for (;;) {
      std::deque<request> submitted;
      {
        std::lock_guard<std::mutex> lock(mutex_);
        if (stopping_) break;
        submitted.swap(queue_);
      }
      for (request& req : submitted) start(std::move(req));
      int running = 0;
      curl_multi_perform(multi_.get(), &running);
      finish_done_transfers();
      curl_multi_poll(multi_.get(), nullptr, 0, idle_poll_ms, nullptr);
    }
    fail_everything_pending();
  }

  void start(request req) {
    if (!is_method_name(req.method)) {
      complete(req, transport_failure("invalid method name"));
      return;
    }
    auto t = std::make_unique<transfer>();
    t->req = std::move(req);
    t->easy.reset(curl_easy_init());
    if (!t->easy) {
      complete(t->req, transport_failure("curl_easy_init failed"));
      return;
    }
    CURL* easy = t->easy.get();
    const std::string url = url_prefix_ + t->req.method;
    curl_easy_setopt(easy, CURLOPT_URL, url.c_str());  // curl keeps its own copy
    curl_easy_setopt(easy, CURLOPT_PROTOCOLS_STR, "http,https");
    curl_easy_setopt(easy, CURLOPT_POST, 1L);
    curl_easy_setopt(easy, CURLOPT_POSTFIELDS, t->req.body.data());
    curl_easy_setopt(easy, CURLOPT_POSTFIELDSIZE_LARGE,
                     static_cast<curl_off_t>(t->req.body.size()));
    curl_easy_setopt(easy, CURLOPT_HTTPHEADER, headers_.get());
    // Compression pays only for getUpdates, whose answers hold up to 100 updates; every other
    // answer is one small object, and compressing it (and inflating it here) costs both sides
    // more CPU than the bytes it saves. gzip only: a server that compresses brotli at its
    // slowest setting (the sandbox's cpp-httplib does) spends far more than the bytes saved.
    if (t->req.method == "getUpdates") curl_easy_setopt(easy, CURLOPT_ACCEPT_ENCODING, "gzip");
    curl_easy_setopt(easy, CURLOPT_WRITEFUNCTION, append_response);
    curl_easy_setopt(easy, CURLOPT_WRITEDATA, &t->response);
    curl_easy_setopt(easy, CURLOPT_ERRORBUFFER, t->error_buffer);
    // Otherwise curl times out name lookups with SIGALRM, unsafe with other threads running.
    curl_easy_setopt(easy, CURLOPT_NOSIGNAL, 1L);
    curl_easy_setopt(easy, CURLOPT_TCP_KEEPALIVE, 1L);
    curl_easy_setopt(easy, CURLOPT_CONNECTTIMEOUT_MS, connect_timeout_ms_);
    curl_easy_setopt(easy, CURLOPT_TIMEOUT_MS,
                     t->req.timeout_ms > 0 ? t->req.timeout_ms : default_timeout_ms_);
    t->started = std::chrono::steady_clock::now();
    if (curl_multi_add_handle(multi_.get(), easy) != CURLM_OK) {
      complete(t->req, transport_failure("curl_multi_add_handle failed"));
      return;
    }
    active_.emplace(easy, std::move(t));
  }

  void finish_done_transfers() {
    int left = 0;
    while (CURLMsg* msg = curl_multi_info_read(multi_.get(), &left)) {
      if (msg->msg != CURLMSG_DONE) continue;
      const CURLcode code = msg->data.result;
      const auto it = active_.find(msg->easy_handle);
      if (it == active_.end()) continue;
      std::unique_ptr<transfer> t = std::move(it->second);
      active_.erase(it);
      curl_multi_remove_handle(multi_.get(), t->easy.get());

      long status = 0;
      curl_easy_getinfo(t->easy.get(), CURLINFO_RESPONSE_CODE, &status);
      api_result result = code == CURLE_OK
                              ? interpret_response(status, t->response, token_)
                              : transport_failure(describe_failure(code, t->error_buffer), status);
      const auto latency = std::chrono::duration_cast<std::chrono::milliseconds>(
          std::chrono::steady_clock::now() - t->started);
      logs::debug(logs::event("bot_api", "response"), "telegram {}: HTTP {}, {} in {} ms",
                  t->req.method, status, outcome_name(result.kind), latency.count());
      complete(t->req, std::move(result));
    }
  }

  std::string describe_failure(CURLcode code, const char* error_buffer) const {
    const std::string detail = error_buffer[0] != '\0' ? error_buffer : curl_easy_strerror(code);
    return redact(detail, token_);
  }

  void fail_everything_pending() {
    std::unordered_map<CURL*, std::unique_ptr<transfer>> aborted = std::move(active_);
    active_.clear();
    for (auto& entry : aborted) {
      curl_multi_remove_handle(multi_.get(), entry.first);
      complete(entry.second->req, transport_failure(shutting_down));
    }
    // Completions may submit new calls; those are failed too until nothing is left.
    for (;;) {
      std::deque<request> submitted;
      {
        std::lock_guard<std::mutex> lock(mutex_);
        if (queue_.empty()) {
          stopped_ = true;
          return;
        }
        submitted.swap(queue_);
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
  std::unique_ptr<CURLM, multi_cleanup> multi_;
  std::unique_ptr<curl_slist, slist_cleanup> headers_;

  std::mutex mutex_;
  std::deque<request> queue_;  // guarded by mutex_
  bool stopping_ = false;      // guarded by mutex_: the destructor asked the loop to end
  bool stopped_ = false;       // guarded by mutex_: nothing is pending and no call will be taken
  std::atomic<size_t> in_flight_{0};

  std::unordered_map<CURL*, std::unique_ptr<transfer>> active_;  // I/O thread only
  std::thread thread_;
};

bot_api_client::bot_api_client(options opts) : loop_(std::make_unique<io_loop>(std::move(opts))) {}

bot_api_client::~bot_api_client() = default;

void bot_api_client::call(const std::string& method, const nlohmann::json& params, completion done,
                          long timeout_ms) {
  loop_->submit(request{method, to_body(params), std::move(done), timeout_ms});
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
      timeout_ms);
  return future.get();
}

size_t bot_api_client::in_flight() const {
  return loop_->in_flight();
}

}  // namespace lastcall::telegram
