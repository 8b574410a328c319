// The salvage of a getUpdates answer that is not valid JSON as a whole, on arbitrary bodies, and
// what the poller does next with it: parse_updates over the salvaged "result".
#include <cstdint>
#include <cstdlib>
#include <string>

#include <spdlog/spdlog.h>

#include "telegram/answer_salvage.hpp"
#include "telegram/update_parser.hpp"

extern "C" int LLVMFuzzerInitialize(int*, char***) {
  spdlog::set_level(spdlog::level::off);
  return 0;
}

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::string body(reinterpret_cast<const char*>(data), size);
  const auto salvaged = lastcall::telegram::salvage_answer(body);
  if (!salvaged) return 0;
  if (!salvaged->answer.is_object()) std::abort();
  if (salvaged->dropped_entries < static_cast<int>(salvaged->dropped_update_ids.size()))
    std::abort();
  (void)salvaged->answer.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
  const auto result = salvaged->answer.find("result");
  if (result != salvaged->answer.end()) (void)lastcall::telegram::parse_updates(*result);
  return 0;
}
