#include "telegram/redact.hpp"

#include <cctype>

namespace lastcall::telegram {
namespace {

constexpr const char* redacted_marker = "<redacted>";

bool is_unreserved(unsigned char c) {
  return std::isalnum(c) || c == '-' || c == '.' || c == '_' || c == '~';
}

// The form the secret takes inside a URL: a token "123:ABC" travels as "123%3AABC".
std::string percent_encode(const std::string& text, const char* hex_digits) {
  std::string out;
  for (unsigned char c : text) {
    if (is_unreserved(c)) {
      out += static_cast<char>(c);
    } else {
      out += '%';
      out += hex_digits[c >> 4];
      out += hex_digits[c & 0x0F];
    }
  }
  return out;
}

void replace_all(std::string& text, const std::string& needle) {
  const std::string marker = redacted_marker;
  for (size_t pos = text.find(needle); pos != std::string::npos;
       pos = text.find(needle, pos + marker.size())) {
    text.replace(pos, needle.size(), marker);
  }
}

}  // namespace

std::string redact(std::string text, const std::string& secret) {
  if (secret.empty()) return text;
  for (const std::string& form : {percent_encode(secret, "0123456789ABCDEF"),
                                  percent_encode(secret, "0123456789abcdef"), secret}) {
    replace_all(text, form);
  }
  return text;
}

}  // namespace lastcall::telegram
