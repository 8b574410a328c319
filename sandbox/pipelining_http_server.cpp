#include "sandbox/pipelining_http_server.hpp"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/eventfd.h>
#include <sys/socket.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <string>

namespace lastcall::sandbox {
namespace {

constexpr size_t read_chunk = 64 * 1024;
// Answers are written out at the latest when this much is waiting.
constexpr size_t write_behind_limit = 64 * 1024;

int milliseconds(time_t sec, time_t usec) {
  return static_cast<int>(sec * 1000 + usec / 1000);
}

void address_of(const sockaddr_storage& address, std::string& ip, int& port) {
  char text[INET6_ADDRSTRLEN] = {};
  if (address.ss_family == AF_INET) {
    const auto* v4 = reinterpret_cast<const sockaddr_in*>(&address);
    inet_ntop(AF_INET, &v4->sin_addr, text, sizeof text);
    port = ntohs(v4->sin_port);
  } else if (address.ss_family == AF_INET6) {
    const auto* v6 = reinterpret_cast<const sockaddr_in6*>(&address);
    inet_ntop(AF_INET6, &v6->sin6_addr, text, sizeof text);
    port = ntohs(v6->sin6_port);
  }
  ip = text;
}

// A connection's bytes: reads come from a buffer filled a socket read at a time, and writes wait
// in a buffer until the connection must wait for its client (or the buffer is full), so the
// answers to pipelined requests leave together.
class buffered_connection final : public httplib::Stream {
 public:
  buffered_connection(socket_t sock, int stopping_fd, int read_timeout_ms, int write_timeout_ms)
      : sock_(sock),
        stopping_fd_(stopping_fd),
        read_timeout_ms_(read_timeout_ms),
        write_timeout_ms_(write_timeout_ms) {}

  bool is_readable() const override {
    return start_ < input_.size() || ready(POLLIN, read_timeout_ms_);
  }

  bool is_writable() const override { return ready(POLLOUT, write_timeout_ms_); }

  ssize_t read(char* ptr, size_t size) override {
    if (start_ == input_.size()) {
      // About to wait for the client: whatever it is owed goes out first.
      if (!flush() || !ready(POLLIN, read_timeout_ms_)) return -1;
      const ssize_t n = fill();
      if (n <= 0) return n;
    }
    const size_t take = std::min(size, input_.size() - start_);
    std::memcpy(ptr, input_.data() + start_, take);
    start_ += take;
    return static_cast<ssize_t>(take);
  }

  ssize_t write(const char* ptr, size_t size) override {
    output_.append(ptr, size);
    if (output_.size() >= write_behind_limit && !flush()) return -1;
    return static_cast<ssize_t>(size);
  }

  void get_remote_ip_and_port(std::string& ip, int& port) const override {
    sockaddr_storage address{};
    socklen_t length = sizeof address;
    if (getpeername(sock_, reinterpret_cast<sockaddr*>(&address), &length) == 0)
      address_of(address, ip, port);
  }

  void get_local_ip_and_port(std::string& ip, int& port) const override {
    sockaddr_storage address{};
    socklen_t length = sizeof address;
    if (getsockname(sock_, reinterpret_cast<sockaddr*>(&address), &length) == 0)
      address_of(address, ip, port);
  }

  socket_t socket() const override { return sock_; }

  // Whether a next request is there or comes within the keep-alive time; false on stop too.
  bool next_request(int keep_alive_ms) {
    if (start_ < input_.size()) return true;
    return flush() && ready(POLLIN, keep_alive_ms);
  }

  // Closing a socket with requests still unread makes the kernel reset the connection, and the
  // client may then lose the last answer: the closing side stops writing, and reads until the
  // client closes too (or briefly, if it does not).
  void linger() {
    ::shutdown(sock_, SHUT_WR);
    char discard[4096];
    for (int rounds = 0; rounds < 4 && ready(POLLIN, 50); ++rounds) {
      if (::recv(sock_, discard, sizeof discard, 0) <= 0) return;
    }
  }

  bool flush() {
    size_t sent = 0;
    while (sent < output_.size()) {
      const ssize_t n = ::send(sock_, output_.data() + sent, output_.size() - sent, MSG_NOSIGNAL);
      if (n > 0) {
        sent += static_cast<size_t>(n);
      } else if (n < 0 && errno == EINTR) {
        continue;
      } else if (n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK) &&
                 ready(POLLOUT, write_timeout_ms_)) {
        continue;
      } else {
        output_.clear();
        return false;
      }
    }
    output_.clear();
    return true;
  }

 private:
  // Waits for the socket, or for the server to stop (then false).
  bool ready(short events, int timeout_ms) const {
    pollfd fds[2] = {{sock_, events, 0}, {stopping_fd_, POLLIN, 0}};
    for (;;) {
      const int n = ::poll(fds, 2, timeout_ms);
      if (n < 0 && errno == EINTR) continue;
      if (n <= 0 || (fds[1].revents & POLLIN) != 0) return false;
      return (fds[0].revents & (events | POLLHUP | POLLERR)) != 0;
    }
  }

  ssize_t fill() {
    input_.resize(read_chunk);
    start_ = 0;
    ssize_t n;
    do {
      n = ::recv(sock_, input_.data(), input_.size(), 0);
    } while (n < 0 && errno == EINTR);
    input_.resize(n > 0 ? static_cast<size_t>(n) : 0);
    return n;
  }

  socket_t sock_;
  int stopping_fd_;
  int read_timeout_ms_;
  int write_timeout_ms_;
  std::string input_;
  size_t start_ = 0;
  std::string output_;
};

}  // namespace

pipelining_http_server::pipelining_http_server()
    : stopping_fd_(eventfd(0, EFD_NONBLOCK | EFD_CLOEXEC)) {}

pipelining_http_server::~pipelining_http_server() {
  if (stopping_fd_ >= 0) ::close(stopping_fd_);
}

void pipelining_http_server::stop_connections() {
  const uint64_t one = 1;
  // Never read back: the eventfd stays readable for every connection still waiting.
  [[maybe_unused]] auto written = ::write(stopping_fd_, &one, sizeof one);
}

// cpp-httplib's own loop, over the buffered connection: at most keep_alive_max_count_ requests,
// the last one answered with "Connection: close".
bool pipelining_http_server::process_and_close_socket(socket_t sock) {
  buffered_connection connection(sock, stopping_fd_,
                                 milliseconds(read_timeout_sec_, read_timeout_usec_),
                                 milliseconds(write_timeout_sec_, write_timeout_usec_));
  bool ok = false;
  const int keep_alive_ms = milliseconds(keep_alive_timeout_sec_, 0);
  for (size_t left = keep_alive_max_count_;
       svr_sock_ != INVALID_SOCKET && left > 0 && connection.next_request(keep_alive_ms); --left) {
    bool closed = false;
    ok = process_request(connection, left == 1, closed, nullptr);
    if (!ok || closed) break;
  }
  connection.flush();
  connection.linger();
  ::close(sock);
  return ok;
}

}  // namespace lastcall::sandbox
