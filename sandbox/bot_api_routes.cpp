#include "sandbox/bot_api_routes.hpp"

#include <chrono>
#include <thread>
#include <utility>
#include <vector>

#include "sandbox/bot_api_error.hpp"
#include "sandbox/bot_api_methods.hpp"
#include "sandbox/http_json.hpp"

namespace lastcall::sandbox {

namespace {

// Far above any Bot API call without a file; file contents are never kept, so uploads are not
// limited.
constexpr size_t max_body_bytes = 10 * 1024 * 1024;

const char* const bot_api_pattern = R"(/bot([^/]*)/([^/]*))";

// What the client sent, read in full before anything is judged so the connection stays usable.
struct raw_request {
  std::vector<std::pair<std::string, std::string>> query;
  std::string content_type;
  std::string body;
  std::vector<std::pair<std::string, std::string>>
      form_fields;  // multipart; a file becomes its name
  bool multipart = false;
  bool too_large = false;
};

raw_request capture_query(const httplib::Request& request) {
  raw_request raw;
  for (const auto& [name, value] : request.params) raw.query.emplace_back(name, value);
  raw.content_type = request.get_header_value("Content-Type");
  return raw;
}

void read_multipart(const httplib::ContentReader& reader, raw_request& raw) {
  raw.multipart = true;
  bool is_file = false;
  size_t kept = 0;
  reader(
      [&](const httplib::MultipartFormData& part) {
        is_file = !part.filename.empty();
        raw.form_fields.emplace_back(part.name, is_file ? part.filename : std::string());
        return true;
      },
      [&](const char* data, size_t length) {
        if (is_file || raw.form_fields.empty()) return true;  // file contents are not kept
        kept += length;
        if (kept > max_body_bytes) {
          raw.too_large = true;
          return false;
        }
        raw.form_fields.back().second.append(data, length);
        return true;
      });
}

void read_body(const httplib::ContentReader& reader, raw_request& raw) {
  reader([&](const char* data, size_t length) {
    if (raw.body.size() + length > max_body_bytes) {
      raw.too_large = true;
      return false;
    }
    raw.body.append(data, length);
    return true;
  });
}

bool contains(const std::string& text, const char* part) {
  return text.find(part) != std::string::npos;
}

request_params parse(const raw_request& raw) {
  if (raw.too_large) throw bot_api_error(413, "Request Entity Too Large");
  request_params params;
  for (const auto& [name, value] : raw.query) params.set(name, value);
  if (raw.multipart) {
    for (const auto& [name, value] : raw.form_fields) params.set(name, value);
    return params;
  }
  if (raw.body.empty()) return params;
  const auto first = raw.body.find_first_not_of(" \t\r\n");
  const bool looks_like_json = first != std::string::npos && raw.body[first] == '{';
  if (contains(raw.content_type, "application/json") ||
      (!contains(raw.content_type, "application/x-www-form-urlencoded") && looks_like_json)) {
    params.merge_json_body(raw.body);
  } else {
    params.merge_form(raw.body);
  }
  return params;
}

// Faults the world decided on that only HTTP can show. The world's lock is not held here, so a
// slow answer holds up nothing but its own connection.
bool act_out_fault(httplib::Response& response, const fault_decision& fault) {
  if (fault.kind == fault_kind::slow_answer && fault.delay_ms > 0)
    std::this_thread::sleep_for(std::chrono::milliseconds(fault.delay_ms));
  if (fault.kind == fault_kind::drop_connection) {
    // Headers promise a body the provider never gives: cpp-httplib closes the connection, and the
    // client sees it end without an answer.
    response.set_content_provider(64, "application/json",
                                  [](size_t, size_t, httplib::DataSink&) { return false; });
    return true;
  }
  if (fault.kind == fault_kind::malformed_body) {
    response.status = 200;
    response.set_content("{\"ok\":true,\"result\":{\"message_id\":", "application/json");
    return true;
  }
  return false;
}

void answer(httplib::Response& response, world& state, const std::string& token,
            const httplib::Request& request, const raw_request& raw) {
  const auto reply = serve_bot_api_call(state, token, request.matches[1], request.matches[2],
                                        [&raw] { return parse(raw); });
  if (act_out_fault(response, reply.fault)) return;
  write_json(response, reply.status, reply.body);
}

}  // namespace

void install_bot_api_routes(httplib::Server& http, world& state, const std::string& token) {
  http.Get(bot_api_pattern,
           [&state, token](const httplib::Request& request, httplib::Response& response) {
             answer(response, state, token, request, capture_query(request));
           });
  http.Post(bot_api_pattern,
            [&state, token](const httplib::Request& request, httplib::Response& response,
                            const httplib::ContentReader& reader) {
              auto raw = capture_query(request);
              if (request.is_multipart_form_data()) {
                read_multipart(reader, raw);
              } else {
                read_body(reader, raw);
              }
              answer(response, state, token, request, raw);
            });
}

}  // namespace lastcall::sandbox
