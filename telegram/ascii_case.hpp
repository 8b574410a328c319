#pragma once
// Case folding for protocol words: HTTP header names and values, Bot API method names, commands,
// media types. ASCII only, on purpose: these are never people's text.

#include <cctype>
#include <string>
#include <string_view>

namespace lastcall::telegram {

inline std::string ascii_lower(std::string text) {
  for (char& c : text) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return text;
}

inline bool same_ignoring_ascii_case(std::string_view a, std::string_view b) {
  if (a.size() != b.size()) return false;
  for (size_t i = 0; i < a.size(); ++i) {
    if (std::tolower(static_cast<unsigned char>(a[i])) !=
        std::tolower(static_cast<unsigned char>(b[i])))
      return false;
  }
  return true;
}

}  // namespace lastcall::telegram
