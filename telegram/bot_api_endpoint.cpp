#include "telegram/bot_api_endpoint.hpp"

#include <cctype>

namespace lastcall::telegram {

std::optional<bot_api_endpoint> parse_bot_api_endpoint(const std::string& base_url,
                                                       std::string& error) {
  bot_api_endpoint out;
  std::string rest;
  if (base_url.rfind("https://", 0) == 0) {
    out.tls = true;
    rest = base_url.substr(8);
  } else if (base_url.rfind("http://", 0) == 0) {
    out.tls = false;
    rest = base_url.substr(7);
  } else {
    error = "the Bot API URL must start with http:// or https://";
    return std::nullopt;
  }
  if (rest.find_first_of("?#@") != std::string::npos) {
    error = "the Bot API URL may not hold user information, a query or a fragment";
    return std::nullopt;
  }
  const size_t slash = rest.find('/');
  std::string authority = rest.substr(0, slash);
  out.path = slash == std::string::npos ? "" : rest.substr(slash);
  while (!out.path.empty() && out.path.back() == '/') out.path.pop_back();

  std::string port;
  if (!authority.empty() && authority.front() == '[') {
    const size_t close = authority.find(']');
    if (close == std::string::npos) {
      error = "the Bot API URL has an unclosed IPv6 address";
      return std::nullopt;
    }
    out.host = authority.substr(1, close - 1);
    const std::string after = authority.substr(close + 1);
    if (!after.empty()) {
      if (after.front() != ':') {
        error = "the Bot API URL's host is malformed";
        return std::nullopt;
      }
      port = after.substr(1);
    }
  } else {
    const size_t colon = authority.find(':');
    out.host = authority.substr(0, colon);
    if (colon != std::string::npos) port = authority.substr(colon + 1);
  }
  if (out.host.empty()) {
    error = "the Bot API URL has no host";
    return std::nullopt;
  }
  if (!port.empty()) {
    unsigned long value = 0;
    for (char c : port) {
      if (!std::isdigit(static_cast<unsigned char>(c)) || value > 65535) {
        error = "the Bot API URL's port is not a number from 1 to 65535";
        return std::nullopt;
      }
      value = value * 10 + static_cast<unsigned long>(c - '0');
    }
    if (value == 0 || value > 65535) {
      error = "the Bot API URL's port is not a number from 1 to 65535";
      return std::nullopt;
    }
  }
  out.port = port.empty() ? (out.tls ? "443" : "80") : port;
  out.host_header = authority;
  return out;
}

}  // namespace lastcall::telegram
