#include "sandbox/server.hpp"

#include "sandbox/pipelining_http_server.hpp"

#include <chrono>
#include <stdexcept>
#include <typeinfo>
#include <utility>

#include <httplib.h>

#include "logs/event.hpp"
#include "sandbox/bot_api_routes.hpp"
#include "sandbox/driver_page.hpp"
#include "sandbox/driver_routes.hpp"
#include "sandbox/http_json.hpp"

namespace lastcall::sandbox {

namespace {

server_options with_token(server_options opts) {
  if (opts.token.empty()) opts.token = std::to_string(opts.bot_id) + ":sandbox-local-token";
  return opts;
}

world_options world_options_from(const server_options& opts) {
  world_options result;
  result.bot.id = opts.bot_id;
  result.bot.username = opts.bot_username;
  result.bot.first_name = opts.bot_name;
  result.limits = opts.limits;
  result.first_update_id = opts.first_update_id;
  result.clock = opts.clock;
  return result;
}

const char* status_description(int status) {
  switch (status) {
    case 400:
      return "Bad Request";
    case 404:
      return "Not Found";
    case 405:
      return "Method Not Allowed";
    case 413:
      return "Request Entity Too Large";
    default:
      return "Error";
  }
}

void answer_unrouted(httplib::Server& http) {
  // Telegram answers unknown paths like unknown methods; routed errors already carry their JSON
  // body.
  http.set_error_handler(httplib::Server::HandlerWithResponse(
      [](const httplib::Request&, httplib::Response& response) {
        if (!response.body.empty()) return httplib::Server::HandlerResponse::Unhandled;
        write_json(response, response.status,
                   {{"ok", false},
                    {"error_code", response.status},
                    {"description", status_description(response.status)}});
        return httplib::Server::HandlerResponse::Handled;
      }));
  http.set_exception_handler(
      [](const httplib::Request&, httplib::Response& response, std::exception_ptr error) {
        // Only the exception's type is logged: its message might quote what a client sent.
        try {
          if (error) std::rethrow_exception(error);
        } catch (const std::exception& e) {
          logs::error(logs::event("sandbox", "request_failed"), "sandbox: a request failed with {}",
                      typeid(e).name());
        } catch (...) {
          logs::error(logs::event("sandbox", "request_failed"),
                      "sandbox: a request failed with an unknown exception");
        }
        write_json(response, 500,
                   {{"ok", false}, {"error_code", 500}, {"description", "Internal Server Error"}});
      });
}

}  // namespace

server::server(server_options opts)
    : options_(with_token(std::move(opts))), world_(world_options_from(options_)) {}

server::~server() {
  stop();
}

int server::start(const std::string& host, int port) {
  if (http_) throw std::runtime_error("the sandbox is already running");
  auto http = std::make_unique<pipelining_http_server>();
  const auto threads = options_.worker_threads == 0 ? size_t{1} : options_.worker_threads;
  http->new_task_queue = [threads] { return new httplib::ThreadPool(threads); };
  http->set_keep_alive_timeout(options_.keep_alive_seconds);
  http->set_keep_alive_max_count(1000);
  // Without it, Nagle's algorithm holds small answers back until the client's delayed ACK: ~40 ms a
  // call.
  http->set_tcp_nodelay(true);
  answer_unrouted(*http);
  install_bot_api_routes(*http, world_, options_.token);
  install_driver_routes(*http, world_);
  install_page_routes(*http, world_, options_.page);

  const int bound =
      port == 0 ? http->bind_to_any_port(host) : (http->bind_to_port(host, port) ? port : -1);
  if (bound <= 0) {
    throw std::runtime_error("the sandbox cannot listen on " + host + ":" + std::to_string(port));
  }
  world_.reopen();
  http_ = std::move(http);
  host_ = host;
  port_ = bound;
  webhooks_ = std::make_unique<webhook_sender>(world_);
  listener_done_ = false;
  listener_ = std::thread([this] {
    if (!http_->listen_after_bind())
      logs::error(logs::event("sandbox", "listener_failed"),
                  "sandbox: the listener stopped with an error");
    listener_done_ = true;
  });
  // httplib ignores stop() until its accept loop runs, so start() returns only once it does.
  while (!http_->is_running() && !listener_done_) {
    std::this_thread::sleep_for(std::chrono::milliseconds(1));
  }
  return port_;
}

void server::stop() {
  if (!http_) return;
  world_.close();  // blocked long polls return now instead of holding their threads
  if (webhooks_) webhooks_->stop();
  webhooks_.reset();
  http_->stop();
  http_->stop_connections();
  if (listener_.joinable()) listener_.join();
  http_.reset();
}

std::string server::base_url() const {
  const bool any_address = host_.empty() || host_ == "0.0.0.0" || host_ == "::";
  const bool ipv6 = host_.find(':') != std::string::npos;
  const auto host = any_address ? std::string("127.0.0.1") : ipv6 ? "[" + host_ + "]" : host_;
  return "http://" + host + ":" + std::to_string(port_);
}

}  // namespace lastcall::sandbox
