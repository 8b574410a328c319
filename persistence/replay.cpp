#include "persistence/replay.hpp"

#include <string>
#include <vector>

#include <pqxx/pqxx>

#include "persistence/writer.hpp"

namespace lastcall::persistence {

namespace {

// Events per FETCH and per INSERT: bounds the client's memory and the statement's size.
constexpr size_t events_per_chunk = 1000;

template <class Entity>
void fold(std::map<int64_t, Entity>& kept, const std::vector<Entity>& images) {
  for (const auto& image : images) {
    auto [it, inserted] = kept.emplace(image.id, image);
    if (!inserted && image.version > it->second.version) it->second = image;
  }
}

template <class Entity>
std::vector<Entity> values(const std::map<int64_t, Entity>& kept) {
  std::vector<Entity> out;
  out.reserve(kept.size());
  for (const auto& [id, entity] : kept) out.push_back(entity);
  return out;
}

std::string quoted_or_null(pqxx::transaction_base& txn, const pqxx::field& field,
                           const char* cast) {
  if (field.is_null()) return "NULL";
  return txn.quote(std::string(field.c_str(), field.size())) + cast;
}

}  // namespace

void image_fold::add(const entity_images& images) {
  fold(users_, images.users);
  fold(businesses_, images.businesses);
  fold(offers_, images.offers);
  fold(reservations_, images.reservations);
}

entity_images image_fold::result() const {
  entity_images images;
  images.users = values(users_);
  images.businesses = values(businesses_);
  images.offers = values(offers_);
  images.reservations = values(reservations_);
  return images;
}

replay_report replay_log(pqxx::transaction_base& log, pqxx::transaction_base& target,
                         int64_t after_seq, bool copy_events) {
  if (copy_events && &log == &target)
    throw std::logic_error("replay_log: events are copied only between two databases");
  replay_report report;
  image_fold images;
  log.exec0(
      "DECLARE replay_events NO SCROLL CURSOR FOR SELECT seq, at::text, kind, entity_id, "
      "actor_id, payload::text, state::text FROM events WHERE seq > " +
      std::to_string(after_seq) + " ORDER BY seq");
  for (;;) {
    const auto chunk =
        log.exec("FETCH FORWARD " + std::to_string(events_per_chunk) + " FROM replay_events");
    std::string copy;
    for (const auto& row : chunk) {
      const auto seq = row[0].as<int64_t>();
      ++report.events;
      report.last_seq = seq;
      if (!row[6].is_null()) {
        const auto state = nlohmann::json::parse(row[6].c_str(), row[6].c_str() + row[6].size());
        images.add(images_from_json(state, "event " + std::to_string(seq) + " state"));
      }
      if (!copy_events) continue;
      copy += copy.empty() ? "INSERT INTO events (seq,at,kind,entity_id,actor_id,payload,state) "
                             "VALUES "
                           : ",";
      copy += "(" + std::to_string(seq) + "," + quoted_or_null(target, row[1], "::timestamptz") +
              "," + target.quote(row[2].c_str()) + "," + std::to_string(row[3].as<int64_t>()) +
              "," + std::to_string(row[4].as<int64_t>()) + "," +
              quoted_or_null(target, row[5], "::jsonb") + "," +
              quoted_or_null(target, row[6], "::json") + ")";
    }
    if (!copy.empty()) target.exec0(copy);
    if (chunk.size() < events_per_chunk) break;
  }
  log.exec0("CLOSE replay_events");
  report.rows = apply_images(target, images.result());
  return report;
}

}  // namespace lastcall::persistence
