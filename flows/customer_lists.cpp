#include "flows/customer_lists.hpp"

#include <algorithm>

#include "domain/input_parsing.hpp"
#include "flows/customer_format.hpp"
#include "telegram/keyboards.hpp"

namespace lastcall::flows {

namespace {

int page_size(const turn& t) {
  return std::max(1, t.settings().page_size);
}

bool nearby(list_position::list which) {
  return which == list_position::list::nearby;
}

std::string radius_text(const turn& t) {
  return distance_text(t, t.settings().nearby_radius_meters);
}

}  // namespace

const char* list_prefix(list_position::list which) {
  return nearby(which) ? "nearby" : "browse";
}

std::string list_text(const turn& t, const domain::offer_page& page, list_position::list which) {
  if (page.items.empty())
    return nearby(which) ? t.text("customer.nearby.empty", {{"radius", radius_text(t)}})
                         : t.text("customer.browse.empty");

  domain::text_args header_args = {{"page", std::to_string(page.index + 1)},
                                   {"pages", std::to_string(page.page_count)},
                                   {"radius", radius_text(t)}};
  std::string text =
      t.text(nearby(which) ? "customer.nearby.header" : "customer.browse.header", header_args);
  const int first_number = page.index * page_size(t) + 1;
  for (size_t i = 0; i < page.items.size(); ++i) {
    const auto& entry = page.items[i];
    const auto& l = entry.listing;
    std::string distance;
    if (entry.distance_m)
      distance =
          t.text("customer.list.distance", {{"distance", distance_text(t, *entry.distance_m)}});
    text +=
        "\n\n" + t.text("customer.list.entry",
                        {{"number", std::to_string(first_number + static_cast<int>(i))},
                         {"title", shorten(l.title, 80)},
                         {"business", shorten(l.business_name, 60)},
                         {"deal", money_text(t, l.deal_price)},
                         {"discount",
                          std::to_string(domain::discount_percent(l.original_price, l.deal_price))},
                         {"left", std::to_string(l.left)},
                         {"window", window_text(t, l.pickup_start, l.pickup_end)},
                         {"distance", distance}});
  }
  if (nearby(which)) text += "\n\n" + t.text("customer.nearby.update_hint");
  return text;
}

nlohmann::json list_keyboard(const turn& t, const domain::offer_page& page,
                             list_position::list which) {
  if (page.items.empty()) return nullptr;
  const list_position here{which, page.index};
  const int first_number = page.index * page_size(t) + 1;
  telegram::inline_keyboard rows;
  for (size_t i = 0; i < page.items.size(); ++i) {
    const auto& l = page.items[i].listing;
    rows.push_back(
        {{std::to_string(first_number + static_cast<int>(i)) + ". " + shorten(l.title, 40),
          "card:" + std::to_string(l.offer_id) + ":" + encode_position(here), ""}});
  }
  std::vector<telegram::inline_button> navigation;
  const std::string prefix = list_prefix(which);
  if (page.has_previous)
    navigation.push_back(
        {t.text("customer.list.previous"), prefix + ":" + std::to_string(page.index - 1), ""});
  if (page.has_next)
    navigation.push_back(
        {t.text("customer.list.next"), prefix + ":" + std::to_string(page.index + 1), ""});
  if (!navigation.empty()) rows.push_back(std::move(navigation));
  return telegram::to_json(rows);
}

}  // namespace lastcall::flows
