#pragma once
// Reads HTTP/1.1 responses from the bytes of one connection as they arrive, however they are cut:
// several pipelined answers in one read, or one answer over many. Pure: no sockets, no clock.
// Bodies come with Content-Length, chunked, or until the connection ends; a gzip body is inflated.

#include <cstddef>
#include <string>
#include <vector>

namespace lastcall::telegram {

struct http1_response {
  long status = 0;
  std::string body;     // inflated when the server sent it gzip-encoded
  bool closes = false;  // the server ends the connection after this answer
};

class http1_response_reader {
 public:
  enum class verdict { more, failed };

  // Takes the next bytes read from the connection. Answers completed by them are appended to
  // `done`, in the order they came. After `failed` the connection cannot be read any further and
  // error() says why (never quoting the bytes).
  verdict feed(const char* data, size_t size, std::vector<http1_response>& done);

  // The server closed the connection: an answer whose body runs until the close is complete now.
  // Returns whether the close came between answers (or ended one) rather than in the middle of one.
  bool finish_at_close(std::vector<http1_response>& done);

  // Whether any byte of the answer now being read has arrived.
  bool started() const { return state_ != state::status_line || !line_.empty(); }

  const std::string& error() const { return error_; }

  // Beyond these an answer is not a Bot API answer (a getUpdates of 100 updates is well under a
  // megabyte).
  static constexpr size_t max_head_bytes = 64 * 1024;
  static constexpr size_t max_body_bytes = 64 * 1024 * 1024;

 private:
  enum class state {
    status_line,
    header_line,
    body_by_length,
    chunk_size,
    chunk_data,
    chunk_data_end,
    trailer_line,
    body_until_close,
    failed
  };

  verdict fail(std::string why);
  bool take_line(const char*& data, const char* end);
  bool status_line_read(const std::string& line);
  bool header_line_read(const std::string& line);
  bool head_ended(std::vector<http1_response>& done);
  bool complete(std::vector<http1_response>& done);
  void reset_for_next();

  state state_ = state::status_line;
  std::string line_;
  size_t head_bytes_ = 0;
  http1_response current_;
  bool chunked_ = false;
  bool has_length_ = false;
  bool gzip_ = false;
  size_t remaining_ = 0;  // body or chunk bytes still to come
  std::string error_;
};

// Inflates a gzip (or zlib) body. Returns false when it is not one, or would exceed `limit`.
bool inflate_gzip(const std::string& compressed, std::string& out, size_t limit);

}  // namespace lastcall::telegram
