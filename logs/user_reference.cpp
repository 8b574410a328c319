#include "logs/user_reference.hpp"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <array>
#include <cerrno>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <mutex>
#include <stdexcept>

#include <openssl/evp.h>
#include <openssl/hmac.h>
#include <openssl/rand.h>

namespace lastcall::logs {

namespace {

constexpr size_t key_bytes = 32;
constexpr char key_file_name[] = "log-user-key";

std::string hex(const unsigned char* data, size_t size) {
  static constexpr char digits[] = "0123456789abcdef";
  std::string out;
  out.reserve(size * 2);
  for (size_t i = 0; i < size; ++i) {
    out += digits[data[i] >> 4];
    out += digits[data[i] & 0xf];
  }
  return out;
}

std::string random_key() {
  std::array<unsigned char, key_bytes> bytes{};
  if (RAND_bytes(bytes.data(), static_cast<int>(bytes.size())) != 1)
    throw std::runtime_error("no random bytes for the log user key");
  return hex(bytes.data(), bytes.size());
}

std::once_flag key_made;
std::string key;

const std::string& current_key() {
  std::call_once(key_made, [] {
    if (key.empty()) key = random_key();
  });
  return key;
}

std::string read_key_file(const std::string& path) {
  std::ifstream in(path);
  std::string line;
  std::getline(in, line);
  if (!in && !in.eof()) throw std::runtime_error("cannot read the log user key in " + path);
  return line;
}

}  // namespace

std::string user_reference(int64_t user_id) {
  const auto& k = current_key();
  const auto id = std::to_string(user_id);
  std::array<unsigned char, EVP_MAX_MD_SIZE> digest{};
  unsigned int length = 0;
  HMAC(EVP_sha256(), k.data(), static_cast<int>(k.size()),
       reinterpret_cast<const unsigned char*>(id.data()), id.size(), digest.data(), &length);
  return "u" + hex(digest.data(), 8);
}

void set_user_reference_key(std::string configured) {
  key = std::move(configured);
  current_key();
}

std::string user_reference_key(const std::string& configured, const std::string& data_dir) {
  if (!configured.empty()) return configured;
  const auto path = (std::filesystem::path(data_dir) / key_file_name).string();
  if (std::filesystem::exists(path)) {
    auto stored = read_key_file(path);
    if (stored.size() >= 2 * key_bytes) return stored;
    throw std::runtime_error("the log user key in " + path + " is too short");
  }
  std::filesystem::create_directories(data_dir);
  // Written whole to a file of its own, then linked into place: when two servers start at once,
  // one link wins and the other reads the winner's complete key.
  const auto draft = path + ".new-" + std::to_string(::getpid());
  const auto made = random_key() + "\n";
  const int fd = ::open(draft.c_str(), O_WRONLY | O_CREAT | O_TRUNC, S_IRUSR | S_IWUSR);
  if (fd < 0)
    throw std::runtime_error("cannot make the log user key in " + data_dir + ": " +
                             std::strerror(errno));
  const bool written = ::write(fd, made.data(), made.size()) == static_cast<ssize_t>(made.size()) &&
                       ::fsync(fd) == 0;
  ::close(fd);
  const int linked = written ? ::link(draft.c_str(), path.c_str()) : -1;
  const int link_error = errno;
  ::unlink(draft.c_str());
  if (!written) throw std::runtime_error("cannot write the log user key in " + data_dir);
  if (linked != 0 && link_error != EEXIST)
    throw std::runtime_error("cannot store the log user key in " + path + ": " +
                             std::strerror(link_error));
  return read_key_file(path);
}

}  // namespace lastcall::logs
