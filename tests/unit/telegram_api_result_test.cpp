#include <catch2/catch.hpp>

#include "telegram/api_result.hpp"

using namespace lastcall::telegram;
using nlohmann::json;

namespace {
const std::string token = "123456789:AAHdqTcvCH1vGWJxfSeofSAs0K5PALDsaw";
}

TEST_CASE("an ok answer carries its result", "[telegram][api_result]") {
  const api_result r =
      interpret_response(200, R"({"ok":true,"result":{"message_id":1366,"chat":{"id":5}}})", token);
  CHECK(r.ok());
  CHECK(r.http_status == 200);
  CHECK(r.result["message_id"] == 1366);
  CHECK(r.description.empty());

  const api_result bare = interpret_response(200, R"({"ok":true,"result":true})", token);
  CHECK(bare.ok());
  CHECK(bare.result == true);
}

TEST_CASE("an error answer carries code, description and retry_after", "[telegram][api_result]") {
  const api_result bad = interpret_response(
      400, R"({"ok":false,"error_code":400,"description":"Bad Request: chat not found"})", token);
  CHECK(bad.kind == api_result::outcome::api_error);
  CHECK_FALSE(bad.ok());
  CHECK(bad.http_status == 400);
  CHECK(bad.error_code == 400);
  CHECK(bad.description == "Bad Request: chat not found");
  CHECK(bad.retry_after == 0);

  const api_result limited = interpret_response(
      429,
      R"({"ok":false,"error_code":429,"description":"Too Many Requests: retry after 7",
          "parameters":{"retry_after":7}})",
      token);
  CHECK(limited.kind == api_result::outcome::api_error);
  CHECK(limited.error_code == 429);
  CHECK(limited.retry_after == 7);
}

TEST_CASE("an error answer's odd fields read as zero or empty", "[telegram][api_result]") {
  const api_result r = interpret_response(
      500, R"({"ok":false,"error_code":"500","description":5,"parameters":{"retry_after":-3}})",
      token);
  CHECK(r.kind == api_result::outcome::api_error);
  CHECK(r.error_code == 0);
  CHECK(r.description.empty());
  CHECK(r.retry_after == 0);
}

TEST_CASE("a body that is not a Bot API answer is a transport error", "[telegram][api_result]") {
  for (const char* body : {"<html><body>502 Bad Gateway</body></html>", "", "[1,2]",
                           R"({"result":1})", R"({"ok":"true"})", "{\"ok\":tru"}) {
    const api_result r = interpret_response(502, body, token);
    CHECK(r.kind == api_result::outcome::transport_error);
    CHECK(r.http_status == 502);
    CHECK_FALSE(r.description.empty());
    CHECK(r.description.find("Bad Gateway") == std::string::npos);
  }
}

TEST_CASE("the token is redacted from Telegram's description", "[telegram][api_result]") {
  const api_result r = interpret_response(
      401, R"({"ok":false,"error_code":401,"description":"Unauthorized: )" + token + R"("})",
      token);
  CHECK(r.description == "Unauthorized: <redacted>");
}

TEST_CASE("an update that is not valid JSON is left out, not the whole batch",
          "[telegram][api_result]") {
  // Telegram has cut texts between the halves of a surrogate pair; a strict parser refuses the
  // lone half, and with it every other update of the answer.
  const std::string body =
      R"({"ok":true,"result":[)"
      R"({"update_id":7,"message":{"message_id":1,"chat":{"id":5},"text":"hi"}},)"
      R"({"update_id":8,"message":{"message_id":2,"chat":{"id":5},"text":"cut \ud800"}},)"
      R"({"update_id":9,"message":{"message_id":3,"chat":{"id":5},"text":"{[\"]}"}}]})";
  const api_result r = interpret_response(200, body, token);
  REQUIRE(r.ok());
  REQUIRE(r.result.is_array());
  REQUIRE(r.result.size() == 2);
  CHECK(r.result[0]["update_id"] == 7);
  CHECK(r.result[1]["update_id"] == 9);
  CHECK(r.result[1]["message"]["text"] == "{[\"]}");
  CHECK(r.undecodable_entries == 1);
  CHECK(r.undecodable_update_ids == std::vector<int64_t>{8});
}

TEST_CASE("an undecodable entry without a readable update_id is still counted",
          "[telegram][api_result]") {
  const api_result r = interpret_response(
      200, R"({"ok":true,"result":[{"message":{"text":"\udc00"}},{"update_id":3}]})", token);
  REQUIRE(r.ok());
  CHECK(r.result.size() == 1);
  CHECK(r.undecodable_entries == 1);
  CHECK(r.undecodable_update_ids.empty());
}

TEST_CASE("a sent message echoed with an undecodable text is still a success",
          "[telegram][api_result]") {
  // Read as a failure, the call would be sent again: the user would get the message twice.
  const api_result r =
      interpret_response(200, R"({"ok":true,"result":{"message_id":4,"text":"\ud83d"}})", token);
  CHECK(r.ok());
  CHECK(r.result.is_null());
  CHECK(r.undecodable_entries == 1);
}

TEST_CASE("an answer with an undecodable description keeps its code", "[telegram][api_result]") {
  const api_result r =
      interpret_response(400, R"({"ok":false,"error_code":400,"description":"Bad \ud800"})", token);
  CHECK(r.kind == api_result::outcome::api_error);
  CHECK(r.error_code == 400);
  CHECK(r.description.empty());
}

TEST_CASE("a body cut short or broken in structure is still a transport error",
          "[telegram][api_result]") {
  for (const char* body :
       {R"({"ok":true,"result":{"message_id":)", R"({"ok":true,"result":[{"update_id":1})",
        R"({"ok":true,"result":[{"update_id":1,"text":"\ud800"}] trailing)",
        R"({"ok":true "result":[]})", R"({"ok":true,"result":["\ud800)", "\"\\ud800\""}) {
    const api_result r = interpret_response(200, body, token);
    INFO(body);
    CHECK(r.kind == api_result::outcome::transport_error);
  }
}

TEST_CASE("reading only the status agrees with reading the whole answer",
          "[telegram][api_result]") {
  const char* bodies[] = {
      R"({"ok":true,"result":{"message_id":1366,"chat":{"id":5},"text":"a \"quoted\" text"}})",
      R"({"ok":true,"result":[1,{"ok":false},[{"error_code":3}]]})",
      R"({"result":{"ok":false,"error_code":400},"ok":true})",
      R"({"ok":false,"error_code":400,"description":"Bad Request: chat not found"})",
      R"({"ok":false,"error_code":429,"description":"Too Many Requests: retry after 7",
          "parameters":{"migrate":{"retry_after":99},"retry_after":7}})",
      R"({"ok":false,"error_code":"500","description":5,"parameters":{"retry_after":-3}})",
      R"({"ok":false,"error_code":400,"error_code":403,"description":"a","description":7})",
      R"({"ok":false,"parameters":{"retry_after":5},"parameters":[1]})",
      R"({"ok":false,"error_code":99999999999,"parameters":{"retry_after":3000000000}})",
      R"({"ok":1,"ok":false,"error_code":401,"description":"Unauthorized 123456789:AAHdqTcvCH1vGWJxfSeofSAs0K5PALDsaw"})",
      "<html>502</html>",
      "",
      "[1,2]",
      R"({"result":1})",
      R"({"ok":"true"})",
      "{\"ok\":tru",
      R"({"ok":true,"result":{"message_id":4,"text":"\ud83d"}})",
      R"({"ok":false,"error_code":400,"description":"Bad \ud800"})",
  };
  for (const char* body : bodies) {
    INFO(body);
    const api_result whole = interpret_response(400, body, token);
    const api_result status = interpret_response(400, body, token, answer_reading::status_only);
    CHECK(status.kind == whole.kind);
    CHECK(status.http_status == whole.http_status);
    CHECK(status.error_code == whole.error_code);
    CHECK(status.description == whole.description);
    CHECK(status.retry_after == whole.retry_after);
    CHECK(status.result.is_null());
  }
}

TEST_CASE("an answer that opens with ok true succeeded, when only its status is read",
          "[telegram][api_result]") {
  // Telegram writes "ok" first; what follows is the result, which nobody reads here.
  for (const char* body : {R"({"ok":true})", R"({"ok":true,"result":{"message_id":1})",
                           R"({"ok":true,"result":{"text":"\ud83d broken"})"}) {
    INFO(body);
    const api_result status = interpret_response(200, body, token, answer_reading::status_only);
    CHECK(status.kind == api_result::outcome::ok);
    CHECK(status.http_status == 200);
    CHECK(status.result.is_null());
  }
  // Not an opening "ok":true, or cut short: read in full.
  for (const char* body : {R"({"ok":truex})", R"({"ok":true)", R"({"ok":true,"result":{"id":)",
                           R"( {"ok":false,"error_code":400})"}) {
    INFO(body);
    CHECK(interpret_response(400, body, token, answer_reading::status_only).kind !=
          api_result::outcome::ok);
  }
}
