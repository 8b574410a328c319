#pragma once
// The parameters of one Bot API call, wherever the client put them: the query string, a JSON body,
// a form-urlencoded body or multipart form fields (later sources override earlier ones). Form and
// query values are strings, JSON values keep their types; the accessors accept both, as Telegram
// does.

#include <cstdint>
#include <optional>
#include <string>

#include <nlohmann/json.hpp>

namespace lastcall::sandbox {

class request_params {
 public:
  // Throws bot_api_error 400 for a string that is not UTF-8, as Telegram refuses those.
  void set(const std::string& name, nlohmann::json value);
  // Adds every field of a JSON object body; throws bot_api_error 400 when `body` is not one.
  void merge_json_body(const std::string& body);
  // Adds every pair of an application/x-www-form-urlencoded body or query string (400 when not
  // UTF-8).
  void merge_form(const std::string& body);

  bool has(const std::string& name) const;
  // Absent: nullopt. Not an integer (nor a string holding one): bot_api_error 400.
  std::optional<int64_t> integer(const std::string& name) const;
  // Like integer() but never throws: 0 when absent or malformed (for bookkeeping such as flood
  // control).
  int64_t integer_or_zero(const std::string& name) const;
  // Absent: nullopt. Not a number (nor a string holding one): bot_api_error 400.
  std::optional<double> number(const std::string& name) const;
  std::string string(const std::string& name) const;  // "" when absent
  bool boolean(const std::string& name) const;        // false when absent
  // The raw value (null when absent): JSON-valued parameters may be a structure or a string holding
  // one.
  nlohmann::json raw(const std::string& name) const;

 private:
  nlohmann::json values_ = nlohmann::json::object();
};

// Decodes %XX escapes and, in form encoding, '+' as a space.
std::string url_decode(const std::string& text);

// Parses "-42" or "42"; nullopt for anything else (including overflow).
std::optional<int64_t> parse_integer(const std::string& text);

}  // namespace lastcall::sandbox
