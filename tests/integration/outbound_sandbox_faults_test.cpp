// The sandbox's deliberate trouble, as a client sees it over HTTP: the fault plan set through the
// driver API, each kind of fault, and flood control with a tolerated burst per chat.

#include <chrono>
#include <string>

#include <httplib.h>
#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>

#include "sandbox/driver_fault_routes.hpp"
#include "sandbox/server.hpp"

using json = nlohmann::json;
using namespace lastcall::sandbox;

namespace {

struct answer {
  bool arrived = false;  // false: the connection ended without a whole answer
  int status = 0;
  std::string body;
};

struct faulty_sandbox {
  server sandbox{server_options{}};
  int port = sandbox.start("127.0.0.1", 0);
  const user_profile ann{42, "Ann", "en", ""};

  faulty_sandbox() { sandbox.state().send_text(ann, "/start"); }

  httplib::Client client() {
    httplib::Client c("127.0.0.1", port);
    c.set_read_timeout(20, 0);
    return c;
  }

  answer post(const std::string& path, const json& body) {
    auto c = client();
    auto result = c.Post(path.c_str(), body.dump(), "application/json");
    if (!result) return {};
    return {true, result->status, result->body};
  }

  answer send(const std::string& text) {
    return post("/bot" + sandbox.token() + "/sendMessage", {{"chat_id", ann.id}, {"text", text}});
  }

  json faults() {
    auto c = client();
    auto result = c.Get("/driver/faults");
    REQUIRE(result);
    return json::parse(result->body);
  }

  size_t delivered() { return sandbox.state().bot_message_count(ann.id); }
};

}  // namespace

TEST_CASE("the driver sets and reports the fault plan", "[integration][outbound][sandbox_faults]") {
  faulty_sandbox s;
  auto set = s.post("/driver/faults", {{"server_error", {{"next", 2}}},
                                       {"slow_answer", {{"fraction", 0.5}, {"delay_ms", 10}}},
                                       {"methods", {"sendMessage"}},
                                       {"seed", 7}});
  REQUIRE(set.status == 200);
  auto plan = s.faults()["plan"];
  CHECK(plan["server_error"]["next"] == 2);
  CHECK(plan["slow_answer"]["fraction"] == 0.5);
  CHECK(plan["slow_answer"]["delay_ms"] == 10);
  CHECK(plan["methods"] == json{"sendMessage"});
  CHECK(plan["seed"] == 7);

  CHECK(s.post("/driver/faults", {{"server_error", {{"fraction", 2}}}}).status == 400);
  CHECK(s.post("/driver/faults", {{"server_error", 3}}).status == 400);
  CHECK(s.post("/driver/faults", {{"methods", "sendMessage"}}).status == 400);
  // An empty plan clears every fault.
  REQUIRE(s.post("/driver/faults", json::object()).status == 200);
  CHECK(s.faults()["plan"]["server_error"]["next"] == 0);
}

TEST_CASE("a 500 or a 429 from the plan leaves the message unsent",
          "[integration][outbound][sandbox_faults]") {
  faulty_sandbox s;
  s.post("/driver/faults", {{"server_error", {{"next", 1}}},
                            {"too_many_requests", {{"next", 1}, {"retry_after", 3}}}});
  auto error = s.send("one");
  CHECK(error.status == 500);
  CHECK(json::parse(error.body)["error_code"] == 500);
  auto throttled = s.send("two");
  CHECK(throttled.status == 429);
  CHECK(json::parse(throttled.body)["parameters"]["retry_after"] == 3);
  CHECK(s.delivered() == 0);
  CHECK(s.send("three").status == 200);
  CHECK(s.delivered() == 1);
  auto injected = s.faults()["injected"];
  CHECK(injected["server_error"] == 1);
  CHECK(injected["too_many_requests"] == 1);
  // Storm 429s are the plan's, not flood control's.
  CHECK(s.faults()["rate_limited"] == 0);
}

TEST_CASE("a dropped connection and a malformed body leave the message unsent",
          "[integration][outbound][sandbox_faults]") {
  faulty_sandbox s;
  s.post("/driver/faults", {{"drop_connection", {{"next", 1}}}, {"malformed_body", {{"next", 1}}}});
  auto dropped = s.send("one");
  CHECK_FALSE(dropped.arrived);
  auto malformed = s.send("two");
  REQUIRE(malformed.arrived);
  CHECK(malformed.status == 200);
  CHECK(json::parse(malformed.body, nullptr, false).is_discarded());
  CHECK(s.delivered() == 0);
  CHECK(s.send("three").status == 200);
  CHECK(s.delivered() == 1);
}

TEST_CASE("a slow answer is delivered, then answered late",
          "[integration][outbound][sandbox_faults]") {
  faulty_sandbox s;
  s.post("/driver/faults", {{"slow_answer", {{"next", 1}, {"delay_ms", 50}}}});
  auto slow = s.send("one");
  CHECK(slow.status == 200);
  CHECK(s.delivered() == 1);
  CHECK(s.faults()["injected"]["slow_answer"] == 1);
}

TEST_CASE("faults spare methods outside the plan", "[integration][outbound][sandbox_faults]") {
  faulty_sandbox s;
  s.post("/driver/faults", {{"server_error", {{"fraction", 1.0}}}});
  auto c = s.client();
  auto me = c.Get(("/bot" + s.sandbox.token() + "/getMe").c_str());
  REQUIRE(me);
  CHECK(me->status == 200);
  CHECK(s.send("one").status == 500);
}

TEST_CASE("flood control lets a chat have its burst, then holds it to its rate",
          "[integration][outbound][sandbox_faults]") {
  auto now = rate_limiter::time_point(std::chrono::seconds(100));
  rate_limits limits;
  limits.per_chat_per_second = 1;
  limits.per_chat_burst = 3;
  rate_limiter limiter(limits, [&now] { return now; });
  CHECK(limiter.admit(1) == 0);
  CHECK(limiter.admit(1) == 0);
  CHECK(limiter.admit(1) == 0);
  CHECK(limiter.admit(1) == 3);  // three in any three seconds
  CHECK(limiter.admit(2) == 0);  // other chats are not affected
  now += std::chrono::milliseconds(2999);
  CHECK(limiter.admit(1) == 1);
  now += std::chrono::milliseconds(1);
  CHECK(limiter.admit(1) == 0);
}

TEST_CASE("the driver sets flood control with a burst along with the faults",
          "[integration][outbound][sandbox_faults]") {
  faulty_sandbox s;
  REQUIRE(s.post("/driver/faults",
                 {{"rate_limits",
                   {{"per_chat_per_second", 1}, {"per_chat_burst", 2}, {"global_per_second", 30}}}})
              .status == 200);
  CHECK(s.send("one").status == 200);
  CHECK(s.send("two").status == 200);
  CHECK(s.send("three").status == 429);
  CHECK(s.faults()["rate_limited"] == 1);
  CHECK(s.post("/driver/faults", {{"rate_limits", {{"per_chat_burst", 2}}}}).status == 400);
}
