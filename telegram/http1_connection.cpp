#include "telegram/http1_connection.hpp"

#include <sys/socket.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

namespace lastcall::telegram {

http1_connection::http1_connection(int fd, std::unique_ptr<byte_stream> stream,
                                   std::string request_prefix, std::string host_header,
                                   std::chrono::steady_clock::time_point open_by)
    : fd_(fd),
      stream_(std::move(stream)),
      request_prefix_(std::move(request_prefix)),
      host_header_(std::move(host_header)),
      open_by_(open_by) {}

http1_connection::~http1_connection() {
  stream_.reset();  // a TLS stream still refers to the socket
  if (fd_ >= 0) ::close(fd_);
}

std::optional<std::chrono::steady_clock::time_point> http1_connection::next_deadline() const {
  std::optional<std::chrono::steady_clock::time_point> due;
  if (phase_ == phase::connecting || phase_ == phase::opening) due = open_by_;
  for (const on_wire& c : calls_)
    if (!due || c.call.deadline < *due) due = c.call.deadline;
  return due;
}

void http1_connection::add(pending_call call) {
  output_ += request_prefix_;
  output_ += call.method;
  output_ += " HTTP/1.1\r\nHost: ";
  output_ += host_header_;
  output_ += "\r\nContent-Type: application/json\r\nContent-Length: ";
  output_ += std::to_string(call.body.size());
  // Compression pays only for getUpdates, whose answers hold up to 100 updates; every other answer
  // is one small object, and compressing it (and inflating it here) costs both sides more CPU than
  // the bytes it saves.
  output_ += call.method == "getUpdates" ? "\r\nAccept-Encoding: gzip\r\n\r\n" : "\r\n\r\n";
  output_ += call.body;
  if (call.alone()) alone_ = true;
  const uint64_t ends_at = written_ + (output_.size() - output_sent_);
  calls_.push_back(on_wire{std::move(call), ends_at});
}

bool http1_connection::fail(std::string why) {
  if (phase_ != phase::ended) ended_why_ = std::move(why);
  phase_ = phase::ended;
  return false;
}

bool http1_connection::flush() {
  if (phase_ == phase::ended) return false;
  if (phase_ != phase::open) return true;
  while (output_sent_ < output_.size()) {
    const stream_outcome out =
        stream_->write(output_.data() + output_sent_, output_.size() - output_sent_);
    if (out.status == stream_status::done) {
      output_sent_ += out.bytes;
      written_ += out.bytes;
    } else if (out.status == stream_status::want_write || out.status == stream_status::want_read) {
      return true;
    } else {
      return fail("the connection failed while sending: " + stream_->error());
    }
  }
  output_.clear();
  output_sent_ = 0;
  return true;
}

// The stream cannot go on until the socket can be read (or, for TLS, written): epoll is told which.
bool http1_connection::wait_for(stream_status status) {
  wants_write_for_read_ = status == stream_status::want_write;
  return true;
}

bool http1_connection::finish_connect() {
  int error = 0;
  socklen_t length = sizeof error;
  if (::getsockopt(fd_, SOL_SOCKET, SO_ERROR, &error, &length) != 0) error = errno;
  if (error == EINPROGRESS || error == EALREADY) return true;
  if (error != 0) return fail(std::string("could not connect: ") + std::strerror(error));
  phase_ = phase::opening;
  return open_stream();
}

bool http1_connection::open_stream() {
  const stream_outcome out = stream_->open();
  switch (out.status) {
    case stream_status::done:
      phase_ = phase::open;
      opened_ = true;
      wants_write_for_read_ = false;
      return flush();
    case stream_status::want_read:
    case stream_status::want_write:
      return wait_for(out.status);
    default:
      return fail(stream_->error().empty() ? "the connection could not be opened"
                                           : stream_->error());
  }
}

bool http1_connection::take_answers(std::vector<http1_response>& responses,
                                    std::vector<answered_call>& answered) {
  for (http1_response& response : responses) {
    if (calls_.empty()) return fail("the server answered a call that was not made");
    on_wire done = std::move(calls_.front());
    calls_.pop_front();
    ++answers_;
    if (done.call.alone()) alone_ = false;
    const bool closes = response.closes;
    answered.push_back(answered_call{std::move(done.call), std::move(response)});
    if (closes) {
      // The server reads nothing after this answer: whatever follows it on the wire was not acted
      // on (RFC 9112, 9.6).
      server_closes_ = true;
      responses.clear();
      return fail("the server ended the connection");
    }
  }
  responses.clear();
  return true;
}

bool http1_connection::read_answers(std::vector<answered_call>& answered,
                                    std::vector<char>& scratch) {
  std::vector<http1_response> responses;
  for (;;) {
    const stream_outcome in = stream_->read(scratch.data(), scratch.size());
    switch (in.status) {
      case stream_status::done:
        wants_write_for_read_ = false;
        if (reader_.feed(scratch.data(), in.bytes, responses) ==
            http1_response_reader::verdict::failed) {
          take_answers(responses, answered);
          return fail(reader_.error());
        }
        if (!take_answers(responses, answered)) return false;
        // A short read took all there was: epoll (level-triggered) tells when more comes, so the
        // read that would only say "nothing more" is saved.
        if (in.bytes < scratch.size() && !stream_->buffered()) return true;
        break;
      case stream_status::want_read:
      case stream_status::want_write:
        return wait_for(in.status);
      case stream_status::closed: {
        closed_while_idle_ = answers_ > 0 && !reader_.started();
        const bool between = reader_.finish_at_close(responses);
        if (!take_answers(responses, answered)) return false;
        return fail(between ? "the server closed the connection"
                            : "the server closed the connection in the middle of an answer");
      }
      default:
        return fail("the connection failed while reading: " + stream_->error());
    }
  }
}

bool http1_connection::on_ready(uint32_t events, std::vector<answered_call>& answered,
                                std::vector<char>& scratch) {
  if (phase_ == phase::ended) return false;
  if (phase_ == phase::connecting) {
    if ((events & (EPOLLOUT | EPOLLERR | EPOLLHUP)) == 0) return true;
    return finish_connect();
  }
  if (phase_ == phase::opening) return open_stream();
  const bool readable = (events & (EPOLLIN | EPOLLERR | EPOLLHUP | EPOLLRDHUP)) != 0 ||
                        (wants_write_for_read_ && (events & EPOLLOUT) != 0);
  if (readable && !read_answers(answered, scratch)) return false;
  return flush();
}

uint32_t http1_connection::wanted_events() const {
  switch (phase_) {
    case phase::connecting:
      return EPOLLOUT;
    case phase::opening:
      return wants_write_for_read_ ? EPOLLOUT : EPOLLIN;
    case phase::open:
      return EPOLLIN | (output_sent_ < output_.size() || wants_write_for_read_ ? EPOLLOUT : 0u);
    case phase::ended:
      return 0;
  }
  return 0;
}

stranded_calls http1_connection::take_stranded() {
  fail("ended");
  stranded_calls left;
  left.why = ended_why_;
  left.closed_while_idle = closed_while_idle_;
  for (on_wire& c : calls_) {
    if (server_closes_ || c.ends_at > written_) {
      left.unsent.push_back(std::move(c.call));
    } else {
      left.sent.push_back(std::move(c.call));
    }
  }
  calls_.clear();
  return left;
}

}  // namespace lastcall::telegram
