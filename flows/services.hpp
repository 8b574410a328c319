#pragma once
// What flows may ask of the rest of the market: the actors that own businesses and offers. Every
// call completes through its callback, possibly after the turn's flow function returned (an actor
// answered later), so flows hold the turn open while they wait. The session actor implements it
// with messages; unit tests implement it in memory.

namespace lastcall::flows {

class services {
 public:
  virtual ~services() = default;
};

}  // namespace lastcall::flows
