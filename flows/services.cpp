#include "flows/services.hpp"

namespace lastcall::flows {

namespace {

template <class T>
void append(std::vector<T>& to, std::vector<T>& from) {
  to.insert(to.end(), std::make_move_iterator(from.begin()), std::make_move_iterator(from.end()));
}

}  // namespace

void merge_changes(persistence::unit_of_work& unit, persistence::unit_of_work changes) {
  append(unit.users, changes.users);
  append(unit.businesses, changes.businesses);
  append(unit.offers, changes.offers);
  append(unit.reservations, changes.reservations);
  append(unit.events, changes.events);
  append(unit.outbox, changes.outbox);
  append(unit.notices, changes.notices);
}

}  // namespace lastcall::flows
