// What a tap or a link hands the bot: the parts of callback data (list positions, ids, page
// numbers), the "/start <payload>" of a deep link and the command around it.
#include <cstdint>
#include <cstdlib>
#include <string>

#include "domain/deep_link.hpp"
#include "flows/customer_callbacks.hpp"
#include "telegram/command.hpp"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::string text(reinterpret_cast<const char*>(data), size);
  using namespace lastcall;

  if (auto position = flows::decode_position(text)) {
    if (position->page < 0 || position->page > flows::max_page_number) std::abort();
    // What was read is written back the same way, so a Back button returns where it came from.
    auto again = flows::decode_position(flows::encode_position(*position));
    if (!again || !(*again == *position)) std::abort();
  }
  if (auto id = flows::parse_id(text); id && *id < 1) std::abort();
  if (auto number = flows::parse_number(text, flows::max_page_number);
      number && (*number < 0 || *number > flows::max_page_number))
    std::abort();

  const auto payload = domain::parse_start_payload(text);
  if (payload.what == domain::start_payload::kind::offer) {
    if (payload.id < 1) std::abort();
    const auto link = domain::offer_deep_link("LastCallBot", payload.id);
    const auto start = link.find("?start=");
    if (start == std::string::npos) std::abort();
    const auto back = domain::parse_start_payload(link.substr(start + 7));
    if (back.what != domain::start_payload::kind::offer || back.id != payload.id) std::abort();
  }

  if (auto command = telegram::parse_command(text, "@LastCallBot")) {
    if (command->name.empty()) std::abort();
    (void)domain::parse_start_payload(command->args);
  }
  return 0;
}
