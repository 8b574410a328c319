// POST /admin/snapshot and `lastcall snapshot --out`, against a listener whose snapshots come from
// a stand-in: what the endpoint lets through, and what the command keeps.

#include <atomic>
#include <cctype>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <map>
#include <string>

#include <curl/curl.h>
#include <unistd.h>
#include <catch2/catch.hpp>

#include "app/admin_routes.hpp"
#include "app/http_listener.hpp"
#include "persistence/snapshot_file.hpp"
#include "persistence/snapshot_format.hpp"
#include "tests/integration/snapshot_cli.hpp"

using namespace lastcall;
using tests::run_lastcall;
using tests::temporary_path;

namespace {

const std::string token = "test-admin-token-5f2c";

std::string valid_snapshot_text() {
  persistence::snapshot s;
  s.event_seq = 123;
  s.taken_at = 1767261600;
  domain::user_record u;
  u.id = 77;
  u.version = 1;
  s.entities.users = {u};
  return persistence::serialise_snapshot(s);
}

// A listener with the admin routes; its snapshots say what `answer` holds.
struct admin_server {
  app::http_listener listener;
  std::atomic<int> taken{0};
  actors::snapshot_outcome answer;
  int port = 0;

  explicit admin_server(const std::string& configured_token) {
    answer.ok = true;
    answer.event_seq = 123;
    answer.text = valid_snapshot_text();
    app::install_admin_routes(listener.server(), configured_token, [this] {
      ++taken;
      return answer;
    });
    port = listener.start("127.0.0.1", 0);
  }
  std::string url() const { return "http://127.0.0.1:" + std::to_string(port); }

  struct reply {
    long status = 0;
    std::string body;
    std::map<std::string, std::string> headers;  // names in lower case
  };

  // Through libcurl: cpp-httplib's client must be built with the compiled library's options.
  reply post(const std::string& authorization) {
    reply r;
    CURL* easy = curl_easy_init();
    REQUIRE(easy);
    const std::string url = this->url() + "/admin/snapshot";
    curl_slist* headers = nullptr;
    if (!authorization.empty())
      headers = curl_slist_append(headers, ("Authorization: " + authorization).c_str());
    curl_easy_setopt(easy, CURLOPT_URL, url.c_str());
    curl_easy_setopt(easy, CURLOPT_POST, 1L);
    curl_easy_setopt(easy, CURLOPT_POSTFIELDS, "");
    curl_easy_setopt(easy, CURLOPT_POSTFIELDSIZE, 0L);
    curl_easy_setopt(easy, CURLOPT_HTTPHEADER, headers);
    curl_easy_setopt(easy, CURLOPT_TIMEOUT, 60L);
    curl_easy_setopt(
        easy, CURLOPT_WRITEFUNCTION, +[](char* d, size_t s, size_t n, void* out) {
          static_cast<std::string*>(out)->append(d, s * n);
          return s * n;
        });
    curl_easy_setopt(easy, CURLOPT_WRITEDATA, &r.body);
    curl_easy_setopt(
        easy, CURLOPT_HEADERFUNCTION, +[](char* d, size_t s, size_t n, void* out) {
          const std::string line(d, s * n);
          const auto colon = line.find(':');
          if (colon != std::string::npos) {
            std::string name = line.substr(0, colon);
            for (auto& c : name) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
            auto value = line.substr(colon + 1);
            value.erase(0, value.find_first_not_of(' '));
            value.erase(value.find_last_not_of("\r\n") + 1);
            (*static_cast<std::map<std::string, std::string>*>(out))[name] = value;
          }
          return s * n;
        });
    curl_easy_setopt(easy, CURLOPT_HEADERDATA, &r.headers);
    const auto code = curl_easy_perform(easy);
    if (code == CURLE_OK) curl_easy_getinfo(easy, CURLINFO_RESPONSE_CODE, &r.status);
    curl_slist_free_all(headers);
    curl_easy_cleanup(easy);
    REQUIRE(code == CURLE_OK);
    return r;
  }
};

}  // namespace

TEST_CASE("the snapshot endpoint answers only the configured admin token",
          "[integration][snapshot][admin]") {
  admin_server server(token);

  auto missing = server.post("");
  CHECK(missing.status == 401);
  CHECK(missing.headers["www-authenticate"] == "Bearer");
  const auto wrong = server.post("Bearer not-the-token");
  CHECK(wrong.status == 401);
  CHECK(wrong.body.find(token) == std::string::npos);
  CHECK(server.taken == 0);

  auto right = server.post("Bearer " + token);
  CHECK(right.status == 200);
  CHECK(right.headers["content-type"] == "application/json");
  CHECK(right.headers["x-lastcall-event-seq"] == "123");
  CHECK(right.body == valid_snapshot_text());
  CHECK(server.taken == 1);

  server.answer = actors::snapshot_outcome{};
  server.answer.error = "the database is unreachable";
  const auto failed = server.post("Bearer " + token);
  CHECK(failed.status == 503);
  CHECK_THAT(failed.body, Catch::Contains("the database is unreachable"));
}

TEST_CASE("without a configured admin token the endpoint is off and says how to switch it on",
          "[integration][snapshot][admin]") {
  admin_server server("");
  for (const std::string authorization : {"", "Bearer ", "Bearer anything"}) {
    const auto result = server.post(authorization);
    CHECK(result.status == 404);
    CHECK_THAT(result.body, Catch::Contains("ADMIN_TOKEN"));
  }
  CHECK(server.taken == 0);
}

TEST_CASE("lastcall snapshot writes the server's snapshot to the file",
          "[integration][snapshot][admin]") {
  admin_server server(token);
  const auto out = temporary_path("snapshot-cli");
  std::filesystem::remove(out);
  const auto run = run_lastcall({"snapshot", "--out", out, "--server", server.url()},
                                {{"ADMIN_TOKEN", token}}, "snapshot-cli");
  INFO(run.output);
  CHECK(run.exit_code == 0);
  CHECK_THAT(run.output, Catch::Contains("snapshot at event 123 written to " + out));
  CHECK(run.output.find(token) == std::string::npos);
  CHECK(persistence::read_whole_file(out) == valid_snapshot_text());
  std::filesystem::remove(out);

  // The token may come from a file, and the server from HTTP_HOST and HTTP_PORT.
  const auto token_file = temporary_path("admin-token");
  std::ofstream(token_file) << token << "\n";
  const auto from_settings = run_lastcall({"snapshot", "--out", out},
                                          {{"ADMIN_TOKEN_FILE", token_file},
                                           {"HTTP_HOST", "127.0.0.1"},
                                           {"HTTP_PORT", std::to_string(server.port)}},
                                          "snapshot-cli-settings");
  INFO(from_settings.output);
  CHECK(from_settings.exit_code == 0);
  CHECK(std::filesystem::exists(out));
  std::filesystem::remove(out);
  std::filesystem::remove(token_file);
}

TEST_CASE("lastcall snapshot keeps nothing when the server refuses or answers nonsense",
          "[integration][snapshot][admin]") {
  admin_server server(token);
  const auto out = temporary_path("snapshot-cli-refused");
  std::filesystem::remove(out);

  auto run = run_lastcall({"snapshot", "--out", out, "--server", server.url()},
                          {{"ADMIN_TOKEN", "wrong"}}, "snapshot-cli-wrong-token");
  CHECK(run.exit_code == 1);
  CHECK_THAT(run.output, Catch::Contains("refused the admin token"));
  CHECK_FALSE(std::filesystem::exists(out));

  server.answer.text = valid_snapshot_text().substr(0, 40);
  run = run_lastcall({"snapshot", "--out", out, "--server", server.url()}, {{"ADMIN_TOKEN", token}},
                     "snapshot-cli-truncated");
  CHECK(run.exit_code == 1);
  CHECK_THAT(run.output, Catch::Contains("not a usable snapshot"));
  CHECK_FALSE(std::filesystem::exists(out));

  run = run_lastcall({"snapshot", "--out", out, "--server", server.url()}, {{"ADMIN_TOKEN", ""}},
                     "snapshot-cli-no-token");
  CHECK(run.exit_code == 2);
  CHECK_THAT(run.output, Catch::Contains("ADMIN_TOKEN"));
  run = run_lastcall({"snapshot", "--server", server.url()}, {{"ADMIN_TOKEN", token}},
                     "snapshot-cli-no-out");
  CHECK(run.exit_code == 2);
  CHECK_THAT(run.output, Catch::Contains("--out FILE"));
  CHECK_FALSE(std::filesystem::exists(out));
}
