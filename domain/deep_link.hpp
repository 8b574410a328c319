#pragma once
// Links that open the bot on a given offer (t.me/<bot>?start=offer_<id>), and reading the payload
// Telegram hands back in "/start <payload>" when someone follows one.

#include <cstdint>
#include <string>

namespace lastcall::domain {

// "https://t.me/<bot>?start=offer_<id>"; a leading '@' on the username is dropped.
std::string offer_deep_link(const std::string& bot_username, int64_t offer_id);

struct start_payload {
  enum class kind { none, offer, invalid };
  kind what = kind::none;
  int64_t id = 0;  // the offer id when what == offer
};

// Telegram allows payloads of at most 64 characters from A-Z, a-z, 0-9, '_' and '-'. An empty
// payload is a plain /start; "offer_<id>" with a positive id opens an offer; anything else is
// invalid (a mangled or foreign link), which callers treat like a plain /start.
start_payload parse_start_payload(const std::string& payload);

}  // namespace lastcall::domain
