// The update parser on arbitrary text: one update as the webhook and the inbox read it
// (parse_update_text), and a batch as getUpdates answers it (parse_updates). Whatever is read must
// keep the parser's promises: a user id is a Telegram one, and a kept update's text reads back.
#include <cstdint>
#include <cstdlib>
#include <string>

#include <spdlog/spdlog.h>
#include <nlohmann/json.hpp>

#include "telegram/update_parser.hpp"

namespace {

using lastcall::telegram::update;

void check_user(const update& u) {
  constexpr int64_t user_id_limit = int64_t{1} << 52;
  if (u.user_id() < 0 || u.user_id() >= user_id_limit) std::abort();
}

}  // namespace

extern "C" int LLVMFuzzerInitialize(int*, char***) {
  spdlog::set_level(spdlog::level::off);  // malformed updates are logged; not what is measured
  return 0;
}

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::string text(reinterpret_cast<const char*>(data), size);

  std::string error;
  if (auto one = lastcall::telegram::parse_update_text(text, &error)) {
    check_user(*one);
  } else if (error.empty()) {
    std::abort();  // a refusal always says why
  }

  const auto json = nlohmann::json::parse(text, nullptr, false);
  if (json.is_discarded()) return 0;
  const auto batch = lastcall::telegram::parse_updates(json);
  if (batch.updates.size() != batch.texts.size()) std::abort();
  for (size_t i = 0; i < batch.updates.size(); ++i) {
    check_user(batch.updates[i]);
    if (batch.updates[i].update_id > batch.max_update_id) std::abort();
    const auto again = lastcall::telegram::parse_update_text(batch.texts[i]);
    if (!again || again->update_id != batch.updates[i].update_id) std::abort();
  }
  return 0;
}
