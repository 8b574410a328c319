#include "domain/deep_link.hpp"

namespace lastcall::domain {

namespace {

constexpr size_t max_payload_length = 64;
constexpr char offer_prefix[] = "offer_";

bool allowed_in_payload(char c) {
  // Spelled out rather than std::isalnum, which depends on the process locale.
  return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_' ||
         c == '-';
}

std::string trimmed(const std::string& text) {
  const auto first = text.find_first_not_of(" \t\r\n");
  if (first == std::string::npos) return {};
  const auto last = text.find_last_not_of(" \t\r\n");
  return text.substr(first, last - first + 1);
}

}  // namespace

std::string offer_deep_link(const std::string& bot_username, int64_t offer_id) {
  const std::string bot =
      !bot_username.empty() && bot_username[0] == '@' ? bot_username.substr(1) : bot_username;
  return "https://t.me/" + bot + "?start=" + offer_prefix + std::to_string(offer_id);
}

start_payload parse_start_payload(const std::string& raw) {
  const std::string payload = trimmed(raw);
  if (payload.empty()) return {};
  start_payload invalid{start_payload::kind::invalid, 0};
  if (payload.size() > max_payload_length) return invalid;
  for (char c : payload)
    if (!allowed_in_payload(c)) return invalid;

  const std::string prefix = offer_prefix;
  if (payload.compare(0, prefix.size(), prefix) != 0) return invalid;
  const std::string digits = payload.substr(prefix.size());
  // 18 digits always fit in int64_t, so the loop below cannot overflow.
  if (digits.empty() || digits.size() > 18) return invalid;
  int64_t id = 0;
  for (char c : digits) {
    if (c < '0' || c > '9') return invalid;
    id = id * 10 + (c - '0');
  }
  if (id < 1) return invalid;
  return {start_payload::kind::offer, id};
}

}  // namespace lastcall::domain
