#include "domain/session_state.hpp"

namespace lastcall::domain {

bool operator==(const geo_point& a, const geo_point& b) {
  return a.latitude == b.latitude && a.longitude == b.longitude;
}

// The fields to_json writes, and only those: location_at counts only with a location.
bool operator==(const session_state& a, const session_state& b) {
  return a.lang == b.lang && a.language_chosen == b.language_chosen && a.flow == b.flow &&
         a.step == b.step && a.location == b.location &&
         (!a.location || a.location_at == b.location_at) && a.drafts == b.drafts &&
         a.owner == b.owner && a.shopping == b.shopping;
}

nlohmann::json to_json(const session_state& s) {
  nlohmann::json j = {{"lang", to_string(s.lang)},
                      {"language_chosen", s.language_chosen},
                      {"flow", s.flow},
                      {"step", s.step},
                      {"drafts", s.drafts}};
  // Written only when set: most users are customers, and their records stay as they were.
  if (s.owner) j["owner"] = true;
  if (s.shopping) j["shopping"] = true;
  if (s.location) {
    j["location"] = {
        {"lat", s.location->latitude}, {"lon", s.location->longitude}, {"at", s.location_at}};
  }
  return j;
}

session_state session_from_json(const nlohmann::json& j, language fallback) {
  session_state s;
  s.lang = fallback;
  if (!j.is_object()) return s;
  // A session written by an older version may lack fields: each is optional.
  if (auto it = j.find("lang"); it != j.end() && it->is_string())
    parse(it->get<std::string>(), s.lang);
  if (auto it = j.find("language_chosen"); it != j.end() && it->is_boolean())
    s.language_chosen = it->get<bool>();
  if (auto it = j.find("flow"); it != j.end() && it->is_string()) s.flow = it->get<std::string>();
  if (auto it = j.find("step"); it != j.end() && it->is_string()) s.step = it->get<std::string>();
  if (auto it = j.find("drafts"); it != j.end() && it->is_object()) s.drafts = *it;
  if (auto it = j.find("owner"); it != j.end() && it->is_boolean()) s.owner = it->get<bool>();
  if (auto it = j.find("shopping"); it != j.end() && it->is_boolean()) s.shopping = it->get<bool>();
  if (auto it = j.find("location"); it != j.end() && it->is_object()) {
    auto lat = it->find("lat");
    auto lon = it->find("lon");
    if (lat != it->end() && lon != it->end() && lat->is_number() && lon->is_number()) {
      s.location = geo_point{lat->get<double>(), lon->get<double>()};
      if (auto at = it->find("at"); at != it->end() && at->is_number_integer())
        s.location_at = at->get<int64_t>();
    }
  }
  return s;
}

language language_from_code(const std::string& code) {
  auto primary = code.substr(0, code.find_first_of("-_"));
  for (auto& c : primary) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  if (primary == "ru") return language::ru;
  if (primary == "uz") return language::uz;
  return language::en;
}

}  // namespace lastcall::domain
