#include "domain/notice.hpp"

#include <algorithm>
#include <type_traits>

namespace lastcall::domain {

namespace {

using nlohmann::json;

// Each notice's stored name and fields, in one place for both directions.
const char* kind_name(const notices::new_application&) {
  return "admin.new_application";
}
const char* kind_name(const notices::business_decided&) {
  return "business.decided";
}
const char* kind_name(const notices::offer_paused&) {
  return "reservation.offer_paused";
}
const char* kind_name(const notices::offer_ended&) {
  return "reservation.offer_ended";
}
const char* kind_name(const notices::pickup_reminder&) {
  return "reservation.reminder";
}
const char* kind_name(const notices::missed_pickup&) {
  return "reservation.no_show";
}
const char* kind_name(const notices::new_reservations&) {
  return "owner.new_reservations";
}
const char* kind_name(const notices::window_ended&) {
  return "owner.window_ended";
}

// What a stored field must hold to be read back.
enum class field {
  value,        // present, of the member's type
  id,           // present and positive
  optional_id,  // absent (0: none) or not negative
  count,        // absent (0, from a version before it) or not negative
  ids,          // absent (none, from a version before it) or a list of positive ids
};

// Visits the fields of a notice as (name, member, what it must hold).
template <class F>
void fields(notices::new_application& n, F&& f) {
  f("business_id", n.business_id, field::id);
}
template <class F>
void fields(notices::business_decided& n, F&& f) {
  f("business_id", n.business_id, field::id);
}
template <class F>
void fields(notices::offer_paused& n, F&& f) {
  f("offer_id", n.offer_id, field::id);
  f("title", n.title, field::value);
  // Absent or 0: every reservation the customer holds on the offer.
  f("reservation_id", n.reservation_id, field::optional_id);
}
template <class F>
void fields(notices::offer_ended& n, F&& f) {
  f("offer_id", n.offer_id, field::id);
  f("title", n.title, field::value);
}
template <class F>
void fields(notices::pickup_reminder& n, F&& f) {
  f("offer_id", n.offer_id, field::id);
  f("title", n.title, field::value);
  f("code", n.code, field::value);
  f("pickup_end", n.pickup_end, field::value);
  f("address", n.address, field::value);
}
template <class F>
void fields(notices::missed_pickup& n, F&& f) {
  f("offer_id", n.offer_id, field::id);
  f("title", n.title, field::value);
}
template <class F>
void fields(notices::new_reservations& n, F&& f) {
  f("offer_id", n.offer_id, field::id);
  f("title", n.title, field::value);
  f("count", n.count, field::value);
  f("left", n.left, field::value);
  f("items", n.items, field::count);
  f("cancelled_items", n.cancelled_items, field::count);
  f("reservation_ids", n.reservation_ids, field::ids);
}
template <class F>
void fields(notices::window_ended& n, F&& f) {
  f("offer_id", n.offer_id, field::id);
  f("title", n.title, field::value);
  f("picked_up", n.picked_up, field::count);
  f("missed", n.missed, field::count);
  f("unsold", n.unsold, field::count);
}

template <class T>
std::optional<T> read_fields(const json& data) {
  if (!data.is_object()) return std::nullopt;
  T value;
  bool ok = true;
  fields(value, [&](const char* name, auto& member, field what) {
    using member_type = std::decay_t<decltype(member)>;
    auto it = data.find(name);
    if (it == data.end()) {
      ok = ok && (what == field::optional_id || what == field::count || what == field::ids);
      return;
    }
    if constexpr (std::is_same_v<member_type, std::vector<int64_t>>) {
      if (!it->is_array()) {
        ok = false;
        return;
      }
      for (const auto& id : *it) {
        if (id.is_number_integer() && id.get<int64_t>() > 0)
          member.push_back(id.get<int64_t>());
        else
          ok = false;
      }
    } else if constexpr (std::is_same_v<member_type, std::string>) {
      if (it->is_string())
        member = it->get<std::string>();
      else
        ok = false;
    } else {
      if (it->is_number_integer())
        member = it->get<int64_t>();
      else
        ok = false;
      if (what == field::id && member <= 0) ok = false;
      if ((what == field::optional_id || what == field::count) && member < 0) ok = false;
    }
  });
  if (!ok) return std::nullopt;
  return value;
}

template <class T>
bool try_read(const std::string& kind, const json& data, std::optional<notice>& out) {
  if (kind != kind_name(T{})) return false;
  if (auto value = read_fields<T>(data)) out = std::move(*value);
  return true;
}

template <size_t... I>
std::optional<notice> read_any(const std::string& kind, const json& data,
                               std::index_sequence<I...>) {
  std::optional<notice> out;
  (try_read<std::variant_alternative_t<I, notice>>(kind, data, out) || ...);
  return out;
}

}  // namespace

std::string notice_kind(const notice& n) {
  return std::visit([](const auto& value) { return std::string(kind_name(value)); }, n);
}

json notice_data(const notice& n) {
  return std::visit(
      [](auto value) {
        json data = json::object();
        fields(value, [&](const char* name, const auto& member, field) { data[name] = member; });
        return data;
      },
      n);
}

std::optional<notice> read_notice(const std::string& kind, const json& data) {
  return read_any(kind, data, std::make_index_sequence<std::variant_size_v<notice>>{});
}

bool already_picked_up(const notices::new_reservations& n,
                       const std::vector<reservation>& reservations) {
  if (n.reservation_ids.empty() || n.cancelled_items > 0) return false;
  for (const auto id : n.reservation_ids) {
    const auto it = std::find_if(reservations.begin(), reservations.end(),
                                 [id](const reservation& r) { return r.id == id; });
    if (it == reservations.end() || it->status != reservation_status::collected) return false;
  }
  return true;
}

}  // namespace lastcall::domain
