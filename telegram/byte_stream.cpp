#include "telegram/byte_stream.hpp"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <openssl/err.h>
#include <openssl/ssl.h>
#include <openssl/x509v3.h>

#include <algorithm>
#include <cerrno>
#include <cstring>

namespace lastcall::telegram {

class tls_settings {
 public:
  explicit tls_settings(SSL_CTX* context) : context_(context) {}
  ~tls_settings() { SSL_CTX_free(context_); }
  tls_settings(const tls_settings&) = delete;
  tls_settings& operator=(const tls_settings&) = delete;
  SSL_CTX* context() const { return context_; }

 private:
  SSL_CTX* context_;
};

namespace {

std::string openssl_error(const char* what) {
  const unsigned long code = ERR_get_error();
  ERR_clear_error();
  if (code == 0) return what;
  char text[256];
  ERR_error_string_n(code, text, sizeof text);
  return std::string(what) + ": " + text;
}

bool is_address(const std::string& host) {
  unsigned char bytes[sizeof(in6_addr)];
  return inet_pton(AF_INET, host.c_str(), bytes) == 1 ||
         inet_pton(AF_INET6, host.c_str(), bytes) == 1;
}

class plain final : public byte_stream {
 public:
  explicit plain(int fd) : fd_(fd) {}

  stream_outcome open() override { return {stream_status::done, 0}; }

  stream_outcome read(char* into, size_t size) override {
    for (;;) {
      const ssize_t n = ::recv(fd_, into, size, 0);
      if (n > 0) return {stream_status::done, static_cast<size_t>(n)};
      if (n == 0) return {stream_status::closed, 0};
      if (errno == EINTR) continue;
      if (errno == EAGAIN || errno == EWOULDBLOCK) return {stream_status::want_read, 0};
      error_ = std::strerror(errno);
      return {errno == ECONNRESET ? stream_status::closed : stream_status::failed, 0};
    }
  }

  stream_outcome write(const char* from, size_t size) override {
    for (;;) {
      const ssize_t n = ::send(fd_, from, size, MSG_NOSIGNAL);
      if (n >= 0) return {stream_status::done, static_cast<size_t>(n)};
      if (errno == EINTR) continue;
      if (errno == EAGAIN || errno == EWOULDBLOCK) return {stream_status::want_write, 0};
      error_ = std::strerror(errno);
      return {errno == EPIPE || errno == ECONNRESET ? stream_status::closed : stream_status::failed,
              0};
    }
  }

  bool buffered() const override { return false; }

  std::string error() const override { return error_; }

 private:
  int fd_;
  std::string error_;
};

class tls final : public byte_stream {
 public:
  tls(std::shared_ptr<tls_settings> settings, int fd, const std::string& host)
      : settings_(std::move(settings)), ssl_(SSL_new(settings_->context())) {
    if (ssl_ == nullptr) {
      error_ = openssl_error("SSL_new failed");
      return;
    }
    SSL_set_fd(ssl_, fd);
    SSL_set_connect_state(ssl_);
    SSL_set_mode(ssl_, SSL_MODE_ENABLE_PARTIAL_WRITE | SSL_MODE_ACCEPT_MOVING_WRITE_BUFFER);
    // The name (or address) the certificate must carry, and the name told to the server (SNI,
    // which is never an address).
    if (is_address(host)) {
      if (X509_VERIFY_PARAM_set1_ip_asc(SSL_get0_param(ssl_), host.c_str()) != 1)
        error_ = openssl_error("the host's address cannot be checked");
      return;
    }
    SSL_set_tlsext_host_name(ssl_, host.c_str());
    SSL_set_hostflags(ssl_, X509_CHECK_FLAG_NO_PARTIAL_WILDCARDS);
    if (SSL_set1_host(ssl_, host.c_str()) != 1) error_ = openssl_error("SSL_set1_host failed");
  }

  ~tls() override {
    if (ssl_ != nullptr) SSL_free(ssl_);
  }

  stream_outcome open() override {
    if (ssl_ == nullptr || !error_.empty()) return {stream_status::failed, 0};
    const int r = SSL_do_handshake(ssl_);
    if (r == 1) return {stream_status::done, 0};
    const stream_outcome outcome = classify(r, "TLS handshake failed");
    if (outcome.status == stream_status::failed) {
      const long verify = SSL_get_verify_result(ssl_);
      if (verify != X509_V_OK)
        error_ = std::string("TLS handshake failed: ") + X509_verify_cert_error_string(verify);
    }
    return outcome;
  }

  stream_outcome read(char* into, size_t size) override {
    const int r = SSL_read(ssl_, into, static_cast<int>(std::min<size_t>(size, 1 << 30)));
    if (r > 0) return {stream_status::done, static_cast<size_t>(r)};
    return classify(r, "TLS read failed");
  }

  stream_outcome write(const char* from, size_t size) override {
    const int r = SSL_write(ssl_, from, static_cast<int>(std::min<size_t>(size, 1 << 30)));
    if (r > 0) return {stream_status::done, static_cast<size_t>(r)};
    return classify(r, "TLS write failed");
  }

  bool buffered() const override { return ssl_ != nullptr && SSL_pending(ssl_) > 0; }

  std::string error() const override { return error_; }

 private:
  stream_outcome classify(int r, const char* what) {
    switch (SSL_get_error(ssl_, r)) {
      case SSL_ERROR_WANT_READ:
        return {stream_status::want_read, 0};
      case SSL_ERROR_WANT_WRITE:
        return {stream_status::want_write, 0};
      case SSL_ERROR_ZERO_RETURN:
        return {stream_status::closed, 0};
      case SSL_ERROR_SYSCALL:
        if (ERR_peek_error() == 0) {
          error_ = errno != 0 ? std::strerror(errno) : "the connection ended";
          return {stream_status::closed, 0};
        }
        error_ = openssl_error(what);
        return {stream_status::failed, 0};
      default:
        error_ = openssl_error(what);
        return {stream_status::failed, 0};
    }
  }

  std::shared_ptr<tls_settings> settings_;
  SSL* ssl_;
  std::string error_;
};

}  // namespace

std::shared_ptr<tls_settings> make_tls_settings(const std::string& ca_file, std::string& error) {
  SSL_CTX* context = SSL_CTX_new(TLS_client_method());
  if (context == nullptr) {
    error = openssl_error("SSL_CTX_new failed");
    return nullptr;
  }
  auto settings = std::make_shared<tls_settings>(context);
  SSL_CTX_set_min_proto_version(context, TLS1_2_VERSION);
  SSL_CTX_set_verify(context, SSL_VERIFY_PEER, nullptr);
  const int loaded = ca_file.empty()
                         ? SSL_CTX_set_default_verify_paths(context)
                         : SSL_CTX_load_verify_locations(context, ca_file.c_str(), nullptr);
  if (loaded != 1) {
    error = openssl_error("the trusted certificates could not be loaded");
    return nullptr;
  }
  return settings;
}

std::unique_ptr<byte_stream> plain_stream(int fd) {
  return std::make_unique<plain>(fd);
}

std::unique_ptr<byte_stream> tls_stream(std::shared_ptr<tls_settings> settings, int fd,
                                        const std::string& host) {
  return std::make_unique<tls>(std::move(settings), fd, host);
}

}  // namespace lastcall::telegram
