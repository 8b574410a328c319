// The snapshot reader that `lastcall restore` trusts before writing anything: any text is either
// refused with a reason or read as a snapshot that writes back and reads again the same.
#include <cstdint>
#include <cstdlib>
#include <string_view>

#include "persistence/snapshot_format.hpp"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::string_view text(reinterpret_cast<const char*>(data), size);
  const auto parsed = lastcall::persistence::parse_snapshot(text);
  if (!parsed.ok()) {
    if (parsed.error.empty()) std::abort();
    return 0;
  }
  const auto written = lastcall::persistence::serialise_snapshot(*parsed.value);
  const auto again = lastcall::persistence::parse_snapshot(written);
  if (!again.ok()) std::abort();
  if (lastcall::persistence::serialise_snapshot(*again.value) != written) std::abort();
  return 0;
}
