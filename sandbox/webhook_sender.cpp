#include "sandbox/webhook_sender.hpp"

#include <chrono>
#include <regex>

#include <httplib.h>

#include "logs/event.hpp"

namespace lastcall::sandbox {

namespace {

constexpr auto wait_for_work = std::chrono::milliseconds(200);
constexpr auto answer_timeout_seconds = 30;
constexpr auto pause_after_failure = std::chrono::milliseconds(200);

struct target {
  std::string origin;  // scheme://host:port
  std::string path;
};

target split(const std::string& url) {
  static const std::regex pattern(R"(^(https?://[^/]+)(/.*)?$)");
  std::smatch m;
  if (!std::regex_match(url, m, pattern)) return {url, "/"};
  return {m[1].str(), m[2].matched ? m[2].str() : "/"};
}

bool post(const webhook_job& job) {
  const auto where = split(job.url);
  httplib::Client client(where.origin);
  client.set_connection_timeout(5);
  client.set_read_timeout(answer_timeout_seconds);
  httplib::Headers headers;
  if (!job.secret_token.empty())
    headers.emplace("X-Telegram-Bot-Api-Secret-Token", job.secret_token);
  auto answer = client.Post(where.path, headers, job.body.dump(), "application/json");
  return answer && answer->status >= 200 && answer->status < 300;
}

}  // namespace

webhook_sender::webhook_sender(world& state, size_t connections) : world_(state) {
  for (size_t i = 0; i < connections; ++i) workers_.emplace_back([this] { work(); });
}

webhook_sender::~webhook_sender() {
  stop();
}

void webhook_sender::stop() {
  stopping_ = true;
  for (auto& worker : workers_)
    if (worker.joinable()) worker.join();
  workers_.clear();
}

void webhook_sender::work() {
  while (!stopping_) {
    auto job = world_.webhook_delivery().take(wait_for_work);
    if (!job) continue;
    if (post(*job)) {
      world_.webhook_delivery().delivered(job->update_id);
    } else {
      logs::debug(logs::event("sandbox", "webhook_retry"),
                  "sandbox: webhook delivery of update {} failed; retrying", job->update_id);
      world_.webhook_delivery().failed(job->update_id);
      std::this_thread::sleep_for(pause_after_failure);
    }
  }
}

}  // namespace lastcall::sandbox
