// The Bot API client's reading of HTTP/1.1 answers, on arbitrary bytes cut at arbitrary places: the
// first byte of the input chooses the size of each read. Whatever comes, the reader returns, keeps
// its limits, and reads the same answers however the bytes are cut.
#include <cstdint>
#include <cstdlib>
#include <string>
#include <vector>

#include "telegram/http1_response_reader.hpp"

using lastcall::telegram::http1_response;
using lastcall::telegram::http1_response_reader;

namespace {

std::vector<http1_response> read_all(const uint8_t* data, size_t size, size_t step, bool& failed) {
  http1_response_reader reader;
  std::vector<http1_response> done;
  failed = false;
  for (size_t at = 0; at < size && !failed; at += step) {
    const size_t n = std::min(step, size - at);
    failed = reader.feed(reinterpret_cast<const char*>(data) + at, n, done) ==
             http1_response_reader::verdict::failed;
  }
  if (!failed) reader.finish_at_close(done);
  for (const http1_response& r : done)
    if (r.body.size() > http1_response_reader::max_body_bytes) std::abort();
  return done;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  if (size == 0) return 0;
  const size_t step = 1 + data[0] % 64;
  bool whole_failed = false, cut_failed = false;
  const auto whole = read_all(data + 1, size - 1, size, whole_failed);
  const auto cut = read_all(data + 1, size - 1, step, cut_failed);
  if (whole_failed != cut_failed || whole.size() != cut.size()) std::abort();
  for (size_t i = 0; i < whole.size(); ++i) {
    if (whole[i].status != cut[i].status || whole[i].body != cut[i].body ||
        whole[i].closes != cut[i].closes)
      std::abort();
  }
  return 0;
}
