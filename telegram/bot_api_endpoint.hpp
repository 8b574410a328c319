#pragma once
// Where the Bot API is: the scheme, host and port of its base URL, and the path its methods hang
// under ("https://api.telegram.org" or a local Bot API server such as "http://127.0.0.1:8081").

#include <optional>
#include <string>

namespace lastcall::telegram {

struct bot_api_endpoint {
  bool tls = true;
  std::string host;         // without brackets for an IPv6 address
  std::string port;         // "443", "80" or as given
  std::string host_header;  // as the Host header carries it: "[::1]:8081", "api.telegram.org"
  std::string path;         // before "/bot<token>/", without a trailing slash; often empty
};

// Accepts http:// and https:// URLs without user information, query or fragment. nullopt
// otherwise, with `error` saying why (the URL itself is not quoted: it is not a secret, but the
// caller may have pasted the token into it).
std::optional<bot_api_endpoint> parse_bot_api_endpoint(const std::string& base_url,
                                                       std::string& error);

}  // namespace lastcall::telegram
