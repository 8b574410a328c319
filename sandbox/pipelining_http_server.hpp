#pragma once
// cpp-httplib's server with connections read the way HTTP/1.1 allows clients to write them. Its own
// loop reads a kept-alive connection's requests one at a time and waits for the socket before each:
// requests a client pipelined behind the first sit in its read buffer unseen until the keep-alive
// timeout, and an idle connection wakes every 10 ms to look. Here a connection reads what is
// buffered before it waits, sleeps in poll() until a request or stop_connections(), and the answers
// to requests that came together go out in one write. Routes, handlers and settings are
// cpp-httplib's, unchanged.

#include <httplib.h>

namespace lastcall::sandbox {

class pipelining_http_server : public httplib::Server {
 public:
  pipelining_http_server();
  ~pipelining_http_server() override;

  // After stop(): connections waiting for their next request end now rather than at their
  // keep-alive timeout.
  void stop_connections();

 private:
  bool process_and_close_socket(socket_t sock) override;

  int stopping_fd_;  // an eventfd, readable once connections must end
};

}  // namespace lastcall::sandbox
