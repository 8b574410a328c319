#include "tests/support/actor_market.hpp"

#include <future>

#include <caf/all.hpp>

#include "actors/session_services.hpp"

namespace lastcall::testing {

namespace {

// A question for the market, run inside the asking actor.
struct market_question {
  std::function<void(flows::services&)> ask;
};

}  // namespace

}  // namespace lastcall::testing

CAF_ALLOW_UNSAFE_MESSAGE_TYPE(lastcall::testing::market_question)

namespace lastcall::testing {

namespace {

struct asker_state {
  static inline const char* name = "contract_asker";
  // What session_services reads of a session's state.
  struct {
    actors::persistence_actor persistence;
    actors::history_reader_actor history;  // none: the market contract reads no history
  } deps;
  std::unique_ptr<flows::services> services;
};

caf::behavior asker(caf::stateful_actor<asker_state>* self, actors::market_actor market,
                    std::shared_ptr<const config::settings> settings,
                    actors::persistence_actor persistence) {
  self->state.deps.persistence = std::move(persistence);
  self->state.services =
      std::make_unique<actors::session_services<caf::stateful_actor<asker_state>*>>(
          self, std::move(market), std::move(settings), "lastcall_bot");
  return {
      [=](market_question& question) { question.ask(*self->state.services); },
  };
}

caf::behavior drops_everything(caf::event_based_actor*) {
  return {[](caf::message&) {}};
}

}  // namespace

actor_market::actor_market(const config::settings& settings) : system_(config_) {
  auto shared = std::make_shared<const config::settings>(settings);
  persistence_ = system_.spawn(drops_everything);
  actors::market_dependencies deps;
  deps.settings = shared;
  deps.persistence = caf::actor_cast<actors::persistence_actor>(persistence_);
  market_ = actors::spawn_market(system_, std::move(deps));
  caf::anon_send(market_, actors::start_atom::value);
  asker_ = system_.spawn(asker, market_, shared,
                         caf::actor_cast<actors::persistence_actor>(persistence_));
}

actor_market::~actor_market() {
  caf::anon_send_exit(asker_, caf::exit_reason::user_shutdown);
  caf::anon_send_exit(market_, caf::exit_reason::user_shutdown);
  caf::anon_send_exit(persistence_, caf::exit_reason::user_shutdown);
}

void actor_market::run(
    const std::function<void(flows::services&, std::function<void()> done)>& ask) {
  auto answered = std::make_shared<std::promise<void>>();
  auto future = answered->get_future();
  caf::anon_send(asker_, market_question{[ask, answered](flows::services& s) {
                   ask(s, [answered] { answered->set_value(); });
                 }});
  future.wait();
}

}  // namespace lastcall::testing
