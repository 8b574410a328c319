#pragma once
// Keeps a secret (the bot token) out of any text that may be logged or handed to callers.

#include <string>

namespace lastcall::telegram {

// Replaces every occurrence of `secret`, raw or percent-encoded (either hex case), with
// "<redacted>". An empty secret leaves the text as it is.
std::string redact(std::string text, const std::string& secret);

}  // namespace lastcall::telegram
