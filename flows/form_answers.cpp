#include "flows/form_answers.hpp"

#include "domain/input_parsing.hpp"
#include "flows/business_common.hpp"

namespace lastcall::flows::biz {

namespace {

bool has_string(const nlohmann::json& draft, const std::string& key) {
  return draft.is_object() && draft.contains(key) && draft.at(key).is_string();
}

bool has_non_empty_string(const nlohmann::json& draft, const std::string& key) {
  return has_string(draft, key) && !draft.at(key).get<std::string>().empty();
}

bool has_integer(const nlohmann::json& draft, const std::string& key) {
  return draft.is_object() && draft.contains(key) && draft.at(key).is_number_integer();
}

bool has_number(const nlohmann::json& draft, const std::string& key) {
  return draft.is_object() && draft.contains(key) && draft.at(key).is_number();
}

// A parser's reason ("input.too_long") as the business forms word it.
refusal input_refused(const std::string& reason_key, size_t max_chars = 0) {
  return {"business." + reason_key, {{"max", std::to_string(max_chars)}}};
}

const telegram::message& message_of(const turn& t) {
  return *t.update().message;
}

// A reply parsed into one integer under `key`.
template <class Parse>
form_answer integer_answer(const std::string& key, Parse parse) {
  return {[key](const nlohmann::json& draft) { return has_integer(draft, key); },
          [key, parse](turn& t, nlohmann::json& draft) -> std::optional<refusal> {
            auto parsed = parse(message_of(t).text);
            if (!parsed.ok()) return input_refused(parsed.reason_key);
            draft[key] = *parsed.value;
            return std::nullopt;
          }};
}

}  // namespace

form_answer text_answer(const std::string& key, size_t max_chars, bool allow_newlines,
                        const std::string& not_text_key) {
  return {[key](const nlohmann::json& draft) { return has_non_empty_string(draft, key); },
          [=](turn& t, nlohmann::json& draft) -> std::optional<refusal> {
            const auto& text = message_of(t).text;
            if (text.empty()) return refusal{not_text_key, {}};
            auto checked = domain::validate_text(text, max_chars, allow_newlines);
            if (!checked.ok()) return input_refused(checked.reason_key, max_chars);
            draft[key] = *checked.value;
            return std::nullopt;
          }};
}

form_answer photo_answer(const std::string& key, const std::string& neither_key) {
  return {[key](const nlohmann::json& draft) { return has_string(draft, key); },
          [=](turn& t, nlohmann::json& draft) -> std::optional<refusal> {
            const auto file_id = photo_file_id(t);
            if (!file_id.empty()) {
              draft[key] = file_id;
            } else if (is_label(t, "business.button.skip", message_of(t).text)) {
              draft[key] = "";
            } else {
              return refusal{neither_key, {}};
            }
            return std::nullopt;
          }};
}

form_answer location_answer(const std::string& not_location_key) {
  return {[](const nlohmann::json& draft) {
            return has_number(draft, "latitude") && has_number(draft, "longitude");
          },
          [=](turn& t, nlohmann::json& draft) -> std::optional<refusal> {
            const auto& location = message_of(t).location;
            if (!location) return refusal{not_location_key, {}};
            draft["latitude"] = location->latitude;
            draft["longitude"] = location->longitude;
            return std::nullopt;
          }};
}

form_answer phone_answer(const std::string& key, const std::string& no_phone_key) {
  return {[key](const nlohmann::json& draft) { return has_non_empty_string(draft, key); },
          [=](turn& t, nlohmann::json& draft) -> std::optional<refusal> {
            const auto& message = message_of(t);
            const std::string raw = message.contact ? message.contact->phone_number : message.text;
            if (raw.empty()) return refusal{no_phone_key, {}};
            auto checked = domain::validate_phone(raw);
            if (!checked.ok()) return input_refused("input.phone.invalid");
            draft[key] = *checked.value;
            return std::nullopt;
          }};
}

form_answer money_answer(const std::string& key) {
  return integer_answer(key, domain::parse_money);
}

form_answer discount_answer(const std::string& key, const std::string& original_key) {
  auto money = money_answer(key);
  money.take = [key, original_key](turn& t, nlohmann::json& draft) -> std::optional<refusal> {
    auto price = domain::parse_money(message_of(t).text);
    if (!price.ok()) return input_refused(price.reason_key);
    const auto original = draft.value(original_key, int64_t{0});
    if (*price.value >= original)
      return refusal{"business.offer.deal_not_lower", {{"original", money_text(t, original)}}};
    draft[key] = *price.value;
    return std::nullopt;
  };
  return money;
}

form_prompt deal_price_prompt(const std::string& original_key) {
  return {"business.offer.ask_deal",
          [original_key](const turn& t, const nlohmann::json& draft) -> domain::text_args {
            return {{"original", money_text(t, draft.value(original_key, int64_t{0}))}};
          }};
}

form_answer quantity_answer(const std::string& key) {
  return integer_answer(key, domain::parse_quantity);
}

form_answer window_answer() {
  return {[](const nlohmann::json& draft) {
            return has_integer(draft, "pickup_start") && has_integer(draft, "pickup_end");
          },
          [](turn& t, nlohmann::json& draft) -> std::optional<refusal> {
            auto window = domain::parse_pickup_window(message_of(t).text, t.now(),
                                                      t.settings().utc_offset_minutes);
            if (!window.ok()) return input_refused(window.reason_key);
            draft["pickup_start"] = window.value->start;
            draft["pickup_end"] = window.value->end;
            return std::nullopt;
          }};
}

}  // namespace lastcall::flows::biz
