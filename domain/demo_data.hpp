#pragma once
// The demo market `lastcall demo-seed` writes for trying the bot in the sandbox's chat page: one
// verified business owned by the page's business persona, with a few deals whose pickup windows
// lie ahead of now, and the places the page offers for "share location", all around the
// configured city. Pure construction; writing it is the demo-seed command's job.

#include <cstdint>
#include <string>
#include <vector>

#include "domain/entities.hpp"
#include "domain/session_state.hpp"

namespace lastcall::domain {

// The chat page's personas share these ids with the demo data, so the business persona owns the
// demo business. The admin persona is the first of ADMIN_IDS (scripts/run sets 1000).
constexpr int64_t demo_customer_id = 42;
constexpr int64_t demo_second_customer_id = 43;
constexpr int64_t demo_owner_id = 700;
constexpr int64_t demo_default_admin_id = 1000;

struct demo_place {
  std::string name;
  geo_point where;
};

// A handful of named places within a few kilometres of `city`, the first at the centre itself, so
// "nearby" from any of them finds the demo deals within the default radius.
std::vector<demo_place> demo_places(geo_point city);

struct demo_settings {
  int64_t owner_id = demo_owner_id;
  int64_t approved_by = demo_default_admin_id;
  geo_point city;
  int64_t now = 0;  // Unix seconds
  int utc_offset_minutes = 0;
  std::string currency = "UZS";
};

struct demo_market {
  business shop;
  std::vector<offer> offers;
};

// The business (id 1) at the first demo place and its active deals (ids 1..n). Each pickup window
// is the deal's own afternoon or evening hours in the configured time zone (14:00-22:00), on the
// first day it starts at least an hour after `now`, so customers can reserve and still cancel at
// once: at night the deals are tomorrow's, never "00:00-04:00".
demo_market make_demo_market(const demo_settings& settings);

}  // namespace lastcall::domain
