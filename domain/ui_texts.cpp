#include "domain/ui_texts.hpp"

#include <stdexcept>

#include <nlohmann/json.hpp>

namespace lastcall::domain {

ui_texts::ui_texts(const std::vector<std::pair<std::string, std::string>>& sources) {
  for (const auto& [code, json_text] : sources) {
    language lang;
    if (!parse(code, lang)) throw std::runtime_error("catalog for unknown language " + code);
    auto json = nlohmann::json::parse(json_text);
    if (!json.is_object()) throw std::runtime_error("catalog " + code + " is not a JSON object");
    auto& texts = texts_[lang];
    for (auto it = json.begin(); it != json.end(); ++it) {
      if (!it.value().is_string())
        throw std::runtime_error("catalog " + code + ": " + it.key() + " is not a string");
      // Feature catalogs of one language must not define a key twice: one would silently win.
      if (!texts.emplace(it.key(), it.value().get<std::string>()).second)
        throw std::runtime_error("catalog " + code + ": " + it.key() + " is defined twice");
    }
  }
}

const ui_texts& ui_texts::builtin() {
  static const ui_texts instance(embedded_ui_texts());
  return instance;
}

std::string ui_texts::text(language lang, const std::string& key) const {
  for (auto l : {lang, language::en}) {
    auto texts = texts_.find(l);
    if (texts == texts_.end()) continue;
    auto it = texts->second.find(key);
    if (it != texts->second.end()) return it->second;
  }
  return key;
}

std::string ui_texts::format(language lang, const std::string& key, const text_args& args) const {
  return fill(text(lang, key), args);
}

bool ui_texts::has(language lang, const std::string& key) const {
  auto texts = texts_.find(lang);
  return texts != texts_.end() && texts->second.count(key) > 0;
}

std::vector<std::string> ui_texts::keys(language lang) const {
  std::vector<std::string> result;
  auto texts = texts_.find(lang);
  if (texts == texts_.end()) return result;
  for (const auto& entry : texts->second) result.push_back(entry.first);
  return result;
}

std::string fill(const std::string& text, const text_args& args) {
  std::string out;
  out.reserve(text.size());
  size_t i = 0;
  while (i < text.size()) {
    if (text[i] == '{') {
      auto close = text.find('}', i + 1);
      if (close != std::string::npos) {
        auto it = args.find(text.substr(i + 1, close - i - 1));
        if (it != args.end()) {
          out += it->second;
          i = close + 1;
          continue;
        }
      }
    }
    out += text[i++];
  }
  return out;
}

}  // namespace lastcall::domain
