#pragma once
// Keyboards as the Bot API's reply_markup JSON.

#include <string>
#include <vector>

#include <nlohmann/json.hpp>

namespace lastcall::telegram {

// A button under a message. It opens `url` when that is set, otherwise it sends `callback_data`
// back to the bot (Telegram accepts 1-64 bytes there).
struct inline_button {
  std::string text;
  std::string callback_data;
  std::string url;
};

using inline_keyboard = std::vector<std::vector<inline_button>>;  // rows of buttons

// {"inline_keyboard":[[{"text":..,"callback_data":..}]]}
nlohmann::json to_json(const inline_keyboard& keyboard);

// A button of the keyboard that replaces the user's on-screen keyboard; tapping it sends its text,
// or the user's location or phone contact when asked for.
struct reply_button {
  std::string text;
  bool request_location = false;
  bool request_contact = false;
};

struct reply_keyboard {
  std::vector<std::vector<reply_button>> rows;
  bool resize = true;       // fit the keyboard's height to its rows
  bool one_time = false;    // hide it once a button was pressed
  std::string placeholder;  // hint in the input field while the keyboard is shown; empty: none
};

// {"keyboard":[[{"text":..}]],"resize_keyboard":true,"one_time_keyboard":false}
nlohmann::json to_json(const reply_keyboard& keyboard);

// {"remove_keyboard":true}: hides a reply keyboard shown earlier.
nlohmann::json remove_keyboard();

}  // namespace lastcall::telegram
