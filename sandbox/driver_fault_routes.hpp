#pragma once
// The driver API for trouble on purpose (faults.hpp):
//
//   POST /driver/faults  replaces the fault plan; every kind left out is off, so {} clears it.
//     {"drop_connection"|"malformed_body"|"server_error": {"next"?: N, "fraction"?: 0..1},
//      "too_many_requests": {"next"?, "fraction"?, "retry_after"?: seconds (1)},
//      "slow_answer": {"next"?, "fraction"?, "delay_ms"?: (500)},
//      "methods"?: ["sendMessage", ...], "seed"?: N,
//      "rate_limits"?: {"per_chat_per_second", "global_per_second", "per_chat_burst"?}}
//   GET  /driver/faults  {"plan": as above, "injected": {kind: count}, "rate_limited": count of
//                         429s flood control gave}

#include <httplib.h>

#include "sandbox/world.hpp"

namespace lastcall::sandbox {

// `state` must outlive `http`'s serving.
void install_driver_fault_routes(httplib::Server& http, world& state);

// The plan a POST /driver/faults body describes; std::invalid_argument when it is malformed.
fault_plan fault_plan_from_json(const nlohmann::json& body);
nlohmann::json fault_plan_to_json(const fault_plan& plan);

}  // namespace lastcall::sandbox
