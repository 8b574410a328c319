#include "telegram/api_result.hpp"

#include "telegram/answer_salvage.hpp"
#include "telegram/redact.hpp"

namespace lastcall::telegram {
namespace {

// Telegram's integers here (error codes, seconds) are small; anything else reads as 0.
int small_int_field(const nlohmann::json& object, const char* key) {
  const auto it = object.find(key);
  if (it == object.end() || !it->is_number_integer()) return 0;
  const auto value = it->get<int64_t>();
  return value >= 0 && value <= 1'000'000'000 ? static_cast<int>(value) : 0;
}

}  // namespace

api_result transport_failure(std::string description, long http_status) {
  api_result out;
  out.kind = api_result::outcome::transport_error;
  out.http_status = http_status;
  out.description = std::move(description);
  return out;
}

api_result interpret_response(long http_status, const std::string& body,
                              const std::string& secret) {
  nlohmann::json answer = nlohmann::json::parse(body, nullptr, /*allow_exceptions=*/false);
  salvaged_answer salvaged;
  if (answer.is_discarded()) {
    if (auto read = salvage_answer(body)) {
      salvaged = std::move(*read);
      answer = std::move(salvaged.answer);
    }
  }
  const auto ok_field = answer.is_object() ? answer.find("ok") : answer.end();
  if (!answer.is_object() || ok_field == answer.end() || !ok_field->is_boolean()) {
    return transport_failure("HTTP " + std::to_string(http_status) + " without a Bot API answer",
                             http_status);
  }

  api_result out;
  out.http_status = http_status;
  out.undecodable_entries = salvaged.dropped_entries;
  out.undecodable_update_ids = std::move(salvaged.dropped_update_ids);
  if (ok_field->get<bool>()) {
    out.kind = api_result::outcome::ok;
    if (const auto result = answer.find("result"); result != answer.end()) {
      out.result = std::move(*result);
    }
    return out;
  }

  out.kind = api_result::outcome::api_error;
  out.error_code = small_int_field(answer, "error_code");
  if (const auto description = answer.find("description");
      description != answer.end() && description->is_string()) {
    out.description = redact(description->get<std::string>(), secret);
  }
  if (const auto parameters = answer.find("parameters");
      parameters != answer.end() && parameters->is_object()) {
    out.retry_after = small_int_field(*parameters, "retry_after");
  }
  return out;
}

}  // namespace lastcall::telegram
