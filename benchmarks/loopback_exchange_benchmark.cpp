// What one request and its answer cost in system calls on this machine, apart from any HTTP
// library: a client thread and an echo server thread exchange fixed-size messages over loopback
// TCP (a 300-byte request, a 200-byte answer, about a Bot API call's size), over N connections,
// writing K requests per write. K = 1 is a keep-alive client such as libcurl (one request on a
// connection at a time); K > 1 is what pipelining, or several calls in one write, would save.
//
//   build/benchmarks/loopback_exchange_benchmark [--connections N] [--per-write K]
//                                                [--exchanges N]
//
// Reported: the client thread's CPU time per exchange (user + system, from getrusage) and the
// exchanges per second.

#include <arpa/inet.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <sys/epoll.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <unistd.h>

#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <stdexcept>
#include <string>
#include <thread>
#include <vector>

#include "benchmarks/command_line.hpp"

namespace {

constexpr size_t request_bytes = 300;
constexpr size_t answer_bytes = 200;

struct options {
  int connections = 16;
  int per_write = 1;
  long exchanges = 200'000;
};

lastcall::benchmarks::flag_table flags_of(options& o) {
  return lastcall::benchmarks::flag_table("loopback_exchange_benchmark")
      .number("--connections", o.connections)
      .at_most(512)
      .number("--per-write", o.per_write)
      .shown_as("K")
      .number("--exchanges", o.exchanges);
}

double thread_cpu_seconds() {
  rusage usage{};
  getrusage(RUSAGE_THREAD, &usage);
  auto seconds = [](const timeval& t) { return t.tv_sec + t.tv_usec / 1e6; };
  return seconds(usage.ru_utime) + seconds(usage.ru_stime);
}

void no_delay(int fd) {
  const int one = 1;
  setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
}

void watch(int epoll_fd, int fd) {
  epoll_event event{};
  event.events = EPOLLIN;
  event.data.fd = fd;
  if (epoll_ctl(epoll_fd, EPOLL_CTL_ADD, fd, &event) != 0) throw std::runtime_error("epoll_ctl");
}

// Reads what is there and counts the whole messages of `size` bytes it completes.
int read_messages(int fd, std::vector<size_t>& partial, size_t size) {
  char buffer[65536];
  const ssize_t got = recv(fd, buffer, sizeof buffer, 0);
  if (got <= 0) return -1;
  partial[fd] += static_cast<size_t>(got);
  const int whole = static_cast<int>(partial[fd] / size);
  partial[fd] %= size;
  return whole;
}

void send_all(int fd, const std::string& bytes) {
  size_t sent = 0;
  while (sent < bytes.size()) {
    const ssize_t n = send(fd, bytes.data() + sent, bytes.size() - sent, 0);
    if (n <= 0) throw std::runtime_error("send");
    sent += static_cast<size_t>(n);
  }
}

// Answers every whole request with one answer, all of a read's answers in one write.
void serve(int listener, int connections) {
  const int epoll_fd = epoll_create1(0);
  for (int i = 0; i < connections; ++i) {
    const int fd = accept(listener, nullptr, nullptr);
    no_delay(fd);
    watch(epoll_fd, fd);
  }
  std::vector<size_t> partial(65536, 0);
  epoll_event events[64];
  for (;;) {
    const int ready = epoll_wait(epoll_fd, events, 64, -1);
    for (int i = 0; i < ready; ++i) {
      const int fd = events[i].data.fd;
      const int requests = read_messages(fd, partial, request_bytes);
      if (requests < 0) return;
      if (requests > 0)
        send_all(fd, std::string(answer_bytes * static_cast<size_t>(requests), 'a'));
    }
  }
}

}  // namespace

int main(int argc, char** argv) {
  const auto o = lastcall::benchmarks::options_or_exit<options>(argc, argv, flags_of);
  const int listener = socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in address{};
  address.sin_family = AF_INET;
  address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  socklen_t length = sizeof address;
  if (bind(listener, reinterpret_cast<sockaddr*>(&address), sizeof address) != 0 ||
      listen(listener, 512) != 0 ||
      getsockname(listener, reinterpret_cast<sockaddr*>(&address), &length) != 0) {
    std::perror("listen");
    return 1;
  }
  std::thread server([&] { serve(listener, o.connections); });

  const int epoll_fd = epoll_create1(0);
  std::vector<int> clients;
  for (int i = 0; i < o.connections; ++i) {
    const int fd = socket(AF_INET, SOCK_STREAM, 0);
    if (connect(fd, reinterpret_cast<sockaddr*>(&address), sizeof address) != 0) {
      std::perror("connect");
      return 1;
    }
    no_delay(fd);
    watch(epoll_fd, fd);
    clients.push_back(fd);
  }

  const auto started = std::chrono::steady_clock::now();
  const double cpu_started = thread_cpu_seconds();
  long sent = 0, answered = 0;
  const std::string burst(request_bytes * static_cast<size_t>(o.per_write), 'q');
  for (int fd : clients) {
    send_all(fd, burst);
    sent += o.per_write;
  }
  std::vector<size_t> partial(65536, 0);
  epoll_event events[64];
  while (answered < o.exchanges) {
    const int ready = epoll_wait(epoll_fd, events, 64, -1);
    for (int i = 0; i < ready; ++i) {
      const int fd = events[i].data.fd;
      const int answers = read_messages(fd, partial, answer_bytes);
      if (answers < 0) {
        std::fprintf(stderr, "the server closed a connection\n");
        return 1;
      }
      answered += answers;
      // As many new requests as answers came, in one write: the connection keeps K in flight.
      if (answers > 0 && sent < o.exchanges) {
        send_all(fd, std::string(request_bytes * static_cast<size_t>(answers), 'q'));
        sent += answers;
      }
    }
  }
  const double cpu = thread_cpu_seconds() - cpu_started;
  const double seconds =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
  std::printf(
      "%d connections, %d requests per write: client CPU %.2f us per exchange, %.0f "
      "exchanges/s\n",
      o.connections, o.per_write, cpu / static_cast<double>(answered) * 1e6,
      static_cast<double>(answered) / seconds);
  std::fflush(stdout);
  // The server thread blocks in epoll_wait for good; the process ends with it.
  std::_Exit(0);
}
