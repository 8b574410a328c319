#include "app/snapshot_command.hpp"

#include <cstdio>
#include <memory>

#include <curl/curl.h>

#include "config/settings.hpp"
#include "persistence/snapshot_file.hpp"
#include "persistence/snapshot_format.hpp"

namespace lastcall::app {

namespace {

// Reading a large market takes the server a while.
constexpr long read_timeout_seconds = 600;

int usage_error(const std::string& message) {
  std::fprintf(stderr, "lastcall snapshot: %s\n", message.c_str());
  std::fprintf(stderr, "usage: lastcall snapshot --out FILE [--server http://HOST:PORT]\n");
  return 2;
}

int failure(const std::string& message) {
  std::fprintf(stderr, "lastcall snapshot: %s; no file was written\n", message.c_str());
  return 1;
}

struct http_answer {
  long status = 0;  // 0: no answer at all
  std::string body;
  std::string error;  // why there was no answer
};

size_t append_body(char* data, size_t size, size_t count, void* body) {
  static_cast<std::string*>(body)->append(data, size * count);
  return size * count;
}

// libcurl rather than cpp-httplib's client: a blocking one-off call, with no
// build options that must match a compiled library.
http_answer post_for_snapshot(const std::string& server, const std::string& token) {
  http_answer answer;
  std::unique_ptr<CURL, decltype(&curl_easy_cleanup)> easy(curl_easy_init(), curl_easy_cleanup);
  if (!easy) {
    answer.error = "libcurl could not start";
    return answer;
  }
  const std::string url = server + "/admin/snapshot";
  const std::string authorization = "Authorization: Bearer " + token;
  std::unique_ptr<curl_slist, decltype(&curl_slist_free_all)> headers(
      curl_slist_append(nullptr, authorization.c_str()), curl_slist_free_all);
  char error[CURL_ERROR_SIZE] = {0};
  curl_easy_setopt(easy.get(), CURLOPT_URL, url.c_str());
  curl_easy_setopt(easy.get(), CURLOPT_PROTOCOLS_STR, "http,https");
  curl_easy_setopt(easy.get(), CURLOPT_POST, 1L);
  curl_easy_setopt(easy.get(), CURLOPT_POSTFIELDS, "");
  curl_easy_setopt(easy.get(), CURLOPT_POSTFIELDSIZE, 0L);
  curl_easy_setopt(easy.get(), CURLOPT_HTTPHEADER, headers.get());
  curl_easy_setopt(easy.get(), CURLOPT_CONNECTTIMEOUT, 10L);
  curl_easy_setopt(easy.get(), CURLOPT_TIMEOUT, read_timeout_seconds);
  curl_easy_setopt(easy.get(), CURLOPT_NOSIGNAL, 1L);
  curl_easy_setopt(easy.get(), CURLOPT_WRITEFUNCTION, append_body);
  curl_easy_setopt(easy.get(), CURLOPT_WRITEDATA, &answer.body);
  curl_easy_setopt(easy.get(), CURLOPT_ERRORBUFFER, error);
  const auto code = curl_easy_perform(easy.get());
  if (code != CURLE_OK) {
    answer.error = error[0] ? error : curl_easy_strerror(code);
    return answer;
  }
  curl_easy_getinfo(easy.get(), CURLINFO_RESPONSE_CODE, &answer.status);
  return answer;
}

std::string first_line(const std::string& text) {
  auto line = text.substr(0, text.find('\n'));
  return line.size() > 300 ? line.substr(0, 300) + "..." : line;
}

}  // namespace

std::optional<std::string> take_flag(std::vector<std::string>& args, const std::string& name) {
  for (size_t i = 0; i < args.size(); ++i) {
    if (args[i] == name) {
      const bool has_value = i + 1 < args.size() && args[i + 1].rfind("--", 0) != 0;
      std::string value = has_value ? args[i + 1] : std::string();
      args.erase(args.begin() + static_cast<std::ptrdiff_t>(i),
                 args.begin() + static_cast<std::ptrdiff_t>(i + (has_value ? 2 : 1)));
      return value;
    }
    if (args[i].rfind(name + "=", 0) == 0) {
      std::string value = args[i].substr(name.size() + 1);
      args.erase(args.begin() + static_cast<std::ptrdiff_t>(i));
      return value;
    }
  }
  return std::nullopt;
}

int run_snapshot_command(const std::vector<std::string>& args) {
  config::settings settings;
  std::vector<std::string> rest;
  try {
    settings = config::load(args, config::environment(), &rest);
  } catch (const config::config_error& e) {
    return usage_error(e.what());
  }
  const auto out = take_flag(rest, "--out");
  auto server = take_flag(rest, "--server");
  if (!out || out->empty()) return usage_error("--out FILE is required");
  if (!rest.empty()) return usage_error("unexpected argument " + rest.front());
  if (settings.admin_token.empty())
    return usage_error("set ADMIN_TOKEN or ADMIN_TOKEN_FILE to the server's admin token");
  if (!server || server->empty()) {
    if (settings.http_port == 0)
      return usage_error("say where the server listens: --server http://HOST:PORT, or HTTP_PORT");
    server = "http://" + settings.http_host + ":" + std::to_string(settings.http_port);
  }

  if (server->rfind("http://", 0) != 0 && server->rfind("https://", 0) != 0)
    return usage_error("--server must be http://HOST:PORT");
  while (!server->empty() && server->back() == '/') server->pop_back();
  const auto answer = post_for_snapshot(*server, settings.admin_token);
  if (answer.status == 0)
    return failure("cannot reach the server at " + *server + " (" + answer.error + ")");
  if (answer.status == 401) return failure("the server refused the admin token");
  if (answer.status != 200)
    return failure("the server answered HTTP " + std::to_string(answer.status) + ": " +
                   first_line(answer.body));

  // Only a snapshot that restore would accept is worth keeping.
  const auto parsed = persistence::parse_snapshot(answer.body);
  if (!parsed.ok()) return failure("the server's answer is not a usable snapshot: " + parsed.error);
  try {
    persistence::write_file_atomically(*out, answer.body);
  } catch (const std::exception& e) {
    return failure(e.what());
  }
  const auto& s = *parsed.value;
  std::printf(
      "snapshot at event %lld written to %s: %zu users, %zu businesses, %zu offers, %zu "
      "reservations\n",
      static_cast<long long>(s.event_seq), out->c_str(), s.entities.users.size(),
      s.entities.businesses.size(), s.entities.offers.size(), s.entities.reservations.size());
  return 0;
}

}  // namespace lastcall::app
