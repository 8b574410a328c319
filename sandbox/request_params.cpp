#include "sandbox/request_params.hpp"

#include <cerrno>
#include <cmath>
#include <cstdlib>
#include <utility>

#include "sandbox/bot_api_error.hpp"

namespace lastcall::sandbox {

namespace {

int hex_value(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

// Telegram refuses parameters that are not UTF-8; JSON bodies are checked by the JSON parser
// already.
bool valid_utf8(const std::string& text) {
  size_t i = 0;
  while (i < text.size()) {
    const auto lead = static_cast<unsigned char>(text[i]);
    size_t length = 0;
    if (lead < 0x80) {
      length = 1;
    } else if (lead >= 0xC2 && lead <= 0xDF) {
      length = 2;
    } else if (lead >= 0xE0 && lead <= 0xEF) {
      length = 3;
    } else if (lead >= 0xF0 && lead <= 0xF4) {
      length = 4;
    } else {
      return false;
    }
    if (i + length > text.size()) return false;
    for (size_t k = 1; k < length; ++k) {
      if ((static_cast<unsigned char>(text[i + k]) & 0xC0) != 0x80) return false;
    }
    i += length;
  }
  return true;
}

}  // namespace

std::string url_decode(const std::string& text) {
  std::string decoded;
  decoded.reserve(text.size());
  for (size_t i = 0; i < text.size(); ++i) {
    const char c = text[i];
    if (c == '+') {
      decoded += ' ';
    } else if (c == '%' && i + 2 < text.size() && hex_value(text[i + 1]) >= 0 &&
               hex_value(text[i + 2]) >= 0) {
      decoded += static_cast<char>(hex_value(text[i + 1]) * 16 + hex_value(text[i + 2]));
      i += 2;
    } else {
      decoded += c;  // a stray '%' is kept, as lenient servers do
    }
  }
  return decoded;
}

std::optional<int64_t> parse_integer(const std::string& text) {
  if (text.empty()) return std::nullopt;
  const size_t digits_from = text[0] == '-' ? 1 : 0;
  if (digits_from == text.size()) return std::nullopt;
  for (size_t i = digits_from; i < text.size(); ++i) {
    if (text[i] < '0' || text[i] > '9') return std::nullopt;
  }
  errno = 0;
  const long long value = std::strtoll(text.c_str(), nullptr, 10);
  if (errno == ERANGE) return std::nullopt;
  return static_cast<int64_t>(value);
}

void request_params::set(const std::string& name, nlohmann::json value) {
  if (value.is_string() && !valid_utf8(value.get_ref<const std::string&>())) {
    throw bad_request("strings must be encoded in UTF-8");
  }
  values_[name] = std::move(value);
}

void request_params::merge_json_body(const std::string& body) {
  auto parsed = nlohmann::json::parse(body, nullptr, false);
  if (parsed.is_discarded() || !parsed.is_object()) {
    throw bad_request("can't parse request JSON object");
  }
  for (auto& [name, value] : parsed.items()) values_[name] = value;
}

void request_params::merge_form(const std::string& body) {
  size_t start = 0;
  while (start <= body.size()) {
    auto end = body.find('&', start);
    if (end == std::string::npos) end = body.size();
    const auto pair = body.substr(start, end - start);
    if (!pair.empty()) {
      const auto equals = pair.find('=');
      const auto name = url_decode(pair.substr(0, equals));
      const auto value = equals == std::string::npos ? "" : url_decode(pair.substr(equals + 1));
      if (!valid_utf8(name) || !valid_utf8(value)) {
        throw bad_request("strings must be encoded in UTF-8");
      }
      values_[name] = value;
    }
    start = end + 1;
  }
}

bool request_params::has(const std::string& name) const {
  return values_.contains(name);
}

std::optional<int64_t> request_params::integer(const std::string& name) const {
  const auto it = values_.find(name);
  if (it == values_.end() || it->is_null()) return std::nullopt;
  if (it->is_number_integer()) return it->get<int64_t>();
  if (it->is_string()) {
    const auto& text = it->get_ref<const std::string&>();
    if (text.empty()) return std::nullopt;
    if (auto value = parse_integer(text)) return value;
  }
  throw bad_request("field \"" + name + "\" must be of type Integer");
}

std::optional<double> request_params::number(const std::string& name) const {
  const auto it = values_.find(name);
  if (it == values_.end() || it->is_null()) return std::nullopt;
  if (it->is_number()) return it->get<double>();
  if (it->is_string()) {
    const auto& text = it->get_ref<const std::string&>();
    if (text.empty()) return std::nullopt;
    char* end = nullptr;
    errno = 0;
    const double value = std::strtod(text.c_str(), &end);
    if (errno == 0 && end == text.c_str() + text.size() && std::isfinite(value)) return value;
  }
  throw bad_request("field \"" + name + "\" must be of type Number");
}

int64_t request_params::integer_or_zero(const std::string& name) const {
  try {
    return integer(name).value_or(0);
  } catch (const bot_api_error&) {
    return 0;
  }
}

std::string request_params::string(const std::string& name) const {
  const auto it = values_.find(name);
  if (it == values_.end() || it->is_null()) return {};
  if (it->is_string()) return it->get<std::string>();
  return it->dump();
}

bool request_params::boolean(const std::string& name) const {
  const auto it = values_.find(name);
  if (it == values_.end()) return false;
  if (it->is_boolean()) return it->get<bool>();
  if (it->is_number_integer()) return it->get<int64_t>() != 0;
  if (it->is_string()) {
    const auto& text = it->get_ref<const std::string&>();
    return text == "true" || text == "True" || text == "1";
  }
  return false;
}

nlohmann::json request_params::raw(const std::string& name) const {
  const auto it = values_.find(name);
  return it == values_.end() ? nlohmann::json() : *it;
}

}  // namespace lastcall::sandbox
