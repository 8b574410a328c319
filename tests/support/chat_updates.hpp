#pragma once
// Updates as Telegram sends them when a user named Ann writes to the bot in a private chat or taps
// one of its inline buttons, for tests that drive the flows without Telegram.

#include <cstdint>
#include <string>

#include "telegram/types.hpp"

namespace lastcall::testing {

// A message from `user` with nothing in it yet: tests add the text, location, contact or photo.
inline telegram::update message_from(int64_t user, int64_t update_id,
                                     const std::string& language = "en") {
  telegram::update u;
  u.update_id = update_id;
  telegram::message m;
  m.message_id = update_id;
  m.chat_id = user;
  m.chat_type = "private";
  m.from = telegram::user{user, false, "Ann", "", language};
  u.message = m;
  return u;
}

// A tap of the button with callback `data` on message `message_id`.
inline telegram::update tap_from(int64_t user, int64_t update_id, const std::string& data,
                                 int64_t message_id) {
  telegram::update u;
  u.update_id = update_id;
  telegram::callback_query q;
  q.id = "q" + std::to_string(update_id);
  q.from = telegram::user{user, false, "Ann", "", "en"};
  q.chat_id = user;
  q.message_id = message_id;
  q.data = data;
  u.callback_query = q;
  return u;
}

}  // namespace lastcall::testing
