#pragma once
// Which offers /browse and /nearby show first, and how the list is cut into pages.

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "domain/entities.hpp"
#include "domain/session_state.hpp"

namespace lastcall::domain {

// What a list entry needs to know about an offer and its business.
struct offer_listing {
  int64_t offer_id = 0;
  int64_t business_id = 0;
  std::string title;
  std::string business_name;
  int64_t original_price = 0;
  int64_t deal_price = 0;
  int32_t left = 0;
  int64_t pickup_start = 0;
  int64_t pickup_end = 0;
  geo_point where;
  offer_state state = offer_state::draft;
};

struct ranked_offer {
  offer_listing listing;
  std::optional<double> distance_m;  // known when the user's location is
  double score = 0;                  // 0..1, higher first (browse order)
};

// Only offers someone can reserve right now: active, with stock, window not over.
//
// Browse (no radius, or no location): ordered by score, highest first, where
//   score = w_u * urgency + w_d * discount + w_p * proximity
//   urgency   = 1 / (1 + hours until the window ends / 2)   1 when ending now, 0.5 at 2 h, 0.2 at 8
//   h discount  = (original - deal) / original                  0..1 proximity = 1 / (1 + km away /
//   2)                        1 here, 0.5 at 2 km, 0.2 at 8 km
// with weights 0.4 / 0.4 / 0.2 when the distance is known and 0.5 / 0.5 / 0 when not. Urgency and
// discount weigh most because the point of the market is food that will be thrown away soon and a
// price worth the trip; distance only nudges the order, since someone browsing has not limited
// where they are willing to go. The hyperbolic curves keep every offer comparable (no cliff at an
// arbitrary cut-off) while the first hours and kilometres matter most.
//
// Nearby (location and radius both given): only offers within the radius, nearest first; the score
// breaks ties. Equal entries keep a stable order by offer id.
std::vector<ranked_offer> rank(const std::vector<offer_listing>& listings, int64_t now,
                               std::optional<geo_point> user, std::optional<double> radius_m);

struct offer_page {
  std::vector<ranked_offer> items;
  int index = 0;       // 0-based, after clamping
  int page_count = 0;  // 0 when there is nothing to show
  bool has_previous = false;
  bool has_next = false;
};

// Page `index` (0-based) of the ranked list. Out-of-range indexes are clamped to the first or last
// page, so a stale "next" button after offers sold out still shows something; page sizes below 1
// count as 1.
offer_page page(const std::vector<ranked_offer>& ranked, int index, int page_size);

// Which page of which list a user asks for: /browse without a radius, /nearby with one.
struct page_query {
  int64_t now = 0;
  std::optional<geo_point> user;
  std::optional<double> radius_m;
  int index = 0;
  int page_size = 5;
};

// rank() and then page(): what the market answers a list with, so only a page travels to the
// session, not every listing.
offer_page ranked_page(const std::vector<offer_listing>& listings, const page_query& query);

}  // namespace lastcall::domain
