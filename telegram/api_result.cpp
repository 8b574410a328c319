#include "telegram/api_result.hpp"

#include <optional>
#include <string_view>

#include "telegram/answer_salvage.hpp"
#include "telegram/redact.hpp"

namespace lastcall::telegram {
namespace {

// Telegram's integers here (error codes, seconds) are small; anything else reads as 0.
int small_int(int64_t value) {
  return value >= 0 && value <= 1'000'000'000 ? static_cast<int>(value) : 0;
}

int small_int_field(const nlohmann::json& object, const char* key) {
  const auto it = object.find(key);
  if (it == object.end() || !it->is_number_integer()) return 0;
  return small_int(it->get<int64_t>());
}

// Reads an answer's status fields as the parser meets them, building no document: "ok",
// "error_code", "description" and "parameters.retry_after". Each field is read as the document
// reading does: a repeated key counts with its last value, and a value of the wrong type reads as
// absent.
class status_reader : public nlohmann::json_sax<nlohmann::json> {
 public:
  bool null() override { return value(); }
  bool boolean(bool b) override {
    value();
    if (at_top("ok")) ok = b;
    return done();
  }
  bool number_integer(number_integer_t n) override {
    value();
    integer(n);
    return done();
  }
  bool number_unsigned(number_unsigned_t n) override {
    value();
    integer(n > 1'000'000'000u ? -1 : static_cast<int64_t>(n));
    return done();
  }
  bool number_float(number_float_t, const string_t&) override { return value(); }
  bool string(string_t& text) override {
    value();
    if (at_top("description")) description = std::move(text);
    return done();
  }
  bool binary(binary_t&) override { return value(); }
  bool start_object(std::size_t) override {
    value();
    if (depth_ == 0) is_object = true;
    if (at_top("parameters")) in_parameters_ = true;
    return open();
  }
  bool key(string_t& name) override {
    key_ = std::move(name);
    return true;
  }
  bool end_object() override { return close(); }
  bool start_array(std::size_t) override {
    value();
    return open();
  }
  bool end_array() override { return close(); }
  bool parse_error(std::size_t, const std::string&, const nlohmann::detail::exception&) override {
    return false;
  }

  bool is_object = false;
  std::optional<bool> ok;
  int64_t error_code = 0;
  std::string description;
  int64_t retry_after = 0;

 private:
  bool at_top(const char* name) const { return depth_ == 1 && key_ == name; }
  bool in_parameters(const char* name) const {
    return depth_ == 2 && in_parameters_ && key_ == name;
  }
  // A value starts under the current key: whatever that key held before is forgotten.
  bool value() {
    if (at_top("ok")) ok.reset();
    if (at_top("error_code")) error_code = 0;
    if (at_top("description")) description.clear();
    if (at_top("parameters")) {
      in_parameters_ = false;
      retry_after = 0;
    }
    if (in_parameters("retry_after")) retry_after = 0;
    return true;
  }
  void integer(int64_t n) {
    if (at_top("error_code")) error_code = n;
    if (in_parameters("retry_after")) retry_after = n;
  }
  bool done() {
    key_.clear();
    return true;
  }
  bool open() {
    ++depth_;
    key_.clear();
    return true;
  }
  bool close() {
    --depth_;
    if (depth_ == 1) in_parameters_ = false;
    key_.clear();
    return true;
  }

  int depth_ = 0;
  bool in_parameters_ = false;  // inside the top level's "parameters" object
  std::string key_;
};

// The status of an answer whose result nobody reads; nullopt when the body is not plain valid JSON
// (the whole reading, with its salvage, then decides).
std::optional<api_result> read_status_only(long http_status, const std::string& body,
                                           const std::string& secret) {
  // Telegram writes "ok" first. An answer that opens with it succeeded, whatever its result holds:
  // nobody reads the result, and reading past the opening would cost more than the rest of the
  // call (a sent message's result is the whole message).
  static constexpr std::string_view ok_opening = R"({"ok":true)";
  // A body cut short (it does not close) is read in full, and fails.
  if (body.compare(0, ok_opening.size(), ok_opening) == 0 && body.size() > ok_opening.size() &&
      (body[ok_opening.size()] == ',' || body[ok_opening.size()] == '}') && body.back() == '}') {
    api_result out;
    out.http_status = http_status;
    out.kind = api_result::outcome::ok;
    return out;
  }
  status_reader reader;
  if (!nlohmann::json::sax_parse(body, &reader, nlohmann::json::input_format_t::json, false))
    return std::nullopt;
  if (!reader.is_object || !reader.ok) {
    return transport_failure("HTTP " + std::to_string(http_status) + " without a Bot API answer",
                             http_status);
  }
  api_result out;
  out.http_status = http_status;
  if (*reader.ok) {
    out.kind = api_result::outcome::ok;
    return out;
  }
  out.kind = api_result::outcome::api_error;
  out.error_code = small_int(reader.error_code);
  if (!reader.description.empty()) out.description = redact(reader.description, secret);
  out.retry_after = small_int(reader.retry_after);
  return out;
}

}  // namespace

api_result transport_failure(std::string description, long http_status) {
  api_result out;
  out.kind = api_result::outcome::transport_error;
  out.http_status = http_status;
  out.description = std::move(description);
  return out;
}

api_result interpret_response(long http_status, const std::string& body, const std::string& secret,
                              answer_reading reading) {
  if (reading == answer_reading::status_only) {
    if (auto status = read_status_only(http_status, body, secret)) return std::move(*status);
  }
  nlohmann::json answer = nlohmann::json::parse(body, nullptr, /*allow_exceptions=*/false);
  salvaged_answer salvaged;
  if (answer.is_discarded()) {
    if (auto read = salvage_answer(body)) {
      salvaged = std::move(*read);
      answer = std::move(salvaged.answer);
    }
  }
  const auto ok_field = answer.is_object() ? answer.find("ok") : answer.end();
  if (!answer.is_object() || ok_field == answer.end() || !ok_field->is_boolean()) {
    return transport_failure("HTTP " + std::to_string(http_status) + " without a Bot API answer",
                             http_status);
  }

  api_result out;
  out.http_status = http_status;
  out.undecodable_entries = salvaged.dropped_entries;
  out.undecodable_update_ids = std::move(salvaged.dropped_update_ids);
  if (ok_field->get<bool>()) {
    out.kind = api_result::outcome::ok;
    if (const auto result = answer.find("result"); result != answer.end()) {
      out.result = std::move(*result);
    }
    return out;
  }

  out.kind = api_result::outcome::api_error;
  out.error_code = small_int_field(answer, "error_code");
  if (const auto description = answer.find("description");
      description != answer.end() && description->is_string()) {
    out.description = redact(description->get<std::string>(), secret);
  }
  if (const auto parameters = answer.find("parameters");
      parameters != answer.end() && parameters->is_object()) {
    out.retry_after = small_int_field(*parameters, "retry_after");
  }
  return out;
}

}  // namespace lastcall::telegram
