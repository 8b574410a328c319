// The settings file (KEY=VALUE lines) as `lastcall --config FILE` reads it, with every setting's
// value checks. A bad file must be refused with a config_error naming the setting, nothing else.
#include <unistd.h>

#include <cstdint>
#include <cstdlib>
#include <fstream>
#include <string>

#include "config/settings.hpp"

namespace {
std::string config_path;
}

extern "C" int LLVMFuzzerInitialize(int*, char***) {
  char path[] = "/tmp/lastcall-fuzz-settings-XXXXXX";
  const int fd = mkstemp(path);
  if (fd < 0) std::abort();
  close(fd);
  config_path = path;
  std::atexit([] { unlink(config_path.c_str()); });
  return 0;
}

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::string text(reinterpret_cast<const char*>(data), size);
  // *_FILE settings name files to read a secret from; the fuzzer must not read /dev/zero.
  if (text.find("_FILE") != std::string::npos) return 0;
  {
    std::ofstream out(config_path, std::ios::binary | std::ios::trunc);
    out << text;
  }
  const std::map<std::string, std::string> env = {{"LASTCALL_CONFIG", config_path}};
  try {
    (void)lastcall::config::load({}, env);
  } catch (const lastcall::config::config_error&) {
  }
  // The time zone setting's reader on the raw text too.
  int minutes = 0;
  if (lastcall::config::parse_utc_offset(text, minutes) &&
      (minutes < -24 * 60 || minutes > 24 * 60))
    std::abort();
  return 0;
}
