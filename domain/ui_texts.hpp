#pragma once
// Interface texts by language and key. Each language has a catalog (domain/texts/<code>.json, a
// flat object of key -> template); a key missing from a catalog falls back to English. Templates
// name their arguments: "Only {left} left" with {"left", "2"}.

#include <map>
#include <string>
#include <utility>
#include <vector>

#include "domain/entities.hpp"

namespace lastcall::domain {

using text_args = std::map<std::string, std::string>;

class ui_texts {
 public:
  // Parses catalogs given as (language code, JSON text); throws std::runtime_error on malformed
  // JSON.
  explicit ui_texts(const std::vector<std::pair<std::string, std::string>>& sources);

  // The catalogs compiled into the binary.
  static const ui_texts& builtin();

  // The template for key in lang, or English when lang lacks it, or the key itself when English
  // does too.
  std::string text(language lang, const std::string& key) const;

  // The template with every {name} replaced by its argument; unknown placeholders stay as they are.
  std::string format(language lang, const std::string& key, const text_args& args = {}) const;

  bool has(language lang, const std::string& key) const;
  std::vector<std::string> keys(language lang) const;

 private:
  std::map<language, std::map<std::string, std::string>> texts_;
};

// Catalog sources compiled in from domain/texts (generated at build time).
const std::vector<std::pair<std::string, std::string>>& embedded_ui_texts();

// Replaces each {name} in text with its argument.
std::string fill(const std::string& text, const text_args& args);

}  // namespace lastcall::domain
