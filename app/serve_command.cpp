#include "app/serve_command.hpp"

#include <chrono>
#include <csignal>
#include <random>
#include <thread>

#include <caf/all.hpp>

#include "actors/intake.hpp"
#include "actors/market_actor.hpp"
#include "actors/outbound_actor.hpp"
#include "actors/persistence_actor.hpp"
#include "actors/poller.hpp"
#include "actors/router.hpp"
#include "actors/user_loader.hpp"
#include "app/admin_routes.hpp"
#include "app/bot_setup.hpp"
#include "app/http_listener.hpp"
#include "app/ops_routes.hpp"
#include "app/readiness.hpp"
#include "app/webhook_route.hpp"
#include "config/settings.hpp"
#include "domain/intake_window.hpp"
#include "flows/dispatcher.hpp"
#include "logs/event.hpp"
#include "logs/setup.hpp"
#include "logs/user_reference.hpp"
#include "persistence/database.hpp"
#include "persistence/intake_spool.hpp"
#include "persistence/loader.hpp"
#include "telegram/requests.hpp"

namespace lastcall::app {

namespace {

constexpr auto drain_updates_limit = std::chrono::seconds(15);
constexpr auto drain_outbound_limit = std::chrono::seconds(10);
// Telegram's default; each waits for its update's commit, which group commit makes cheap.
constexpr int webhook_connections = 40;

config::settings load_settings(const std::vector<std::string>& args) {
  auto settings = config::load(args, config::environment());
  if (settings.bot_token.empty()) throw config::config_error("setting BOT_TOKEN: is required");
  if (settings.database_url.empty())
    throw config::config_error("setting DATABASE_URL: is required");
  if (!settings.webhook_url.empty() && settings.http_port == 0)
    throw config::config_error(
        "setting WEBHOOK_URL: webhook mode needs the HTTP listener; set HTTP_PORT as well");
  return settings;
}

// Asks an actor how much work it still has until it says none or the limit passes.
template <class Handle>
bool wait_until_idle(caf::scoped_actor& self, const Handle& handle, std::chrono::seconds limit) {
  auto deadline = std::chrono::steady_clock::now() + limit;
  while (std::chrono::steady_clock::now() < deadline) {
    uint64_t left = 1;
    self->request(handle, std::chrono::seconds(1), actors::status_atom::value)
        .receive([&](uint64_t n) { left = n; }, [&](caf::error&) {});
    if (left == 0) return true;
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  }
  return false;
}

// Sessions are started at once only when they hold a draft or a flow in progress; the others load
// on demand.
std::vector<domain::user_record> sessions_with_drafts(std::vector<domain::user_record> users) {
  std::vector<domain::user_record> result;
  for (auto& user : users) {
    const auto& s = user.session;
    bool in_flow = s.is_object() && s.contains("flow") && s["flow"].is_string() &&
                   !s["flow"].get<std::string>().empty();
    bool has_draft =
        s.is_object() && s.contains("drafts") && s["drafts"].is_object() && !s["drafts"].empty();
    if (in_flow || has_draft) result.push_back(std::move(user));
  }
  return result;
}

// Telegram is told a fresh random secret at every start when none is configured: only it and this
// process know it, and nothing needs to be kept.
std::string random_secret() {
  static constexpr char alphabet[] =
      "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_-";
  std::random_device device;
  std::string secret;
  for (int i = 0; i < 48; ++i) secret += alphabet[device() % (sizeof alphabet - 1)];
  return secret;
}

const std::vector<std::string>& update_kinds() {
  static const std::vector<std::string> kinds{"message", "callback_query"};
  return kinds;
}

int wait_for_signal(const sigset_t& signals) {
  int signal = 0;
  sigwait(&signals, &signal);
  return signal;
}

}  // namespace

int run_serve_command(const std::vector<std::string>& args) {
  config::settings loaded;
  try {
    loaded = load_settings(args);
  } catch (const config::config_error& e) {
    std::fprintf(stderr, "lastcall: %s\n", e.what());
    return 2;
  }
  auto settings = std::make_shared<const config::settings>(std::move(loaded));
  int exit_code = 0;
  logs::setup_logging(settings->log_level, settings->log_format);
  try {
    logs::set_user_reference_key(
        logs::user_reference_key(settings->log_user_key, settings->data_dir));
  } catch (const std::exception& e) {
    logs::error(logs::event("serve", "start_failed"), "cannot start: {}", e.what());
    return 1;
  }

  // Every thread started from here on inherits the mask, so only sigwait below sees these signals.
  sigset_t signals;
  sigemptyset(&signals);
  sigaddset(&signals, SIGINT);
  sigaddset(&signals, SIGTERM);
  pthread_sigmask(SIG_BLOCK, &signals, nullptr);

  persistence::stored_state stored;
  try {
    auto started = std::chrono::steady_clock::now();
    auto connection = persistence::connect(settings->database_url);
    persistence::migrate(*connection);
    stored = persistence::load_state(*connection);
    auto ms = std::chrono::duration_cast<std::chrono::milliseconds>(
        std::chrono::steady_clock::now() - started);
    logs::info(
        logs::event("serve", "database_ready"),
        "loaded {} businesses, {} offers, {} reservations, {} sessions, {} unsent calls in {} ms",
        stored.businesses.size(), stored.offers.size(), stored.reservations.size(),
        stored.users_with_session.size(), stored.outbox.size(), ms.count());
  } catch (const std::exception& e) {
    logs::error(logs::event("serve", "start_failed"), "cannot start: the database failed: {}",
                e.what());
    return 1;
  }

  const bool webhook_mode = !settings->webhook_url.empty();
  const auto webhook_secret =
      settings->webhook_secret.empty() ? random_secret() : settings->webhook_secret;
  readiness ready(settings->database_url);
  auto runtime = std::make_shared<actors::runtime_metrics>();
  auto persistence_counters = std::make_shared<persistence::persistence_metrics>();
  http_listener listener;

  int64_t bot_id = 0;
  std::shared_ptr<telegram::bot_api_client> client;
  try {
    telegram::bot_api_client::options bot_api{settings->telegram_api_url, settings->bot_token};
    bot_api.pipeline_depth = settings->bot_api_pipeline_depth;
    client = std::make_shared<telegram::bot_api_client>(bot_api);
  } catch (const std::exception& e) {
    logs::error(logs::event("serve", "start_failed"), "cannot start: TELEGRAM_API_URL: {}",
                e.what());
    return 1;
  }
  try {
    auto me = identify_bot(*client, 30'000);
    bot_id = me.id;
    logs::info(logs::event("serve", "starting"), "bot @{} (id {}) starting with {}", me.username,
               me.id, webhook_mode ? "a webhook" : "long polling");
    flows::default_dispatcher().set_bot_username(me.username);
    if (!webhook_mode) {
      // getUpdates is refused while a webhook is set.
      auto dw = telegram::delete_webhook();
      auto result = client->call_blocking(dw.method, dw.params, 10'000);
      if (!result.ok()) throw std::runtime_error("deleteWebhook failed: " + result.description);
    }
    register_commands(*client);
    ready.bot_api_answered();
  } catch (const std::exception& e) {
    logs::error(logs::event("serve", "start_failed"), "cannot start: {}", e.what());
    return 1;
  }

  caf::actor_system_config cfg;
  unsigned threads = settings->worker_threads > 0
                         ? static_cast<unsigned>(settings->worker_threads)
                         : std::max(1u, std::thread::hardware_concurrency());
  cfg.set("scheduler.max-threads", threads);
  cfg.set("scheduler.policy", caf::atom_from_string(settings->scheduler_policy));
  {
    caf::actor_system system{cfg};

    auto outbound_counters = std::make_shared<telegram::outbound_metrics>();
    auto outbound = actors::spawn_outbound(
        system, client,
        actors::outbound_options_from(*settings, std::move(stored.blocked_user_ids)),
        outbound_counters);

    // Updates come from long polling or from the webhook; either way they go through the intake
    // (the inbox), which learns from the persistence actor which ones were handled.
    actors::intake_options intake_options;
    intake_options.stored_offset = stored.update_offset;
    intake_options.durable_update_ids = std::move(stored.processed_update_ids);
    intake_options.inbox = std::move(stored.inbox);
    // Telegram re-sends a webhook update it had no 200 for during up to a day; a poll's offset
    // says by itself what is done.
    intake_options.retention_seconds =
        webhook_mode ? domain::intake_window::default_retention_seconds : 0;
    intake_options.metrics = runtime;
    intake_options.database = persistence_counters;
    intake_options.not_confirmed_notice =
        std::chrono::seconds(settings->not_confirmed_notice_seconds);
    intake_options.spool = std::make_shared<persistence::intake_spool>(
        persistence::intake_spool_path(settings->data_dir, bot_id, settings->database_url));
    intake_options.spooled = intake_options.spool->read_all();
    auto intake = actors::spawn_intake(system, std::move(intake_options));
    actors::poller_actor poller;
    if (!webhook_mode) {
      actors::poller_options options;
      options.timeout_seconds = settings->poll_timeout_seconds;
      options.stored_offset = stored.update_offset;
      options.metrics = runtime;
      poller = actors::spawn_poller(system, client, std::move(options));
    }

    actors::persistence_options persist_options;
    persist_options.database_url = settings->database_url;
    persist_options.batch_max_units = static_cast<size_t>(settings->persistence_batch_max);
    persist_options.metrics = persistence_counters.get();
    auto persistence = actors::spawn_persistence(system, persist_options, outbound, intake);
    caf::anon_send(outbound, actors::sent_sink{persistence});

    auto loader = actors::spawn_user_loader(system, settings->database_url);
    actors::market_dependencies market_deps{settings,
                                            persistence,
                                            std::move(stored.businesses),
                                            std::move(stored.offers),
                                            std::move(stored.reservations),
                                            stored.max_business_id,
                                            stored.max_offer_id,
                                            stored.max_reservation_id,
                                            runtime};
    auto market = actors::spawn_market(system, std::move(market_deps));
    actors::router_dependencies deps{settings,
                                     persistence,
                                     loader,
                                     market,
                                     sessions_with_drafts(std::move(stored.users_with_session)),
                                     runtime,
                                     outbound,
                                     persistence_counters,
                                     std::move(stored.known_user_ids)};
    auto router = actors::spawn_router(system, std::move(deps));
    caf::anon_send(outbound, actors::blocked_chat_sink{router});
    // Notices committed before the last stop but never rendered are rendered now; the ones
    // committed from here on reach their sessions through the persistence actor.
    for (auto& notice : stored.notices)
      caf::anon_send(router, actors::notify_atom::value, notice.user_id,
                     flows::notification{std::move(notice.notice), notice.id});
    caf::anon_send(persistence, actors::notification_sink{router});
    caf::anon_send(market, actors::start_atom::value);

    // Calls committed before the last stop but never sent go out first.
    if (!stored.outbox.empty())
      caf::anon_send(outbound, actors::send_atom::value, std::move(stored.outbox));

    if (settings->http_port != 0) {
      install_ops_routes(listener.server(), ready,
                         metrics_sources{runtime, persistence_counters, outbound_counters});
      install_admin_routes(listener.server(), settings->admin_token,
                           persistence_snapshot_source(persistence));
      if (webhook_mode)
        install_webhook_route(
            listener.server(),
            webhook_route_options{webhook_path(settings->webhook_url), webhook_secret}, intake,
            runtime);
      try {
        auto port = listener.start(settings->http_host, settings->http_port);
        logs::info(logs::event("serve", "http_listening"), "http listener on {}:{}",
                   settings->http_host, port);
      } catch (const std::exception& e) {
        logs::error(logs::event("serve", "start_failed"), "cannot start: {}", e.what());
        exit_code = 1;
      }
    }

    if (exit_code == 0) caf::anon_send(intake, router, persistence);
    if (exit_code == 0 && webhook_mode) {
      auto sw = telegram::set_webhook(settings->webhook_url, webhook_secret, update_kinds(),
                                      webhook_connections);
      auto result = client->call_blocking(sw.method, sw.params, 10'000);
      if (!result.ok()) {
        logs::error(logs::event("serve", "start_failed"), "cannot start: setWebhook failed: {}",
                    result.description);
        exit_code = 1;
      }
    } else if (exit_code == 0) {
      caf::anon_send(poller, intake);
    }

    // A failed start goes through the same shutdown: the actor system waits for every actor.
    if (exit_code == 0) {
      logs::info(logs::event("serve", "serving"), "serving");
      int signal = wait_for_signal(signals);
      logs::info(logs::event("serve", "draining"), "signal {} received: draining", signal);
    }

    caf::scoped_actor self{system};
    // No new updates; the ones taken in are handled first (what is not, is after the restart).
    if (webhook_mode) {
      listener.stop();
    } else {
      caf::anon_send(poller, actors::stop_atom::value);
      self->send_exit(poller, caf::exit_reason::user_shutdown);
    }
    const bool drained = wait_until_idle(
        self, intake, exit_code == 0 ? drain_updates_limit : std::chrono::seconds(0));
    self->send_exit(intake, caf::exit_reason::user_shutdown);
    if (!drained && exit_code == 0)
      logs::warn(
          logs::event("serve", "drain_incomplete"),
          "some updates were not handled before shutdown; they are kept in the inbox and handled "
          "after the restart");
    self->send_exit(router, caf::exit_reason::user_shutdown);
    self->send_exit(market, caf::exit_reason::user_shutdown);
    if (!wait_until_idle(self, outbound, drain_outbound_limit))
      logs::warn(logs::event("serve", "outbox_left"),
                 "some messages were not sent before shutdown; they are sent after the restart");
    self->send_exit(persistence, caf::exit_reason::user_shutdown);
    self->send_exit(loader, caf::exit_reason::user_shutdown);
    self->send_exit(outbound, caf::exit_reason::user_shutdown);
    // Admin requests use the actor system: the listener stops before the system does.
    listener.stop();
  }
  client.reset();
  logs::info(logs::event("serve", "stopped"), "stopped");
  return exit_code;
}

}  // namespace lastcall::app
