#include <catch2/catch.hpp>

#include "telegram/redact.hpp"

using lastcall::telegram::redact;

namespace {
const std::string token = "123456789:AAHdqTcvCH1vGWJxfSeofSAs0K5PALDsaw";
}

TEST_CASE("redact replaces every raw occurrence of the secret", "[telegram][redact]") {
  const std::string text =
      "POST https://api.telegram.org/bot" + token + "/getMe failed; again " + token;
  const std::string out = redact(text, token);
  CHECK(out == "POST https://api.telegram.org/bot<redacted>/getMe failed; again <redacted>");
  CHECK(out.find(token) == std::string::npos);
}

TEST_CASE("redact replaces the URL-encoded secret in either hex case", "[telegram][redact]") {
  const std::string upper = "url=/bot123456789%3AAAHdqTcvCH1vGWJxfSeofSAs0K5PALDsaw/getMe";
  const std::string lower = "url=/bot123456789%3aAAHdqTcvCH1vGWJxfSeofSAs0K5PALDsaw/getMe";
  CHECK(redact(upper, token) == "url=/bot<redacted>/getMe");
  CHECK(redact(lower, token) == "url=/bot<redacted>/getMe");
}

TEST_CASE("redact handles back-to-back and whole-text occurrences", "[telegram][redact]") {
  CHECK(redact(token + token, token) == "<redacted><redacted>");
  CHECK(redact(token, token) == "<redacted>");
}

TEST_CASE("redact leaves text without the secret unchanged", "[telegram][redact]") {
  const std::string text = "Couldn't connect to server: 127.0.0.1 port 8081";
  CHECK(redact(text, token) == text);
  CHECK(redact("", token).empty());
  // A part of the secret is not the secret.
  CHECK(redact("123456789", token) == "123456789");
}

TEST_CASE("redact with an empty secret changes nothing", "[telegram][redact]") {
  CHECK(redact("some text", "") == "some text");
}
