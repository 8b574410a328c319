#pragma once
// Recognises bot commands ("/start", "/offers@LastCallBot 3") in message texts.

#include <optional>
#include <string>

namespace lastcall::telegram {

struct command {
  std::string name;  // lower case, without the slash or an @username suffix: "start"
  std::string args;  // the rest of the text, trimmed: a deep-link payload or free arguments
};

// Returns the command in `text`, or nullopt when the text is not a command. A command is a '/' at
// the very start followed by Latin letters, digits or underscores. A suffix "@name" is accepted
// only when it names this bot (case-insensitively; `bot_username` may carry a leading '@'): in a
// group, "/start@OtherBot" is meant for another bot.
std::optional<command> parse_command(const std::string& text, const std::string& bot_username);

}  // namespace lastcall::telegram
