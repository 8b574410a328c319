#pragma once
// Stands in for the market, the notifications and the persistence actor when a benchmark measures
// offers or sessions alone: it takes what they report and answers every commit as durable at once.
// (A dropping default handler would answer with an error message, which the typed offer actor
// refuses.)

#include <memory>
#include <vector>

#include <caf/all.hpp>

#include "actors/atoms.hpp"
#include "domain/entities.hpp"
#include "flows/services.hpp"
#include "persistence/unit_of_work.hpp"

namespace lastcall::benchmarks {

inline caf::behavior sink(caf::event_based_actor*) {
  using namespace lastcall::actors;
  return {
      [](changed_atom, domain::offer&, std::vector<domain::reservation>&) {},
      [](notify_atom, int64_t, flows::notification&) {},
      [](commit_atom, persistence::unit_of_work&) { return durable_atom::value; },
      [](commit_atom, std::shared_ptr<persistence::unit_of_work>&) { return durable_atom::value; },
  };
}

}  // namespace lastcall::benchmarks
