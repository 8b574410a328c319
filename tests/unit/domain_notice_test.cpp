// Notices in their stored form: each kind reads back as it was written, and what does not fit a
// kind is not read at all.

#include <catch2/catch.hpp>

#include "domain/notice.hpp"

using namespace lastcall::domain;

TEST_CASE("every notice reads back from its stored kind and data", "[unit][notice]") {
  const std::vector<notice> all = {
      notices::new_application{11},
      notices::business_decided{12},
      notices::offer_paused{13, "Buns", 7},
      notices::offer_ended{14, "Pie"},
      notices::pickup_reminder{15, "Cake", "K7Q2M", 1764000000, "Main St 1"},
      notices::missed_pickup{16, "Bread"},
      notices::new_reservations{17, "Croissants", 3, 5, 4, 2, {41, 42, 43}},
      notices::window_ended{18, "Soup", 7, 2, 1},
  };
  REQUIRE(all.size() == std::variant_size_v<notice>);
  for (const auto& n : all) {
    INFO(notice_kind(n));
    const auto back = read_notice(notice_kind(n), notice_data(n));
    REQUIRE(back.has_value());
    CHECK(back->index() == n.index());
    CHECK(notice_data(*back) == notice_data(n));
  }
  CHECK(notice_kind(notices::business_decided{1}) == "business.decided");
  CHECK(notice_data(notices::new_reservations{17, "Croissants", 3, 5, 4, 2, {41}}) ==
        nlohmann::json{{"offer_id", 17},
                       {"title", "Croissants"},
                       {"count", 3},
                       {"left", 5},
                       {"items", 4},
                       {"cancelled_items", 2},
                       {"reservation_ids", {41}}});
  // Stored before items were counted: read with none, so the reservations stand for them.
  auto older = read_notice("owner.new_reservations",
                           {{"offer_id", 17}, {"title", "Croissants"}, {"count", 3}, {"left", 5}});
  REQUIRE(older.has_value());
  CHECK(std::get<notices::new_reservations>(*older).items == 0);
  CHECK(std::get<notices::new_reservations>(*older).reservation_ids.empty());
  for (const nlohmann::json& ids :
       {nlohmann::json{0}, nlohmann::json{-4}, nlohmann::json{"41"}, nlohmann::json(41)})
    CHECK_FALSE(read_notice("owner.new_reservations", {{"offer_id", 17},
                                                       {"title", "Croissants"},
                                                       {"count", 1},
                                                       {"left", 5},
                                                       {"reservation_ids", ids}})
                    .has_value());
  CHECK_FALSE(read_notice("owner.new_reservations", {{"offer_id", 17},
                                                     {"title", "Croissants"},
                                                     {"count", 3},
                                                     {"left", 5},
                                                     {"cancelled_items", -1}})
                  .has_value());
}

TEST_CASE("a stored notice that fits no kind is not read", "[unit][notice]") {
  CHECK_FALSE(read_notice("owner.new_reservations", {{"title", "no id"}}).has_value());
  CHECK_FALSE(read_notice("reservation.reminder", {{"pickup_end", "soon"}}).has_value());
  CHECK_FALSE(read_notice("reservation.no_show", nullptr).has_value());
  CHECK_FALSE(read_notice("business.decided", {{"business_id", "12"}}).has_value());
  CHECK_FALSE(read_notice("a.kind.from.a.newer.version", {{"business_id", 12}}).has_value());
  CHECK_FALSE(read_notice("business.decided", {{"business_id", 0}}).has_value());
  CHECK_FALSE(
      read_notice("reservation.offer_ended", {{"offer_id", -3}, {"title", "Pie"}}).has_value());
  CHECK_FALSE(read_notice("reservation.offer_paused",
                          {{"offer_id", 3}, {"title", "Buns"}, {"reservation_id", -1}})
                  .has_value());
  // A paused offer's notice may leave out the reservation: every one the customer holds.
  auto paused = read_notice("reservation.offer_paused", {{"offer_id", 3}, {"title", "Buns"}});
  REQUIRE(paused.has_value());
  CHECK(std::get<notices::offer_paused>(*paused).reservation_id == 0);
}

TEST_CASE("a reservations notice is outdated once everything it tells of was picked up",
          "[unit][notice]") {
  auto with = [](int64_t id, reservation_status status) {
    reservation r;
    r.id = id;
    r.status = status;
    return r;
  };
  const std::vector<reservation> now = {
      with(41, reservation_status::collected), with(42, reservation_status::collected),
      with(43, reservation_status::active), with(44, reservation_status::cancelled)};
  auto news = [](std::vector<int64_t> ids, int64_t cancelled = 0) {
    return notices::new_reservations{
        17, "Croissants", static_cast<int64_t>(ids.size()), 5, 2, cancelled, std::move(ids)};
  };
  CHECK(already_picked_up(news({41, 42}), now));
  CHECK_FALSE(already_picked_up(news({41, 43}), now));  // one still to hand over
  CHECK_FALSE(already_picked_up(news({41, 44}), now));  // cancelled, not picked up
  CHECK_FALSE(already_picked_up(news({41, 99}), now));  // not found: told, not assumed
  CHECK_FALSE(already_picked_up(news({41}, 1), now));   // it also tells of items given back
  CHECK_FALSE(already_picked_up(news({}), now));        // from before reservations were named
}
