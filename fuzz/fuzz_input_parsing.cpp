// What businesses type into forms: prices, quantities, pickup windows (in English, Russian and
// Uzbek day words, at any moment and UTC offset), free text and phone numbers. Every accepted
// value must be within the limits the parsers promise.
#include <cstdint>
#include <cstdlib>
#include <cstring>
#include <string>

#include "domain/input_parsing.hpp"

namespace {

// The first bytes choose the moment and the offset, the rest is the typed text.
template <class T>
T take(const uint8_t*& data, size_t& size) {
  T value{};
  if (size < sizeof value) return value;
  std::memcpy(&value, data, sizeof value);
  data += sizeof value;
  size -= sizeof value;
  return value;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace lastcall::domain;
  // Between 2000 and 2100, and offsets of -14:00..+14:00 as time zones have them.
  const int64_t now = 946684800 + static_cast<int64_t>(take<uint32_t>(data, size) % 3155760000u);
  const int offset = static_cast<int>(take<uint16_t>(data, size) % (28 * 60 + 1)) - 14 * 60;
  const std::string text(reinterpret_cast<const char*>(data), size);

  if (auto money = parse_money(text); money.ok()) {
    if (*money.value <= 0 || *money.value > max_money_minor) std::abort();
    // Whatever a language writes, it reads back as the same amount.
    for (auto lang : {language::en, language::ru, language::uz}) {
      const std::string shown = format_money(*money.value, "", lang);
      if (parse_money(shown).value != money.value) std::abort();
    }
  } else if (money.reason_key.empty()) {
    std::abort();
  }

  if (auto quantity = parse_quantity(text); quantity.ok()) {
    if (*quantity.value < 1 || *quantity.value > max_quantity) std::abort();
  } else if (quantity.reason_key.empty()) {
    std::abort();
  }

  if (auto window = parse_pickup_window(text, now, offset); window.ok()) {
    const auto& w = *window.value;
    if (w.end <= w.start || w.end - w.start > max_window_seconds) std::abort();
    if (w.end <= now || w.start - now > max_window_lead_seconds) std::abort();
    (void)format_pickup_window(w.start, w.end, now, offset);
  } else if (window.reason_key.empty()) {
    std::abort();
  }

  if (auto title = validate_text(text, 64); title.ok()) {
    if (title.value->empty() || title.value->size() > 64 * 4) std::abort();
  }
  (void)validate_text(text, 500, true);

  if (auto phone = validate_phone(text); phone.ok()) {
    const auto& p = *phone.value;
    const size_t digits = p.size() - (!p.empty() && p[0] == '+' ? 1 : 0);
    if (digits < 7 || digits > 15) std::abort();
  }
  return 0;
}
