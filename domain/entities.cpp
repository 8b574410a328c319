#include "domain/entities.hpp"

#include <array>
#include <utility>

namespace lastcall::domain {

namespace {

template <class Enum, size_t N>
using names = std::array<std::pair<Enum, const char*>, N>;

constexpr names<language, 3> language_names{
    {{language::en, "en"}, {language::ru, "ru"}, {language::uz, "uz"}}};
constexpr names<business_status, 3> business_status_names{
    {{business_status::pending, "pending"},
     {business_status::verified, "verified"},
     {business_status::rejected, "rejected"}}};
constexpr names<offer_state, 6> offer_state_names{{{offer_state::draft, "draft"},
                                                   {offer_state::active, "active"},
                                                   {offer_state::paused, "paused"},
                                                   {offer_state::sold_out, "sold_out"},
                                                   {offer_state::expired, "expired"},
                                                   {offer_state::ended, "ended"}}};
constexpr names<reservation_status, 4> reservation_status_names{
    {{reservation_status::active, "active"},
     {reservation_status::cancelled, "cancelled"},
     {reservation_status::collected, "collected"},
     {reservation_status::no_show, "no_show"}}};

template <class Enum, size_t N>
const char* name_of(const names<Enum, N>& table, Enum value) {
  for (const auto& [e, name] : table)
    if (e == value) return name;
  return "unknown";
}

template <class Enum, size_t N>
bool value_of(const names<Enum, N>& table, const std::string& text, Enum& out) {
  for (const auto& [e, name] : table) {
    if (text == name) {
      out = e;
      return true;
    }
  }
  return false;
}

}  // namespace

const char* to_string(language x) {
  return name_of(language_names, x);
}
const char* to_string(business_status x) {
  return name_of(business_status_names, x);
}
const char* to_string(offer_state x) {
  return name_of(offer_state_names, x);
}
const char* to_string(reservation_status x) {
  return name_of(reservation_status_names, x);
}
bool parse(const std::string& t, language& out) {
  return value_of(language_names, t, out);
}
bool parse(const std::string& t, business_status& out) {
  return value_of(business_status_names, t, out);
}
bool parse(const std::string& t, offer_state& out) {
  return value_of(offer_state_names, t, out);
}
bool parse(const std::string& t, reservation_status& out) {
  return value_of(reservation_status_names, t, out);
}

}  // namespace lastcall::domain
