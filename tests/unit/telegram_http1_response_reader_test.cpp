#include <catch2/catch.hpp>

#include <zlib.h>

#include <string>
#include <vector>

#include "telegram/bot_api_endpoint.hpp"
#include "telegram/http1_response_reader.hpp"

using namespace lastcall::telegram;

namespace {

const std::string ok_answer =
    "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: 11\r\n\r\n{\"ok\":true}";

std::string gzip_of(const std::string& text) {
  z_stream stream{};
  deflateInit2(&stream, Z_DEFAULT_COMPRESSION, Z_DEFLATED, 15 + 16, 8, Z_DEFAULT_STRATEGY);
  std::string out(deflateBound(&stream, text.size()) + 32, '\0');
  stream.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(text.data()));
  stream.avail_in = static_cast<uInt>(text.size());
  stream.next_out = reinterpret_cast<Bytef*>(out.data());
  stream.avail_out = static_cast<uInt>(out.size());
  deflate(&stream, Z_FINISH);
  out.resize(stream.total_out);
  deflateEnd(&stream);
  return out;
}

// Feeds `bytes` in pieces of `step` and returns every answer read.
std::vector<http1_response> read_in_steps(const std::string& bytes, size_t step,
                                          http1_response_reader& reader) {
  std::vector<http1_response> done;
  for (size_t at = 0; at < bytes.size(); at += step) {
    const size_t n = std::min(step, bytes.size() - at);
    REQUIRE(reader.feed(bytes.data() + at, n, done) == http1_response_reader::verdict::more);
  }
  return done;
}

}  // namespace

TEST_CASE("pipelined answers in one read come out in order, however the bytes are cut",
          "[telegram][http1]") {
  const std::string second = "HTTP/1.1 400 Bad Request\r\ncontent-length: 5\r\n\r\nnope!";
  const std::string chunked =
      "HTTP/1.1 200 OK\r\nTransfer-Encoding: "
      "chunked\r\n\r\n4;ext=1\r\n{\"ok\r\n7\r\n\":true}\r\n0\r\n"
      "X-Trailer: 1\r\n\r\n";
  const std::string bytes = ok_answer + second + chunked;
  for (size_t step : {bytes.size(), size_t{1}, size_t{2}, size_t{7}, size_t{64}}) {
    http1_response_reader reader;
    const auto done = read_in_steps(bytes, step, reader);
    REQUIRE(done.size() == 3);
    CHECK(done[0].status == 200);
    CHECK(done[0].body == "{\"ok\":true}");
    CHECK_FALSE(done[0].closes);
    CHECK(done[1].status == 400);
    CHECK(done[1].body == "nope!");
    CHECK(done[2].body == "{\"ok\":true}");
    CHECK_FALSE(reader.started());
  }
}

TEST_CASE("a gzip answer is inflated", "[telegram][http1]") {
  const std::string json = R"({"ok":true,"result":[{"update_id":1},{"update_id":2}]})";
  const std::string body = gzip_of(json);
  const std::string bytes = "HTTP/1.1 200 OK\r\nContent-Encoding: gzip\r\nContent-Length: " +
                            std::to_string(body.size()) + "\r\n\r\n" + body;
  http1_response_reader reader;
  const auto done = read_in_steps(bytes, 5, reader);
  REQUIRE(done.size() == 1);
  CHECK(done[0].body == json);
}

TEST_CASE("the server's wish to close is read from the answer", "[telegram][http1]") {
  std::vector<http1_response> done;
  http1_response_reader reader;
  const std::string closing = "HTTP/1.1 200 OK\r\nConnection: close\r\nContent-Length: 2\r\n\r\n{}";
  REQUIRE(reader.feed(closing.data(), closing.size(), done) ==
          http1_response_reader::verdict::more);
  REQUIRE(done.size() == 1);
  CHECK(done[0].closes);

  // HTTP/1.0 closes unless it says keep-alive.
  http1_response_reader old;
  const std::string plain_10 = "HTTP/1.0 200 OK\r\nContent-Length: 2\r\n\r\n{}";
  const std::string kept_10 =
      "HTTP/1.0 200 OK\r\nConnection: keep-alive\r\nContent-Length: 2\r\n\r\n{}";
  done.clear();
  REQUIRE(old.feed(plain_10.data(), plain_10.size(), done) == http1_response_reader::verdict::more);
  REQUIRE(old.feed(kept_10.data(), kept_10.size(), done) == http1_response_reader::verdict::more);
  REQUIRE(done.size() == 2);
  CHECK(done[0].closes);
  CHECK_FALSE(done[1].closes);
}

TEST_CASE("an answer without a length runs until the connection closes", "[telegram][http1]") {
  http1_response_reader reader;
  std::vector<http1_response> done;
  const std::string bytes = "HTTP/1.1 502 Bad Gateway\r\n\r\n<html>bad</html>";
  REQUIRE(reader.feed(bytes.data(), bytes.size(), done) == http1_response_reader::verdict::more);
  CHECK(done.empty());
  CHECK(reader.finish_at_close(done));
  REQUIRE(done.size() == 1);
  CHECK(done[0].status == 502);
  CHECK(done[0].body == "<html>bad</html>");
  CHECK(done[0].closes);
}

TEST_CASE("a close in the middle of an answer is told apart from one between answers",
          "[telegram][http1]") {
  std::vector<http1_response> done;
  http1_response_reader between;
  REQUIRE(between.feed(ok_answer.data(), ok_answer.size(), done) ==
          http1_response_reader::verdict::more);
  CHECK(between.finish_at_close(done));

  http1_response_reader cut;
  REQUIRE(cut.feed(ok_answer.data(), ok_answer.size() - 3, done) ==
          http1_response_reader::verdict::more);
  CHECK(cut.started());
  CHECK_FALSE(cut.finish_at_close(done));
}

TEST_CASE("100 Continue is skipped and 204 has no body", "[telegram][http1]") {
  const std::string bytes =
      "HTTP/1.1 100 Continue\r\n\r\nHTTP/1.1 204 No Content\r\n\r\n" + ok_answer;
  http1_response_reader reader;
  const auto done = read_in_steps(bytes, 3, reader);
  REQUIRE(done.size() == 2);
  CHECK(done[0].status == 204);
  CHECK(done[0].body.empty());
  CHECK(done[1].status == 200);
}

TEST_CASE("bytes that are not an HTTP answer fail the connection without quoting them",
          "[telegram][http1]") {
  const std::vector<std::string> hostile = {
      "SSH-2.0-OpenSSH_9.2\r\n",
      "HTTP/1.1 2x0 OK\r\n\r\n",
      "HTTP/1.1 200 OK\r\nContent-Length: -1\r\n\r\n",
      "HTTP/1.1 200 OK\r\nContent-Length: 99999999999999999999999\r\n\r\n",
      "HTTP/1.1 200 OK\r\nContent-Length: 2\r\nContent-Length: 3\r\n\r\n",
      "HTTP/1.1 200 OK\r\nno colon here\r\n\r\n",
      "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\n",
      "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n2\r\nabXY\r\n",
      "HTTP/1.1 200 OK\r\nContent-Encoding: gzip\r\nContent-Length: 4\r\n\r\nsecr",
      "HTTP/1.1 200 OK\r\nX-Long: " + std::string(http1_response_reader::max_head_bytes, 'a'),
  };
  for (const std::string& bytes : hostile) {
    http1_response_reader reader;
    std::vector<http1_response> done;
    CHECK(reader.feed(bytes.data(), bytes.size(), done) == http1_response_reader::verdict::failed);
    CHECK(done.empty());
    CHECK_FALSE(reader.error().empty());
    CHECK(reader.error().find("secr") == std::string::npos);
    CHECK(reader.error().find("SSH") == std::string::npos);
    // Once failed, it stays failed.
    CHECK(reader.feed(ok_answer.data(), ok_answer.size(), done) ==
          http1_response_reader::verdict::failed);
  }
}

TEST_CASE("the Bot API URL gives scheme, host, port and path", "[telegram][http1]") {
  std::string error;
  auto telegram = parse_bot_api_endpoint("https://api.telegram.org", error);
  REQUIRE(telegram);
  CHECK(telegram->tls);
  CHECK(telegram->host == "api.telegram.org");
  CHECK(telegram->port == "443");
  CHECK(telegram->host_header == "api.telegram.org");
  CHECK(telegram->path.empty());

  auto local = parse_bot_api_endpoint("http://127.0.0.1:8081/", error);
  REQUIRE(local);
  CHECK_FALSE(local->tls);
  CHECK(local->port == "8081");
  CHECK(local->host_header == "127.0.0.1:8081");
  CHECK(local->path.empty());

  auto v6 = parse_bot_api_endpoint("http://[::1]:9000/api//", error);
  REQUIRE(v6);
  CHECK(v6->host == "::1");
  CHECK(v6->host_header == "[::1]:9000");
  CHECK(v6->path == "/api");

  for (const char* bad : {"ftp://x", "api.telegram.org", "https://", "http://a:0", "http://a:65536",
                          "http://a:8x", "http://user@a", "http://a/?q", "http://[::1"}) {
    error.clear();
    CHECK_FALSE(parse_bot_api_endpoint(bad, error));
    CHECK_FALSE(error.empty());
  }
}
