#include "persistence/intake_spool.hpp"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <stdexcept>

#include <nlohmann/json.hpp>

namespace lastcall::persistence {

namespace {

[[noreturn]] void fail(const std::string& what, const std::string& path) {
  throw std::runtime_error(what + " " + path + ": " + std::strerror(errno));
}

// FNV-1a: a stable name for the database, without writing its URL (which may hold a password)
// into a file name.
uint64_t fnv1a(const std::string& text) {
  uint64_t hash = 1469598103934665603ull;
  for (unsigned char c : text) {
    hash ^= c;
    hash *= 1099511628211ull;
  }
  return hash;
}

}  // namespace

intake_spool::intake_spool(std::string path) : path_(std::move(path)) {}

void intake_spool::append(const spooled_batch& batch) {
  nlohmann::json line = {{"next_offset", batch.next_offset}};
  auto& updates = line["updates"] = nlohmann::json::array();
  for (const auto& entry : batch.updates) updates.push_back({entry.update_id, entry.payload});
  const auto text = line.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace) + "\n";
  const auto folder = std::filesystem::path(path_).parent_path();
  if (!folder.empty()) std::filesystem::create_directories(folder);
  // Readable by this user only: updates hold what people wrote.
  const int fd = ::open(path_.c_str(), O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0600);
  if (fd < 0) fail("cannot open", path_);
  size_t written = 0;
  while (written < text.size()) {
    const auto n = ::write(fd, text.data() + written, text.size() - written);
    if (n < 0) {
      if (errno == EINTR) continue;
      ::close(fd);
      fail("cannot write", path_);
    }
    written += static_cast<size_t>(n);
  }
  if (::fsync(fd) != 0) {
    ::close(fd);
    fail("cannot sync", path_);
  }
  ::close(fd);
}

std::vector<spooled_batch> intake_spool::read_all() const {
  std::vector<spooled_batch> batches;
  std::ifstream in(path_);
  std::string line;
  while (std::getline(in, line)) {
    auto json = nlohmann::json::parse(line, nullptr, false);
    if (json.is_discarded() || !json.is_object() || !json.contains("next_offset") ||
        !json["next_offset"].is_number_integer() || !json.contains("updates") ||
        !json["updates"].is_array())
      continue;  // a torn line
    spooled_batch batch;
    batch.next_offset = json["next_offset"].get<int64_t>();
    for (const auto& entry : json["updates"]) {
      if (!entry.is_array() || entry.size() != 2 || !entry[0].is_number_integer() ||
          !entry[1].is_string())
        continue;
      batch.updates.push_back({entry[0].get<int64_t>(), entry[1].get<std::string>()});
    }
    batches.push_back(std::move(batch));
  }
  return batches;
}

void intake_spool::clear() {
  if (::truncate(path_.c_str(), 0) != 0 && errno != ENOENT) fail("cannot empty", path_);
}

std::string intake_spool_path(const std::string& data_dir, int64_t bot_id,
                              const std::string& database_url) {
  char hash[17];
  std::snprintf(hash, sizeof hash, "%016llx", static_cast<unsigned long long>(fnv1a(database_url)));
  return (std::filesystem::path(data_dir) /
          ("intake-spool-" + std::to_string(bot_id) + "-" + hash + ".jsonl"))
      .string();
}

}  // namespace lastcall::persistence
