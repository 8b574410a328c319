#include "telegram/http1_response_reader.hpp"

#include <zlib.h>

#include <algorithm>
#include <cstring>

#include "telegram/ascii_case.hpp"

namespace lastcall::telegram {
namespace {

// Whether a header's value holds the token, in any case ("Keep-Alive", "chunked").
bool mentions(const std::string& value, const char* token) {
  return ascii_lower(value).find(token) != std::string::npos;
}

std::string trimmed(const std::string& text) {
  size_t first = 0, last = text.size();
  while (first < last && (text[first] == ' ' || text[first] == '\t')) ++first;
  while (last > first && (text[last - 1] == ' ' || text[last - 1] == '\t')) --last;
  return text.substr(first, last - first);
}

// Digits only, no sign, no overflow.
bool parse_size(const std::string& text, int base, size_t& out) {
  if (text.empty()) return false;
  size_t value = 0;
  for (char c : text) {
    int digit;
    if (c >= '0' && c <= '9')
      digit = c - '0';
    else if (base == 16 && c >= 'a' && c <= 'f')
      digit = c - 'a' + 10;
    else if (base == 16 && c >= 'A' && c <= 'F')
      digit = c - 'A' + 10;
    else
      return false;
    if (value > (SIZE_MAX - static_cast<size_t>(digit)) / static_cast<size_t>(base)) return false;
    value = value * static_cast<size_t>(base) + static_cast<size_t>(digit);
  }
  out = value;
  return true;
}

}  // namespace

http1_response_reader::verdict http1_response_reader::fail(std::string why) {
  state_ = state::failed;
  error_ = std::move(why);
  return verdict::failed;
}

// Appends to line_ up to and including a '\n'; true once a whole line is there (without its
// line ending).
bool http1_response_reader::take_line(const char*& data, const char* end) {
  const char* newline =
      static_cast<const char*>(std::memchr(data, '\n', static_cast<size_t>(end - data)));
  const char* stop = newline != nullptr ? newline : end;
  line_.append(data, static_cast<size_t>(stop - data));
  head_bytes_ += static_cast<size_t>(stop - data) + (newline != nullptr ? 1 : 0);
  data = newline != nullptr ? newline + 1 : end;
  if (newline == nullptr) return false;
  if (!line_.empty() && line_.back() == '\r') line_.pop_back();
  return true;
}

bool http1_response_reader::status_line_read(const std::string& line) {
  // "HTTP/1.1 200 OK"; the reason may be empty.
  if (line.compare(0, 7, "HTTP/1.") != 0 || line.size() < 12 || line[8] != ' ') return false;
  size_t status = 0;
  if (!parse_size(line.substr(9, 3), 10, status) || (line.size() > 12 && line[12] != ' '))
    return false;
  current_ = http1_response{};
  current_.status = static_cast<long>(status);
  // An HTTP/1.0 server closes after every answer unless it says otherwise.
  current_.closes = line[7] == '0';
  chunked_ = has_length_ = gzip_ = false;
  remaining_ = 0;
  return true;
}

bool http1_response_reader::header_line_read(const std::string& line) {
  const size_t colon = line.find(':');
  if (colon == std::string::npos || colon == 0) return false;
  const std::string name = line.substr(0, colon);
  const std::string value = trimmed(line.substr(colon + 1));
  if (same_ignoring_ascii_case(name, "content-length")) {
    size_t length = 0;
    if (!parse_size(value, 10, length)) return false;
    if (has_length_ && length != remaining_) return false;  // two different lengths: smuggling
    has_length_ = true;
    remaining_ = length;
  } else if (same_ignoring_ascii_case(name, "transfer-encoding")) {
    chunked_ = mentions(value, "chunked");
  } else if (same_ignoring_ascii_case(name, "connection")) {
    if (mentions(value, "close")) current_.closes = true;
    if (mentions(value, "keep-alive")) current_.closes = false;
  } else if (same_ignoring_ascii_case(name, "content-encoding")) {
    gzip_ = mentions(value, "gzip");
  }
  return true;
}

// The blank line after the headers: decides how the body is framed.
bool http1_response_reader::head_ended(std::vector<http1_response>& done) {
  head_bytes_ = 0;
  if (current_.status >= 100 && current_.status < 200) {  // "100 Continue": the answer follows
    state_ = state::status_line;
    return true;
  }
  if (chunked_) {
    state_ = state::chunk_size;
    return true;
  }
  if (current_.status == 204 || current_.status == 304 || (has_length_ && remaining_ == 0))
    return complete(done);
  if (has_length_) {
    if (remaining_ > max_body_bytes) return false;
    current_.body.reserve(remaining_);
    state_ = state::body_by_length;
    return true;
  }
  current_.closes = true;
  state_ = state::body_until_close;
  return true;
}

bool http1_response_reader::complete(std::vector<http1_response>& done) {
  if (gzip_) {
    std::string inflated;
    if (!inflate_gzip(current_.body, inflated, max_body_bytes)) return false;
    current_.body = std::move(inflated);
  }
  done.push_back(std::move(current_));
  reset_for_next();
  return true;
}

void http1_response_reader::reset_for_next() {
  current_ = http1_response{};
  line_.clear();
  head_bytes_ = 0;
  state_ = state::status_line;
}

http1_response_reader::verdict http1_response_reader::feed(const char* data, size_t size,
                                                           std::vector<http1_response>& done) {
  const char* end = data + size;
  while (data < end) {
    switch (state_) {
      case state::failed:
        return verdict::failed;
      case state::status_line:
      case state::header_line:
      case state::chunk_size:
      case state::chunk_data_end:
      case state::trailer_line: {
        const bool whole = take_line(data, end);
        if (head_bytes_ > max_head_bytes) return fail("the answer's head is too long");
        if (!whole) break;
        std::string line = std::move(line_);
        line_.clear();
        if (state_ == state::status_line) {
          if (line.empty()) break;  // tolerated between answers
          if (!status_line_read(line)) return fail("the answer is not HTTP/1.x");
          state_ = state::header_line;
        } else if (state_ == state::header_line) {
          if (line.empty()) {
            if (!head_ended(done)) return fail("the answer's framing cannot be read");
          } else if (!header_line_read(line)) {
            return fail("the answer has a malformed header");
          }
        } else if (state_ == state::chunk_size) {
          const std::string size_text = trimmed(line.substr(0, line.find(';')));
          size_t chunk = 0;
          if (!parse_size(size_text, 16, chunk)) return fail("the answer has a malformed chunk");
          if (chunk > max_body_bytes - current_.body.size()) return fail("the answer is too long");
          remaining_ = chunk;
          head_bytes_ = 0;  // the limit is on each chunk's framing, not on the body's length
          state_ = chunk == 0 ? state::trailer_line : state::chunk_data;
        } else if (state_ == state::chunk_data_end) {
          if (!line.empty()) return fail("the answer has a malformed chunk");
          state_ = state::chunk_size;
        } else if (line.empty()) {  // the trailers' end
          if (!complete(done)) return fail("the answer's body cannot be decoded");
        }
        break;
      }
      case state::body_by_length:
      case state::chunk_data: {
        const size_t take = std::min(remaining_, static_cast<size_t>(end - data));
        current_.body.append(data, take);
        data += take;
        remaining_ -= take;
        if (remaining_ == 0) {
          if (state_ == state::chunk_data) {
            state_ = state::chunk_data_end;
          } else if (!complete(done)) {
            return fail("the answer's body cannot be decoded");
          }
        }
        break;
      }
      case state::body_until_close: {
        const size_t take = static_cast<size_t>(end - data);
        if (current_.body.size() + take > max_body_bytes) return fail("the answer is too long");
        current_.body.append(data, take);
        data = end;
        break;
      }
    }
  }
  return state_ == state::failed ? verdict::failed : verdict::more;
}

bool http1_response_reader::finish_at_close(std::vector<http1_response>& done) {
  if (state_ == state::body_until_close) {
    if (!complete(done)) {
      fail("the answer's body cannot be decoded");
      return false;
    }
    return true;
  }
  return state_ == state::status_line && line_.empty();
}

bool inflate_gzip(const std::string& compressed, std::string& out, size_t limit) {
  z_stream stream{};
  // 15 window bits, +32: gzip or zlib, told apart by the header.
  if (inflateInit2(&stream, 15 + 32) != Z_OK) return false;
  stream.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(compressed.data()));
  stream.avail_in = static_cast<uInt>(compressed.size());
  out.clear();
  char buffer[16384];
  int status = Z_OK;
  while (status == Z_OK) {
    stream.next_out = reinterpret_cast<Bytef*>(buffer);
    stream.avail_out = sizeof buffer;
    status = inflate(&stream, Z_NO_FLUSH);
    if (status != Z_OK && status != Z_STREAM_END) break;
    out.append(buffer, sizeof buffer - stream.avail_out);
    if (out.size() > limit) status = Z_DATA_ERROR;
    if (status == Z_OK && stream.avail_in == 0 && stream.avail_out != 0) status = Z_BUF_ERROR;
  }
  inflateEnd(&stream);
  return status == Z_STREAM_END;
}

}  // namespace lastcall::telegram
