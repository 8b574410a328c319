#pragma once
// The bytes of one non-blocking TCP connection, plain or under TLS (OpenSSL, the peer's certificate
// checked against the system's trust store or a given CA file, and against the host name). Reads
// and writes never block: they say what the socket must become ready for instead.

#include <cstddef>
#include <memory>
#include <string>

namespace lastcall::telegram {

enum class stream_status { done, want_read, want_write, closed, failed };

struct stream_outcome {
  stream_status status = stream_status::failed;
  size_t bytes = 0;  // moved, when done
};

class tls_settings;

// One per client: OpenSSL's context, shared by its connections. `ca_file` empty: the system's
// trust store.
std::shared_ptr<tls_settings> make_tls_settings(const std::string& ca_file, std::string& error);

class byte_stream {
 public:
  virtual ~byte_stream() = default;
  // Until done, the connection is not ready for requests (a TLS handshake).
  virtual stream_outcome open() = 0;
  virtual stream_outcome read(char* into, size_t size) = 0;
  virtual stream_outcome write(const char* from, size_t size) = 0;
  // Bytes already read from the socket and not yet handed out (TLS records): the socket's
  // readiness does not tell of them.
  virtual bool buffered() const = 0;
  // What failed last, without anything the peer sent.
  virtual std::string error() const = 0;
};

// Neither owns the socket.
std::unique_ptr<byte_stream> plain_stream(int fd);
std::unique_ptr<byte_stream> tls_stream(std::shared_ptr<tls_settings> settings, int fd,
                                        const std::string& host);

}  // namespace lastcall::telegram
