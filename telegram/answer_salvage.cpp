#include "telegram/answer_salvage.hpp"

#include <cstring>
#include <string_view>

namespace lastcall::telegram {
namespace {

using nlohmann::json;
constexpr size_t broken = std::string_view::npos;

size_t skip_space(std::string_view text, size_t at) {
  while (at < text.size() && std::strchr(" \t\r\n", text[at]) != nullptr && text[at] != '\0') ++at;
  return at;
}

// The end of the string literal starting at `at` (one past its closing quote).
size_t skip_string(std::string_view text, size_t at) {
  for (size_t i = at + 1; i < text.size(); ++i) {
    if (text[i] == '\\') {
      ++i;
    } else if (text[i] == '"') {
      return i + 1;
    }
  }
  return broken;
}

// The end of the value starting at `at`. Brackets are only counted, not matched by kind: each
// value found is parsed strictly afterwards, so this only has to find where values end.
size_t skip_value(std::string_view text, size_t at) {
  if (at >= text.size()) return broken;
  const char first = text[at];
  if (first == '"') return skip_string(text, at);
  if (first == '{' || first == '[') {
    int depth = 0;
    for (size_t i = at; i < text.size(); ++i) {
      const char c = text[i];
      if (c == '"') {
        i = skip_string(text, i);
        if (i == broken) return broken;
        --i;
      } else if (c == '{' || c == '[') {
        ++depth;
      } else if ((c == '}' || c == ']') && --depth == 0) {
        return i + 1;
      }
    }
    return broken;
  }
  size_t i = at;
  while (i < text.size() && std::strchr(",}] \t\r\n", text[i]) == nullptr) ++i;
  return i == at ? broken : i;
}

// Calls `each(value_text)` for every entry of the array or every member of the object that starts
// at `at` (for members also the key's text); false when the structure is broken.
template <typename Each>
bool for_each_part(std::string_view text, size_t at, bool object, Each&& each) {
  const char close = object ? '}' : ']';
  at = skip_space(text, at + 1);
  if (at < text.size() && text[at] == close) return true;
  for (;;) {
    std::string_view key;
    if (object) {
      if (at >= text.size() || text[at] != '"') return false;
      const size_t key_end = skip_string(text, at);
      if (key_end == broken) return false;
      key = text.substr(at, key_end - at);
      at = skip_space(text, key_end);
      if (at >= text.size() || text[at] != ':') return false;
      at = skip_space(text, at + 1);
    }
    const size_t end = skip_value(text, at);
    if (end == broken) return false;
    each(key, text.substr(at, end - at));
    at = skip_space(text, end);
    if (at >= text.size()) return false;
    if (text[at] == close) return true;
    if (text[at] != ',') return false;
    at = skip_space(text, at + 1);
  }
}

json parse_or_discard(std::string_view text) {
  return json::parse(text.begin(), text.end(), nullptr, /*allow_exceptions=*/false);
}

// The update_id of an entry that does not parse as a whole, when its own member does.
std::optional<int64_t> readable_update_id(std::string_view entry) {
  std::optional<int64_t> id;
  if (entry.empty() || entry[0] != '{') return id;
  for_each_part(entry, 0, true, [&](std::string_view key, std::string_view value) {
    if (key != "\"update_id\"") return;
    const json parsed = parse_or_discard(value);
    if (parsed.is_number_integer()) id = parsed.get<int64_t>();
  });
  return id;
}

bool salvage_result_array(std::string_view array, salvaged_answer& out, json& result) {
  result = json::array();
  return for_each_part(array, 0, false, [&](std::string_view, std::string_view entry) {
    json parsed = parse_or_discard(entry);
    if (!parsed.is_discarded()) {
      result.push_back(std::move(parsed));
      return;
    }
    ++out.dropped_entries;
    if (const auto id = readable_update_id(entry)) out.dropped_update_ids.push_back(*id);
  });
}

}  // namespace

std::optional<salvaged_answer> salvage_answer(const std::string& body) {
  const std::string_view text(body);
  const size_t start = skip_space(text, 0);
  if (start >= text.size() || text[start] != '{') return std::nullopt;
  if (skip_space(text, skip_value(text, start)) != text.size()) return std::nullopt;

  salvaged_answer out;
  out.answer = json::object();
  bool intact = true;
  const bool structured =
      for_each_part(text, start, true, [&](std::string_view key_text, std::string_view value) {
        const json key = parse_or_discard(key_text);
        if (!key.is_string()) return;
        const auto& name = key.get_ref<const std::string&>();
        if (name == "result" && !value.empty() && value[0] == '[') {
          intact = salvage_result_array(value, out, out.answer[name]) && intact;
          return;
        }
        json parsed = parse_or_discard(value);
        if (!parsed.is_discarded()) {
          out.answer[name] = std::move(parsed);
        } else if (name == "result") {
          ++out.dropped_entries;
        }
      });
  if (!structured || !intact) return std::nullopt;
  return out;
}

}  // namespace lastcall::telegram
