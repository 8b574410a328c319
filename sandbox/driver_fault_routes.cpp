#include "sandbox/driver_fault_routes.hpp"

#include "sandbox/driver_json.hpp"

namespace lastcall::sandbox {

namespace {

using json = nlohmann::json;

const json& object_or_empty(const json& body, const char* name) {
  static const json empty = json::object();
  const auto it = body.find(name);
  if (it == body.end() || it->is_null()) return empty;
  if (!it->is_object()) throw driver_input_error(std::string("\"") + name + "\" must be an object");
  return *it;
}

int non_negative(const json& body, const char* name, int fallback) {
  if (!body.contains(name)) return fallback;
  const auto value = required_integer(body, name);
  if (value < 0 || value > 1'000'000) {
    throw driver_input_error(std::string("\"") + name + "\" must be between 0 and 1000000");
  }
  return static_cast<int>(value);
}

fault_rule rule_from(const json& body, const char* name) {
  const auto& spec = object_or_empty(body, name);
  fault_rule rule;
  rule.next = non_negative(spec, "next", 0);
  if (spec.contains("fraction")) {
    rule.fraction = required_number(spec, "fraction");
    if (rule.fraction < 0 || rule.fraction > 1)
      throw driver_input_error("\"fraction\" must be between 0 and 1");
  }
  return rule;
}

json rule_to_json(const fault_rule& rule) {
  return {{"next", rule.next}, {"fraction", rule.fraction}};
}

rate_limits limits_from(const json& spec) {
  rate_limits limits;
  limits.per_chat_per_second = non_negative(spec, "per_chat_per_second", 0);
  limits.global_per_second = non_negative(spec, "global_per_second", 0);
  limits.per_chat_burst = non_negative(spec, "per_chat_burst", 0);
  if (limits.per_chat_burst > 0 && limits.per_chat_per_second == 0)
    throw driver_input_error("\"per_chat_burst\" needs \"per_chat_per_second\"");
  return limits;
}

}  // namespace

fault_plan fault_plan_from_json(const json& body) {
  fault_plan plan;
  plan.drop_connection = rule_from(body, "drop_connection");
  plan.malformed_body = rule_from(body, "malformed_body");
  plan.server_error = rule_from(body, "server_error");
  plan.too_many_requests = rule_from(body, "too_many_requests");
  plan.retry_after_seconds =
      non_negative(object_or_empty(body, "too_many_requests"), "retry_after", 1);
  plan.slow_answer = rule_from(body, "slow_answer");
  plan.delay_ms = non_negative(object_or_empty(body, "slow_answer"), "delay_ms", 500);
  if (body.contains("methods")) {
    const auto& methods = body["methods"];
    if (!methods.is_array()) throw driver_input_error("\"methods\" must be a list of names");
    for (const auto& method : methods) {
      if (!method.is_string()) throw driver_input_error("\"methods\" must be a list of names");
      plan.methods.insert(method.get<std::string>());
    }
  }
  if (body.contains("seed")) plan.seed = static_cast<uint64_t>(required_integer(body, "seed"));
  return plan;
}

json fault_plan_to_json(const fault_plan& plan) {
  return {{"drop_connection", rule_to_json(plan.drop_connection)},
          {"malformed_body", rule_to_json(plan.malformed_body)},
          {"server_error", rule_to_json(plan.server_error)},
          {"too_many_requests",
           {{"next", plan.too_many_requests.next},
            {"fraction", plan.too_many_requests.fraction},
            {"retry_after", plan.retry_after_seconds}}},
          {"slow_answer",
           {{"next", plan.slow_answer.next},
            {"fraction", plan.slow_answer.fraction},
            {"delay_ms", plan.delay_ms}}},
          {"methods", plan.methods},
          {"seed", plan.seed}};
}

void install_driver_fault_routes(httplib::Server& http, world& state) {
  http.Post("/driver/faults", guarded([&state](const httplib::Request& request) {
              const auto body = body_of(request);
              auto plan = fault_plan_from_json(body);
              if (body.contains("rate_limits"))
                state.set_rate_limits(limits_from(object_or_empty(body, "rate_limits")));
              state.set_faults(std::move(plan));
              return json{{"ok", true}};
            }));

  http.Get("/driver/faults", guarded([&state](const httplib::Request&) {
             return json{{"ok", true},
                         {"plan", fault_plan_to_json(state.fault_settings())},
                         {"injected", state.injected_faults()},
                         {"rate_limited", state.rate_limited_count()}};
           }));
}

}  // namespace lastcall::sandbox
