#include <catch2/catch.hpp>

#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <cstdio>
#include <filesystem>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <set>
#include <stdexcept>
#include <string>
#include <thread>
#include <vector>

#include <httplib.h>
#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/x509v3.h>

#include "telegram/bot_api_client.hpp"

using namespace lastcall::telegram;
using nlohmann::json;

namespace {

const std::string token = "123456789:AAHdqTcvCH1vGWJxfSeofSAs0K5PALDsaw";
const std::string encoded_token = "123456789%3AAAHdqTcvCH1vGWJxfSeofSAs0K5PALDsaw";
constexpr auto generous = std::chrono::seconds(30);

void answer_json(httplib::Response& res, int status, const json& body) {
  res.status = status;
  res.set_content(body.dump(), "application/json");
}

// A plain successful getMe, for tests about the client rather than what it is told.
void answer_get_me(const httplib::Request&, httplib::Response& res) {
  answer_json(res, 200, {{"ok", true}, {"result", {{"id", 1}}}});
}

// A Bot API stand-in on 127.0.0.1: each method answers through a handler set by the test, and the
// server records what reached it.
class fake_bot_api {
 public:
  using handler = std::function<void(const httplib::Request&, httplib::Response&)>;

  // `idle_close_seconds`: how long an idle kept-alive connection stays open.
  explicit fake_bot_api(int idle_close_seconds = 60) {
    server_.new_task_queue = [] { return new httplib::ThreadPool(64); };
    // Connections stay open for the whole test, so the client's reuse of them can be counted.
    server_.set_keep_alive_max_count(1000000);
    server_.set_keep_alive_timeout(idle_close_seconds);
    // Headers and body go out in separate writes; with Nagle each answer would wait for a delayed
    // ACK.
    server_.set_tcp_nodelay(true);
    server_.Post(R"(/bot([^/]+)/([A-Za-z]+))", [this](const httplib::Request& req,
                                                      httplib::Response& res) {
      handler h;
      {
        std::lock_guard<std::mutex> lock(mutex_);
        tokens_seen_.insert(req.matches[1]);
        client_ports_.insert(req.remote_port);
        content_types_.insert(req.get_header_value("Content-Type"));
        ++requests_;
        ++concurrent_;
        max_concurrent_ = std::max(max_concurrent_, concurrent_);
        const auto it = handlers_.find(req.matches[2]);
        if (it != handlers_.end()) h = it->second;
      }
      arrived_.notify_all();
      if (h) {
        h(req, res);
      } else {
        answer_json(res, 404, {{"ok", false}, {"error_code", 404}, {"description", "Not Found"}});
      }
      std::lock_guard<std::mutex> lock(mutex_);
      --concurrent_;
    });
    port_ = server_.bind_to_any_port("127.0.0.1");
    if (port_ <= 0) throw std::runtime_error("could not bind the fake Bot API");
    thread_ = std::thread([this] { server_.listen_after_bind(); });
    // stop() is ignored until the server runs, so the destructor could not end it before that.
    while (!server_.is_running()) std::this_thread::sleep_for(std::chrono::milliseconds(1));
  }

  ~fake_bot_api() {
    release_held();
    server_.stop();
    thread_.join();
  }

  // After `count` answers on one connection the server says "Connection: close" and ends it.
  void limit_answers_per_connection(int count) { server_.set_keep_alive_max_count(count); }

  void on(const std::string& method, handler h) {
    std::lock_guard<std::mutex> lock(mutex_);
    handlers_[method] = std::move(h);
  }

  // A handler that answers only once release_held() is called.
  handler holding() {
    return [this](const httplib::Request&, httplib::Response& res) {
      std::unique_lock<std::mutex> lock(mutex_);
      released_.wait_for(lock, generous, [this] { return released_flag_; });
      res.set_content(R"({"ok":true,"result":true})", "application/json");
    };
  }

  void release_held() {
    {
      std::lock_guard<std::mutex> lock(mutex_);
      released_flag_ = true;
    }
    released_.notify_all();
  }

  bool wait_for_requests(int count) {
    std::unique_lock<std::mutex> lock(mutex_);
    return arrived_.wait_for(lock, generous, [&] { return requests_ >= count; });
  }

  std::string base_url() const { return "http://127.0.0.1:" + std::to_string(port_); }

  std::set<std::string> tokens_seen() const { return locked(tokens_seen_); }
  std::set<int> client_ports() const { return locked(client_ports_); }
  std::set<std::string> content_types() const { return locked(content_types_); }
  int requests() const { return locked(requests_); }
  int max_concurrent() const { return locked(max_concurrent_); }

 private:
  template <typename T>
  T locked(const T& value) const {
    std::lock_guard<std::mutex> lock(mutex_);
    return value;
  }

  httplib::Server server_;
  int port_ = 0;
  std::thread thread_;
  mutable std::mutex mutex_;
  std::condition_variable arrived_;
  std::condition_variable released_;
  bool released_flag_ = false;
  std::map<std::string, handler> handlers_;
  std::set<std::string> tokens_seen_;
  std::set<int> client_ports_;
  std::set<std::string> content_types_;
  int requests_ = 0;
  int concurrent_ = 0;
  int max_concurrent_ = 0;
};

// A TCP socket bound to a free port on 127.0.0.1, which `port` is set to.
int bound_local_socket(int& port) {
  const int fd = ::socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in address{};
  address.sin_family = AF_INET;
  address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  socklen_t length = sizeof(address);
  if (fd < 0 || ::bind(fd, reinterpret_cast<sockaddr*>(&address), sizeof(address)) != 0 ||
      ::getsockname(fd, reinterpret_cast<sockaddr*>(&address), &length) != 0) {
    throw std::runtime_error("could not bind a local port");
  }
  port = ntohs(address.sin_port);
  return fd;
}

// A TCP port on 127.0.0.1 that misbehaves: with `accepting`, connections are accepted, the request
// read and the connection closed without an answer; without, the port is bound but never listens,
// so connections are refused. Holding the port bound keeps anyone else from taking it meanwhile.
class rude_port {
 public:
  explicit rude_port(bool accepting) : fd_(bound_local_socket(port_)) {
    if (!accepting) return;
    if (::listen(fd_, 16) != 0) throw std::runtime_error("could not listen");
    thread_ = std::thread([this] {
      for (;;) {
        const int connection = ::accept(fd_, nullptr, nullptr);
        if (connection < 0) return;  // the destructor shut the socket down
        char buffer[4096];
        (void)::recv(connection, buffer, sizeof(buffer), 0);
        ::close(connection);
      }
    });
  }

  ~rude_port() {
    ::shutdown(fd_, SHUT_RDWR);
    if (thread_.joinable()) thread_.join();
    ::close(fd_);
  }

  std::string base_url() const { return "http://127.0.0.1:" + std::to_string(port_); }

 private:
  int port_ = 0;  // before fd_, which sets it
  int fd_ = -1;
  std::thread thread_;
};

// A Bot API stand-in that reads requests straight off the socket, so that it can tell how many
// arrived in one read: pipelined requests come in one write. Each request is answered with its own
// body as the result; the answers to one read go out in one write.
class pipeline_server {
 public:
  pipeline_server() : fd_(bound_local_socket(port_)) {
    if (::listen(fd_, 16) != 0) throw std::runtime_error("could not listen on a local port");
    thread_ = std::thread([this] {
      for (;;) {
        const int connection = ::accept(fd_, nullptr, nullptr);
        if (connection < 0) return;  // the destructor shut the socket down
        serve(connection);
        ::close(connection);
      }
    });
  }

  ~pipeline_server() {
    ::shutdown(fd_, SHUT_RDWR);
    thread_.join();
    ::close(fd_);
  }

  std::string base_url() const { return "http://127.0.0.1:" + std::to_string(port_); }
  int most_in_one_read() const { return most_in_one_read_.load(); }
  int connections() const { return connections_.load(); }
  int requests() const { return requests_.load(); }

  // The server reads the n-th request (counted from 1 over all connections) and closes its
  // connection without answering, as a server that closes an idle connection just as a request
  // arrives. Set before any request.
  void hang_up_on(std::set<int> requests) { hang_ups_ = std::move(requests); }

 private:
  void serve(int connection) {
    ++connections_;
    std::string buffer;
    char chunk[65536];
    for (;;) {
      const ssize_t n = ::recv(connection, chunk, sizeof chunk, 0);
      if (n <= 0) return;
      buffer.append(chunk, static_cast<size_t>(n));
      std::string answers;
      int requests = 0;
      for (;;) {
        const size_t head_end = buffer.find("\r\n\r\n");
        if (head_end == std::string::npos) break;
        const std::string head = buffer.substr(0, head_end);
        const size_t length_at = head.find("Content-Length: ");
        if (length_at == std::string::npos) return;
        const size_t length = std::stoul(head.substr(length_at + 16));
        if (buffer.size() < head_end + 4 + length) break;
        const std::string body = buffer.substr(head_end + 4, length);
        buffer.erase(0, head_end + 4 + length);
        if (hang_ups_.count(++requests_) > 0) return;
        const std::string answer = R"({"ok":true,"result":)" + body + "}";
        answers += "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: " +
                   std::to_string(answer.size()) + "\r\n\r\n" + answer;
        ++requests;
      }
      int seen = most_in_one_read_.load();
      while (requests > seen && !most_in_one_read_.compare_exchange_weak(seen, requests)) {
      }
      if (!answers.empty()) (void)::send(connection, answers.data(), answers.size(), MSG_NOSIGNAL);
    }
  }

  int port_ = 0;  // before fd_, which sets it
  int fd_ = -1;
  std::atomic<int> most_in_one_read_{0};
  std::atomic<int> connections_{0};
  std::atomic<int> requests_{0};
  std::set<int> hang_ups_;
  std::thread thread_;
};

// A self-signed certificate for "localhost" and 127.0.0.1, and its key, as PEM files in a
// directory of their own that goes with the object.
class self_signed_certificate {
 public:
  self_signed_certificate() {
    directory_ = std::filesystem::temp_directory_path() /
                 ("lastcall-tls-" + std::to_string(::getpid()) + "-" + std::to_string(counter_++));
    std::filesystem::create_directories(directory_);
    EVP_PKEY* key = EVP_EC_gen("P-256");
    X509* cert = X509_new();
    ASN1_INTEGER_set(X509_get_serialNumber(cert), 1);
    X509_gmtime_adj(X509_getm_notBefore(cert), -60);
    X509_gmtime_adj(X509_getm_notAfter(cert), 24 * 3600);
    X509_set_pubkey(cert, key);
    X509_NAME* name = X509_get_subject_name(cert);
    X509_NAME_add_entry_by_txt(name, "CN", MBSTRING_ASC,
                               reinterpret_cast<const unsigned char*>("localhost"), -1, -1, 0);
    X509_set_issuer_name(cert, name);
    X509V3_CTX context;
    X509V3_set_ctx_nodb(&context);
    X509V3_set_ctx(&context, cert, cert, nullptr, nullptr, 0);
    X509_EXTENSION* names =
        X509V3_EXT_conf_nid(nullptr, &context, NID_subject_alt_name, "DNS:localhost,IP:127.0.0.1");
    X509_add_ext(cert, names, -1);
    X509_EXTENSION_free(names);
    X509_sign(cert, key, EVP_sha256());
    FILE* cert_file = std::fopen(certificate().c_str(), "w");
    FILE* key_file = std::fopen(key_path().c_str(), "w");
    const bool written =
        cert_file != nullptr && key_file != nullptr && PEM_write_X509(cert_file, cert) == 1 &&
        PEM_write_PrivateKey(key_file, key, nullptr, nullptr, 0, nullptr, nullptr) == 1;
    if (cert_file != nullptr) std::fclose(cert_file);
    if (key_file != nullptr) std::fclose(key_file);
    X509_free(cert);
    EVP_PKEY_free(key);
    if (!written) throw std::runtime_error("could not write the test certificate");
  }

  ~self_signed_certificate() {
    std::error_code ignored;
    std::filesystem::remove_all(directory_, ignored);
  }

  std::string certificate() const { return (directory_ / "cert.pem").string(); }
  std::string key_path() const { return (directory_ / "key.pem").string(); }

 private:
  static inline int counter_ = 0;
  std::filesystem::path directory_;
};

// Collects completions from the client's I/O thread for the test thread to wait on.
class completions {
 public:
  bot_api_client::completion add() {
    return [this](api_result result) {
      // Notified under the lock: once the waiter sees the result it may destroy this object.
      std::lock_guard<std::mutex> lock(mutex_);
      results_.push_back(std::move(result));
      changed_.notify_all();
    };
  }

  bool wait_for(size_t count) {
    std::unique_lock<std::mutex> lock(mutex_);
    return changed_.wait_for(lock, generous, [&] { return results_.size() >= count; });
  }

  std::vector<api_result> results() const {
    std::lock_guard<std::mutex> lock(mutex_);
    return results_;
  }

 private:
  mutable std::mutex mutex_;
  std::condition_variable changed_;
  std::vector<api_result> results_;
};

// Sends sendMessage with chat_id 0, 1, ... all at once, to a server that answers with the request
// as the result; returns the chat_ids answered, in the order the answers came.
std::vector<int64_t> send_numbered(bot_api_client& client, int calls) {
  completions done;
  std::vector<bot_api_client::completion> reports;
  for (int i = 0; i < calls; ++i) reports.push_back(done.add());
  for (int i = 0; i < calls; ++i)
    client.call("sendMessage", json{{"chat_id", i}}, reports[static_cast<size_t>(i)]);
  REQUIRE(done.wait_for(static_cast<size_t>(calls)));
  std::vector<int64_t> echoed;
  for (const api_result& r : done.results()) {
    REQUIRE(r.ok());
    echoed.push_back(r.result["chat_id"].get<int64_t>());
  }
  return echoed;
}

bot_api_client::options options_for(const std::string& base_url) {
  bot_api_client::options opts;
  opts.base_url = base_url;
  opts.token = token;
  opts.connect_timeout_ms = 5000;
  opts.default_timeout_ms = 30000;
  return opts;
}

void check_token_absent(const api_result& result) {
  CHECK(result.description.find(token) == std::string::npos);
  CHECK(result.description.find(encoded_token) == std::string::npos);
  CHECK(result.description.find("AAHdqTcvCH1vGWJxfSeofSAs0K5PALDsaw") == std::string::npos);
}

}  // namespace

TEST_CASE("an ok answer carries the result to the caller", "[telegram][client]") {
  fake_bot_api api;
  api.on("getMe", [](const httplib::Request&, httplib::Response& res) {
    answer_json(
        res, 200,
        {{"ok", true}, {"result", {{"id", 999}, {"is_bot", true}, {"username", "LastCallBot"}}}});
  });
  // A trailing slash on the base URL must not end up in the path.
  bot_api_client client(options_for(api.base_url() + "/"));

  const api_result r = client.call_blocking("getMe", json::object());
  CHECK(r.ok());
  CHECK(r.http_status == 200);
  CHECK(r.result["username"] == "LastCallBot");
  CHECK(api.tokens_seen() == std::set<std::string>{token});
  CHECK(api.content_types() == std::set<std::string>{"application/json"});
  CHECK(client.in_flight() == 0);
}

TEST_CASE("parameters arrive as the JSON body", "[telegram][client]") {
  fake_bot_api api;
  api.on("sendMessage", [](const httplib::Request& req, httplib::Response& res) {
    answer_json(res, 200, {{"ok", true}, {"result", json::parse(req.body)}});
  });
  bot_api_client client(options_for(api.base_url()));

  const json params = {{"chat_id", -1001234567890},
                       {"text", "Non 6 000 so'm — осталось 3"},
                       {"reply_markup", {{"remove_keyboard", true}}}};
  const api_result r = client.call_blocking("sendMessage", params);
  REQUIRE(r.ok());
  CHECK(r.result == params);

  // Null parameters go out as an empty object, which Telegram accepts.
  const api_result empty = client.call_blocking("sendMessage", nullptr);
  REQUIRE(empty.ok());
  CHECK(empty.result == json::object());
}

TEST_CASE("Bot API errors carry code, description and retry_after", "[telegram][client]") {
  fake_bot_api api;
  api.on("sendMessage", [](const httplib::Request&, httplib::Response& res) {
    answer_json(
        res, 400,
        {{"ok", false}, {"error_code", 400}, {"description", "Bad Request: chat not found"}});
  });
  api.on("sendPhoto", [](const httplib::Request&, httplib::Response& res) {
    answer_json(res, 429,
                {{"ok", false},
                 {"error_code", 429},
                 {"description", "Too Many Requests: retry after 7"},
                 {"parameters", {{"retry_after", 7}}}});
  });
  bot_api_client client(options_for(api.base_url()));

  const api_result bad = client.call_blocking("sendMessage", {{"chat_id", 1}, {"text", "x"}});
  CHECK(bad.kind == api_result::outcome::api_error);
  CHECK(bad.http_status == 400);
  CHECK(bad.error_code == 400);
  CHECK(bad.description == "Bad Request: chat not found");

  const api_result limited = client.call_blocking("sendPhoto", {{"chat_id", 1}});
  CHECK(limited.kind == api_result::outcome::api_error);
  CHECK(limited.http_status == 429);
  CHECK(limited.error_code == 429);
  CHECK(limited.retry_after == 7);
}

TEST_CASE("a body that is not a Bot API answer is a transport error", "[telegram][client]") {
  fake_bot_api api;
  api.on("getMe", [](const httplib::Request&, httplib::Response& res) {
    res.status = 502;
    res.set_content("<html><body><h1>502 Bad Gateway</h1></body></html>", "text/html");
  });
  api.on("getUpdates", [](const httplib::Request&, httplib::Response& res) {
    res.set_content("{\"ok\":true,\"result\":[", "application/json");
  });
  bot_api_client client(options_for(api.base_url()));

  const api_result gateway = client.call_blocking("getMe", json::object());
  CHECK(gateway.kind == api_result::outcome::transport_error);
  CHECK(gateway.http_status == 502);
  CHECK_FALSE(gateway.description.empty());

  const api_result truncated = client.call_blocking("getUpdates", json::object());
  CHECK(truncated.kind == api_result::outcome::transport_error);
  CHECK(truncated.http_status == 200);
}

TEST_CASE("a refused connection is a transport error without the token", "[telegram][client]") {
  rude_port nothing_listening(false);
  bot_api_client client(options_for(nothing_listening.base_url()));

  const api_result r = client.call_blocking("getMe", json::object());
  CHECK(r.kind == api_result::outcome::transport_error);
  CHECK(r.http_status == 0);
  CHECK_FALSE(r.description.empty());
  check_token_absent(r);
}

TEST_CASE("a connection closed without an answer is a transport error without the token",
          "[telegram][client]") {
  rude_port hangs_up(true);
  bot_api_client client(options_for(hangs_up.base_url()));

  const api_result r = client.call_blocking("sendMessage", {{"chat_id", 1}, {"text", "x"}});
  CHECK(r.kind == api_result::outcome::transport_error);
  CHECK(r.http_status == 0);
  CHECK_FALSE(r.description.empty());
  check_token_absent(r);
}

TEST_CASE("a call that outlives its timeout fails", "[telegram][client]") {
  fake_bot_api api;
  api.on("getUpdates", api.holding());
  bot_api_client client(options_for(api.base_url()));

  const api_result r = client.call_blocking("getUpdates", {{"timeout", 25}}, 200);
  CHECK(r.kind == api_result::outcome::transport_error);
  CHECK(r.http_status == 0);
  check_token_absent(r);

  // The connection it held is given up; the next call gets a new one.
  api.on("getMe", answer_get_me);
  CHECK(client.call_blocking("getMe", json::object()).ok());
  CHECK(api.client_ports().size() == 2);
}

TEST_CASE("an invalid method name never reaches the network", "[telegram][client]") {
  fake_bot_api api;
  bot_api_client client(options_for(api.base_url()));

  for (const char* method : {"", "../getMe", "send Message", "getMe?x=1"}) {
    const api_result r = client.call_blocking(method, json::object());
    CHECK(r.kind == api_result::outcome::transport_error);
  }
  CHECK(api.requests() == 0);
}

TEST_CASE("a call the node may not send now is held back, never sent, and marked so",
          "[telegram][client]") {
  fake_bot_api api;
  api.on("getMe", answer_get_me);
  std::atomic<bool> owns_market{false};
  auto opts = options_for(api.base_url());
  opts.may_send = [&owns_market] { return owns_market.load(); };
  bot_api_client client(opts);

  const api_result held = client.call_blocking("getMe", json::object());
  CHECK(held.kind == api_result::outcome::transport_error);
  CHECK(held.held_back);
  CHECK(api.requests() == 0);

  owns_market = true;
  const api_result sent = client.call_blocking("getMe", json::object());
  CHECK(sent.ok());
  CHECK_FALSE(sent.held_back);
  CHECK(api.requests() == 1);
  // Other transport errors are failed attempts, not held-back calls.
  const api_result invalid = client.call_blocking("get Me", json::object());
  CHECK(invalid.kind == api_result::outcome::transport_error);
  CHECK_FALSE(invalid.held_back);
}

TEST_CASE("many concurrent calls all complete over few connections", "[telegram][client]") {
  fake_bot_api api;
  api.on("sendMessage", [](const httplib::Request& req, httplib::Response& res) {
    const json params = json::parse(req.body);
    answer_json(res, 200, {{"ok", true}, {"result", {{"echo", params["chat_id"]}}}});
  });
  constexpr int calls = 200;
  std::mutex mutex;
  std::condition_variable all_done;
  std::vector<int> echoed(calls, -1);
  int finished = 0;
  auto opts = options_for(api.base_url());
  opts.max_host_connections = 4;
  bot_api_client client(opts);

  // Submitted from several threads at once, as the actors will.
  std::vector<std::thread> submitters;
  for (int part = 0; part < 4; ++part) {
    submitters.emplace_back([&, part] {
      for (int i = part; i < calls; i += 4) {
        client.call("sendMessage", {{"chat_id", i}, {"text", "deal"}}, [&, i](api_result r) {
          std::lock_guard<std::mutex> lock(mutex);
          if (r.ok()) echoed[i] = r.result["echo"].get<int>();
          if (++finished == calls) all_done.notify_all();
        });
      }
    });
  }
  for (auto& t : submitters) t.join();
  {
    std::unique_lock<std::mutex> lock(mutex);
    REQUIRE(all_done.wait_for(lock, generous, [&] { return finished == calls; }));
  }
  for (int i = 0; i < calls; ++i) CHECK(echoed[i] == i);
  CHECK(client.in_flight() == 0);
  CHECK(api.requests() == calls);
  CHECK(api.max_concurrent() <= 4);
  CHECK(api.client_ports().size() <= 4);
}

TEST_CASE("consecutive calls reuse one connection", "[telegram][client]") {
  fake_bot_api api;
  api.on("getMe", answer_get_me);
  bot_api_client client(options_for(api.base_url()));

  for (int i = 0; i < 20; ++i) REQUIRE(client.call_blocking("getMe", json::object()).ok());
  CHECK(api.client_ports().size() == 1);
}

TEST_CASE("a connection the server closed while idle is replaced for the next call",
          "[telegram][client]") {
  fake_bot_api api(1);
  api.on("getMe", answer_get_me);
  bot_api_client client(options_for(api.base_url()));

  REQUIRE(client.call_blocking("getMe", json::object()).ok());
  // The server closes the idle connection while the client keeps it for reuse.
  std::this_thread::sleep_for(std::chrono::milliseconds(2500));
  REQUIRE(client.call_blocking("getMe", json::object()).ok());
  REQUIRE(client.call_blocking("getMe", json::object()).ok());
  CHECK(api.requests() == 3);
  CHECK(api.client_ports().size() == 2);
  CHECK(client.in_flight() == 0);
}

TEST_CASE("destroying the client completes the calls still pending", "[telegram][client]") {
  fake_bot_api api;
  api.on("sendMessage", api.holding());
  completions done;
  auto client = std::make_unique<bot_api_client>(options_for(api.base_url()));

  for (int i = 0; i < 3; ++i) client->call("sendMessage", {{"chat_id", i}}, done.add());
  REQUIRE(api.wait_for_requests(3));
  CHECK(client->in_flight() == 3);
  client.reset();

  const auto results = done.results();
  REQUIRE(results.size() == 3);
  for (const api_result& r : results) {
    CHECK(r.kind == api_result::outcome::transport_error);
    CHECK(r.description == "shutting down");
  }
}

TEST_CASE("a completion may start the next call", "[telegram][client]") {
  fake_bot_api api;
  api.on("getMe", answer_get_me);
  completions done;  // outlives the client, whose thread reports into it
  bot_api_client client(options_for(api.base_url()));
  auto first = done.add();
  auto second = done.add();

  client.call("getMe", json::object(), [&client, first, second](api_result r) {
    first(std::move(r));
    client.call("getMe", json::object(), second);
  });
  REQUIRE(done.wait_for(2));
  for (const api_result& r : done.results()) CHECK(r.ok());
  CHECK(api.requests() == 2);
}

TEST_CASE("call_blocking inside a completion fails instead of hanging", "[telegram][client]") {
  fake_bot_api api;
  api.on("getMe", answer_get_me);
  completions done;  // outlives the client, whose thread reports into it
  bot_api_client client(options_for(api.base_url()));
  auto report = done.add();

  client.call("getMe", json::object(), [&client, report](api_result) {
    report(client.call_blocking("getMe", json::object()));
  });
  REQUIRE(done.wait_for(1));
  CHECK(done.results()[0].kind == api_result::outcome::transport_error);
}

TEST_CASE("a completion that throws does not stop the client", "[telegram][client]") {
  fake_bot_api api;
  api.on("getMe", answer_get_me);
  bot_api_client client(options_for(api.base_url()));

  client.call("getMe", json::object(), [](api_result) { throw std::runtime_error("handler bug"); });
  CHECK(client.call_blocking("getMe", json::object()).ok());
}

TEST_CASE("calls beyond the connections go out together and come back in order",
          "[telegram][client]") {
  pipeline_server api;
  auto opts = options_for(api.base_url());
  opts.max_host_connections = 1;
  opts.pipeline_depth = 8;
  bot_api_client client(opts);
  // The server shows it keeps connections before anything is sent behind another call.
  REQUIRE(client.call_blocking("getMe", json::object()).ok());

  constexpr int calls = 40;
  const std::vector<int64_t> echoed = send_numbered(client, calls);
  std::vector<int64_t> expected(calls);
  for (int i = 0; i < calls; ++i) expected[static_cast<size_t>(i)] = i;
  CHECK(echoed == expected);  // one connection: answered in the order sent
  CHECK(api.connections() == 1);
  CHECK(api.most_in_one_read() > 1);
  CHECK(api.most_in_one_read() <= 8);
  CHECK(client.in_flight() == 0);
}

TEST_CASE("calls behind an answer that ends the connection are sent again on a new one",
          "[telegram][client]") {
  fake_bot_api api;
  api.on("sendMessage", [](const httplib::Request& req, httplib::Response& res) {
    answer_json(res, 200, {{"ok", true}, {"result", json::parse(req.body)}});
  });
  // Three answers per connection, the third saying "Connection: close".
  api.limit_answers_per_connection(3);
  auto opts = options_for(api.base_url());
  opts.max_host_connections = 1;
  bot_api_client client(opts);
  REQUIRE(client.call_blocking("sendMessage", json{{"chat_id", -1}}).ok());

  constexpr int calls = 30;
  const std::vector<int64_t> echoed = send_numbered(client, calls);
  CHECK(std::set<int64_t>(echoed.begin(), echoed.end()).size() == calls);
  // Each call reached the server once: none lost behind a close, none sent twice.
  CHECK(api.requests() == calls + 1);
  CHECK(api.client_ports().size() >= (calls + 1) / 3);
}

TEST_CASE("https: the server's certificate is checked against the trusted ones and the host",
          "[telegram][client]") {
  self_signed_certificate certificate;
  httplib::SSLServer server(certificate.certificate().c_str(), certificate.key_path().c_str());
  server.Post(R"(/bot([^/]+)/getMe)", [](const httplib::Request&, httplib::Response& res) {
    answer_json(res, 200, {{"ok", true}, {"result", {{"username", "LastCallBot"}}}});
  });
  // Every loopback address, so that 127.0.0.2, which the certificate does not name, reaches it.
  const int port = server.bind_to_any_port("0.0.0.0");
  REQUIRE(port > 0);
  std::thread serving([&server] { server.listen_after_bind(); });
  while (!server.is_running()) std::this_thread::sleep_for(std::chrono::milliseconds(1));
  const std::string url = "https://localhost:" + std::to_string(port);

  SECTION("trusted: answered") {
    auto opts = options_for(url);
    opts.ca_file = certificate.certificate();
    bot_api_client client(opts);
    for (int i = 0; i < 3; ++i) {
      const api_result r = client.call_blocking("getMe", json::object());
      REQUIRE(r.ok());
      CHECK(r.result["username"] == "LastCallBot");
    }
  }
  SECTION("not trusted: refused before anything is sent") {
    bot_api_client client(options_for(url));
    const api_result r = client.call_blocking("getMe", json::object());
    CHECK(r.kind == api_result::outcome::transport_error);
    CHECK(r.description.find("certificate") != std::string::npos);
    check_token_absent(r);
  }
  SECTION("trusted, by the address it was made for: answered") {
    auto opts = options_for("https://127.0.0.1:" + std::to_string(port));
    opts.ca_file = certificate.certificate();
    bot_api_client client(opts);
    CHECK(client.call_blocking("getMe", json::object()).ok());
  }
  SECTION("trusted, but for another name: refused") {
    auto opts = options_for("https://127.0.0.2:" + std::to_string(port));
    opts.ca_file = certificate.certificate();
    bot_api_client client(opts);
    const api_result r = client.call_blocking("getMe", json::object());
    CHECK(r.kind == api_result::outcome::transport_error);
    CHECK(r.description.find("mismatch") != std::string::npos);
  }
  server.stop();
  serving.join();
}

TEST_CASE("a base URL the client cannot use is refused when it is made", "[telegram][client]") {
  CHECK_THROWS_AS(bot_api_client(options_for("ftp://api.telegram.org")), std::invalid_argument);
  CHECK_THROWS_AS(bot_api_client(options_for("api.telegram.org")), std::invalid_argument);
}

TEST_CASE("a call on a kept-alive connection the server just closed is sent again, once",
          "[telegram][client]") {
  SECTION("the second try is answered") {
    pipeline_server api;
    api.hang_up_on({2});
    auto opts = options_for(api.base_url());
    opts.max_host_connections = 1;
    bot_api_client client(opts);
    REQUIRE(client.call_blocking("getMe", json::object()).ok());

    const api_result r = client.call_blocking("sendMessage", {{"chat_id", 7}});
    REQUIRE(r.ok());
    CHECK(r.result["chat_id"] == 7);
    CHECK(api.requests() == 3);
    CHECK(api.connections() == 2);
  }
  SECTION("a fresh connection that ends without an answer is not tried again") {
    pipeline_server api;
    api.hang_up_on({2, 3});
    auto opts = options_for(api.base_url());
    opts.max_host_connections = 1;
    bot_api_client client(opts);
    REQUIRE(client.call_blocking("getMe", json::object()).ok());

    const api_result r = client.call_blocking("sendMessage", {{"chat_id", 7}});
    CHECK(r.kind == api_result::outcome::transport_error);
    check_token_absent(r);
    CHECK(api.requests() == 3);
    // The next call is made as usual.
    CHECK(client.call_blocking("getMe", json::object()).ok());
  }
}
