#include "domain/ranking.hpp"

#include <algorithm>

#include "domain/geo.hpp"

namespace lastcall::domain {

namespace {

bool reservable(const offer_listing& l, int64_t now) {
  return l.state == offer_state::active && l.left > 0 && l.pickup_end > now;
}

double score_of(const offer_listing& l, int64_t now, std::optional<double> distance_m) {
  const double hours_left = static_cast<double>(l.pickup_end - now) / 3600.0;
  const double urgency = 1.0 / (1.0 + hours_left / 2.0);
  double discount = 0;
  if (l.original_price > 0 && l.deal_price < l.original_price)
    discount = static_cast<double>(l.original_price - std::max<int64_t>(l.deal_price, 0)) /
               static_cast<double>(l.original_price);
  if (!distance_m) return 0.5 * urgency + 0.5 * discount;
  const double proximity = 1.0 / (1.0 + *distance_m / 1000.0 / 2.0);
  return 0.4 * urgency + 0.4 * discount + 0.2 * proximity;
}

bool by_score(const ranked_offer& a, const ranked_offer& b) {
  if (a.score != b.score) return a.score > b.score;
  return a.listing.offer_id < b.listing.offer_id;
}

bool by_distance(const ranked_offer& a, const ranked_offer& b) {
  if (*a.distance_m != *b.distance_m) return *a.distance_m < *b.distance_m;
  return by_score(a, b);
}

}  // namespace

std::vector<ranked_offer> rank(const std::vector<offer_listing>& listings, int64_t now,
                               std::optional<geo_point> user, std::optional<double> radius_m) {
  const bool nearby = user && radius_m;
  std::vector<ranked_offer> out;
  for (const auto& l : listings) {
    if (!reservable(l, now)) continue;
    ranked_offer r;
    r.listing = l;
    if (user) r.distance_m = distance_meters(*user, l.where);
    if (nearby && *r.distance_m > *radius_m) continue;
    r.score = score_of(l, now, r.distance_m);
    out.push_back(std::move(r));
  }
  std::sort(out.begin(), out.end(), nearby ? by_distance : by_score);
  return out;
}

offer_page page(const std::vector<ranked_offer>& ranked, int index, int page_size) {
  offer_page p;
  const size_t size = static_cast<size_t>(std::max(page_size, 1));
  p.page_count = static_cast<int>((ranked.size() + size - 1) / size);
  if (p.page_count == 0) return p;
  p.index = std::clamp(index, 0, p.page_count - 1);
  const size_t first = static_cast<size_t>(p.index) * size;
  const size_t last = std::min(ranked.size(), first + size);
  p.items.assign(ranked.begin() + static_cast<std::ptrdiff_t>(first),
                 ranked.begin() + static_cast<std::ptrdiff_t>(last));
  p.has_previous = p.index > 0;
  p.has_next = p.index + 1 < p.page_count;
  return p;
}

offer_page ranked_page(const std::vector<offer_listing>& listings, const page_query& query) {
  return page(rank(listings, query.now, query.user, query.radius_m), query.index, query.page_size);
}

}  // namespace lastcall::domain
