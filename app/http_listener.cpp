#include "app/http_listener.hpp"

#include <chrono>
#include <stdexcept>
#include <typeinfo>

#include <httplib.h>

#include "logs/event.hpp"

namespace lastcall::app {

namespace {

// Room for Telegram's 40 webhook connections, each waiting for its commit, plus operators.
constexpr size_t serving_threads = 48;

void answer_failures_plainly(httplib::Server& http) {
  http.set_exception_handler(
      [](const httplib::Request& request, httplib::Response& response, std::exception_ptr error) {
        // Only the exception's type is logged: its message might quote what a client sent.
        try {
          if (error) std::rethrow_exception(error);
        } catch (const std::exception& e) {
          logs::error(logs::event("http", "request_failed"), "http: {} {} failed with {}",
                      request.method, request.path, typeid(e).name());
        } catch (...) {
          logs::error(logs::event("http", "request_failed"), "http: {} {} failed", request.method,
                      request.path);
        }
        response.status = 500;
        response.set_content("internal error\n", "text/plain");
      });
}

}  // namespace

http_listener::http_listener() : http_(std::make_unique<httplib::Server>()) {
  http_->new_task_queue = [] { return new httplib::ThreadPool(serving_threads); };
  http_->set_tcp_nodelay(true);
  http_->set_keep_alive_timeout(5);
  answer_failures_plainly(*http_);
}

http_listener::~http_listener() {
  stop();
}

int http_listener::start(const std::string& host, int port) {
  const int bound =
      port == 0 ? http_->bind_to_any_port(host) : (http_->bind_to_port(host, port) ? port : -1);
  if (bound <= 0) throw std::runtime_error("cannot listen on " + host + ":" + std::to_string(port));
  port_ = bound;
  listener_done_ = false;
  listener_ = std::thread([this] {
    if (!http_->listen_after_bind())
      logs::error(logs::event("http", "listener_failed"),
                  "http: the listener stopped with an error");
    listener_done_ = true;
  });
  // httplib ignores stop() until its accept loop runs, so start() returns only once it does.
  while (!http_->is_running() && !listener_done_)
    std::this_thread::sleep_for(std::chrono::milliseconds(1));
  return port_;
}

void http_listener::stop() {
  if (!listener_.joinable()) return;
  http_->stop();
  listener_.join();
}

}  // namespace lastcall::app
