#include "telegram/command.hpp"

#include <cctype>

#include "telegram/ascii_case.hpp"

namespace lastcall::telegram {
namespace {

bool is_space(char c) {
  return std::isspace(static_cast<unsigned char>(c)) != 0;
}

bool is_command_char(char c) {
  return std::isalnum(static_cast<unsigned char>(c)) != 0 || c == '_';
}

std::string trim(const std::string& text) {
  size_t begin = 0;
  size_t end = text.size();
  while (begin < end && is_space(text[begin])) ++begin;
  while (end > begin && is_space(text[end - 1])) --end;
  return text.substr(begin, end - begin);
}

}  // namespace

std::optional<command> parse_command(const std::string& text, const std::string& bot_username) {
  if (text.empty() || text[0] != '/') return std::nullopt;

  size_t word_end = 1;
  while (word_end < text.size() && !is_space(text[word_end])) ++word_end;
  const std::string word = text.substr(1, word_end - 1);

  const size_t at = word.find('@');
  const std::string name = word.substr(0, at);
  if (name.empty()) return std::nullopt;
  for (char c : name) {
    if (!is_command_char(c)) return std::nullopt;
  }

  if (at != std::string::npos) {
    const std::string own = bot_username.rfind('@', 0) == 0 ? bot_username.substr(1) : bot_username;
    if (own.empty() || ascii_lower(word.substr(at + 1)) != ascii_lower(own)) return std::nullopt;
  }

  return command{ascii_lower(name), trim(text.substr(word_end))};
}

}  // namespace lastcall::telegram
