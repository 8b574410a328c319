// The admin endpoints' bearer token check.

#include <catch2/catch.hpp>

#include "app/admin_routes.hpp"

using lastcall::app::bearer_token_matches;

TEST_CASE("only the exact admin token after Bearer is accepted", "[unit][snapshot][admin]") {
  const std::string token = "s3cr3t-T0ken";
  CHECK(bearer_token_matches("Bearer s3cr3t-T0ken", token));
  CHECK(bearer_token_matches("bearer s3cr3t-T0ken", token));  // the scheme is case-insensitive
  const auto refused =
      GENERATE(as<std::string>{}, "Bearer s3cr3t-T0ke", "Bearer s3cr3t-T0kenX",
               "Bearer S3CR3T-T0KEN", "Basic s3cr3t-T0ken", "s3cr3t-T0ken", "", "Bearer ");
  INFO("header: " << refused);
  CHECK_FALSE(bearer_token_matches(refused, token));
  // No configured token matches nothing, not even an empty one.
  CHECK_FALSE(bearer_token_matches("Bearer ", ""));
}
