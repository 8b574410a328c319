#include "app/serve_command.hpp"

#include <signal.h>
#include <unistd.h>

#include <chrono>
#include <csignal>
#include <optional>
#include <random>
#include <thread>

#include <caf/all.hpp>

#include "actors/history_reader.hpp"
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
#include "app/market_ownership.hpp"
#include "app/ops_routes.hpp"
#include "app/owner_handles.hpp"
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

// Sent to the process by itself when the lease is lost, so the thread waiting for signals ends
// the owner's term.
constexpr int lease_lost_signal = SIGUSR2;

int wait_for_signal(const sigset_t& signals) {
  int signal = 0;
  sigwait(&signals, &signal);
  return signal;
}

// What one term as the market's owner needs from the node, which outlives it.
struct node {
  std::shared_ptr<const config::settings> settings;
  sigset_t signals;
  std::shared_ptr<market_ownership> ownership;
  std::shared_ptr<owner_handles> handles;
  std::shared_ptr<actors::runtime_metrics> runtime;
  std::shared_ptr<persistence::persistence_metrics> persistence_counters;
  std::shared_ptr<telegram::outbound_metrics> outbound_counters;
  int64_t bot_id = 0;
  std::string webhook_secret;
  bool webhook_mode = false;
  readiness* ready = nullptr;
  std::unique_ptr<http_listener> http;  // while serving HTTP (HTTP_PORT set)
};

// The HTTP listener, in either role: /healthz, /metrics, the admin routes and the webhook. False
// when it cannot listen.
bool open_http(node& n) {
  const auto& settings = n.settings;
  if (settings->http_port == 0) return true;
  n.http = std::make_unique<http_listener>();
  auto& server = n.http->server();
  install_ops_routes(
      server, *n.ready,
      metrics_sources{n.runtime, n.persistence_counters, n.outbound_counters, n.ownership});
  install_admin_routes(server, settings->admin_token, persistence_snapshot_source(n.handles));
  if (n.webhook_mode)
    install_webhook_route(
        server, webhook_route_options{webhook_path(settings->webhook_url), n.webhook_secret},
        n.handles, n.runtime);
  try {
    auto port = n.http->start(settings->http_host, settings->http_port);
    logs::info(logs::event("serve", "http_listening"), "http listener on {}:{}",
               settings->http_host, port);
    return true;
  } catch (const std::exception& e) {
    logs::error(logs::event("serve", "start_failed"), "cannot start: {}", e.what());
    return false;
  }
}

// Admin requests use the actor system: the listener stops before the system does, and opens
// again once the node stands by.
void close_http(node& n) {
  if (n.http) n.http->stop();
  n.http.reset();
}

enum class term_end { stopped, lost, failed };

// Tells Telegram how to reach this node: polling (after deleteWebhook) or the webhook, and the
// command lists. Only the owner does, so a standby never undoes what the owner set.
void claim_bot(telegram::bot_api_client& client, bool webhook_mode) {
  if (!webhook_mode) {
    // getUpdates is refused while a webhook is set.
    auto dw = telegram::delete_webhook();
    auto result = client.call_blocking(dw.method, dw.params, 10'000);
    if (!result.ok()) throw std::runtime_error("deleteWebhook failed: " + result.description);
  }
  register_commands(client);
}

// Loads the market, runs it until a signal or until the lease is lost, and takes it down: a
// clean stop drains first; a lost lease stops at once, as whatever is left is the new owner's.
term_end serve_as_owner(node& n, int64_t epoch) {
  const auto& settings = n.settings;
  persistence::stored_state stored;
  try {
    auto started = std::chrono::steady_clock::now();
    auto connection = persistence::connect(settings->database_url);
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
    return term_end::failed;
  }

  // Every call goes out only while the lease says this node may speak for the market.
  std::shared_ptr<telegram::bot_api_client> client;
  try {
    telegram::bot_api_client::options bot_api;
    bot_api.base_url = settings->telegram_api_url;
    bot_api.token = settings->bot_token;
    bot_api.pipeline_depth = settings->bot_api_pipeline_depth;
    bot_api.may_send = [ownership = n.ownership] { return ownership->may_act(); };
    client = std::make_shared<telegram::bot_api_client>(bot_api);
    claim_bot(*client, n.webhook_mode);
  } catch (const std::exception& e) {
    logs::error(logs::event("serve", "start_failed"), "cannot start: {}", e.what());
    return term_end::failed;
  }

  term_end end = term_end::stopped;
  caf::actor_system_config cfg;
  unsigned threads = settings->worker_threads > 0
                         ? static_cast<unsigned>(settings->worker_threads)
                         : std::max(1u, std::thread::hardware_concurrency());
  cfg.set("scheduler.max-threads", threads);
  cfg.set("scheduler.policy", caf::atom_from_string(settings->scheduler_policy));
  {
    caf::actor_system system{cfg};

    auto outbound = actors::spawn_outbound(
        system, client,
        actors::outbound_options_from(*settings, std::move(stored.blocked_user_ids)),
        n.outbound_counters);

    // Updates come from long polling or from the webhook; either way they go through the intake
    // (the inbox), which learns from the persistence actor which ones were handled.
    actors::intake_options intake_options;
    intake_options.stored_offset = stored.update_offset;
    intake_options.durable_update_ids = std::move(stored.processed_update_ids);
    intake_options.inbox = std::move(stored.inbox);
    // Telegram re-sends a webhook update it had no 200 for during up to a day; a poll's offset
    // says by itself what is done.
    intake_options.retention_seconds =
        n.webhook_mode ? domain::intake_window::default_retention_seconds : 0;
    intake_options.metrics = n.runtime;
    intake_options.database = n.persistence_counters;
    intake_options.not_confirmed_notice =
        std::chrono::seconds(settings->not_confirmed_notice_seconds);
    intake_options.spool = std::make_shared<persistence::intake_spool>(
        persistence::intake_spool_path(settings->data_dir, n.bot_id, settings->database_url));
    intake_options.spooled = intake_options.spool->read_all();
    intake_options.may_spool = [ownership = n.ownership] { return ownership->rides_out_outages(); };
    auto intake = actors::spawn_intake(system, std::move(intake_options));
    actors::poller_actor poller;
    if (!n.webhook_mode) {
      actors::poller_options options;
      options.timeout_seconds = settings->poll_timeout_seconds;
      options.stored_offset = stored.update_offset;
      options.metrics = n.runtime;
      poller = actors::spawn_poller(system, client, std::move(options));
    }

    actors::persistence_options persist_options;
    persist_options.database_url = settings->database_url;
    persist_options.batch_max_units = static_cast<size_t>(settings->persistence_batch_max);
    persist_options.metrics = n.persistence_counters.get();
    persist_options.lease_epoch = epoch;
    persist_options.fenced_off = [ownership = n.ownership] { ownership->lost(); };
    auto persistence = actors::spawn_persistence(system, persist_options, outbound, intake);
    caf::anon_send(outbound, actors::sent_sink{persistence});

    auto loader = actors::spawn_user_loader(system, settings->database_url);
    auto history = actors::spawn_history_reader(system, settings->database_url);
    actors::market_dependencies market_deps{settings,
                                            persistence,
                                            std::move(stored.businesses),
                                            std::move(stored.offers),
                                            std::move(stored.reservations),
                                            stored.max_business_id,
                                            stored.max_offer_id,
                                            stored.max_reservation_id,
                                            n.runtime};
    auto market = actors::spawn_market(system, std::move(market_deps));
    actors::router_dependencies deps{settings,
                                     persistence,
                                     loader,
                                     market,
                                     sessions_with_drafts(std::move(stored.users_with_session)),
                                     n.runtime,
                                     outbound,
                                     n.persistence_counters,
                                     std::move(stored.known_user_ids),
                                     history};
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

    caf::anon_send(intake, router, persistence);
    n.handles->set(intake, persistence);
    if (n.webhook_mode) {
      auto sw = telegram::set_webhook(settings->webhook_url, n.webhook_secret, update_kinds(),
                                      webhook_connections);
      auto result = client->call_blocking(sw.method, sw.params, 10'000);
      if (!result.ok()) {
        logs::error(logs::event("serve", "start_failed"), "cannot start: setWebhook failed: {}",
                    result.description);
        end = term_end::failed;
      }
    } else {
      caf::anon_send(poller, intake);
    }

    // A failed start goes through the same shutdown: the actor system waits for every actor.
    if (end != term_end::failed) {
      logs::info(logs::event("serve", "serving"), "serving");
      int signal = wait_for_signal(n.signals);
      if (signal == lease_lost_signal) {
        end = term_end::lost;
      } else {
        logs::info(logs::event("serve", "draining"), "signal {} received: draining", signal);
      }
    }
    // A node that lost the lease lets its work go at once: the new owner redoes it from the inbox
    // and the outbox, and every call this node would still make is held back anyway.
    const bool drain = end == term_end::stopped;
    n.handles->clear();

    caf::scoped_actor self{system};
    // No new updates; the ones taken in are handled first (what is not, is after the restart).
    if (!n.webhook_mode) {
      caf::anon_send(poller, actors::stop_atom::value);
      self->send_exit(poller, caf::exit_reason::user_shutdown);
    }
    const bool drained =
        wait_until_idle(self, intake, drain ? drain_updates_limit : std::chrono::seconds(0));
    self->send_exit(intake, caf::exit_reason::user_shutdown);
    if (!drained && drain)
      logs::warn(
          logs::event("serve", "drain_incomplete"),
          "some updates were not handled before shutdown; they are kept in the inbox and handled "
          "after the restart");
    self->send_exit(router, caf::exit_reason::user_shutdown);
    self->send_exit(market, caf::exit_reason::user_shutdown);
    if (drain && !wait_until_idle(self, outbound, drain_outbound_limit))
      logs::warn(logs::event("serve", "outbox_left"),
                 "some messages were not sent before shutdown; they are sent after the restart");
    self->send_exit(persistence, caf::exit_reason::user_shutdown);
    self->send_exit(loader, caf::exit_reason::user_shutdown);
    self->send_exit(history, caf::exit_reason::user_shutdown);
    self->send_exit(outbound, caf::exit_reason::user_shutdown);
    close_http(n);
  }
  return end;
}

// Waits as a standby until this node takes the lease (its epoch) or a signal says stop (none).
std::optional<int64_t> stand_by(const node& n) {
  bool announced = false;
  while (true) {
    if (auto epoch = n.ownership->try_to_take()) return epoch;
    if (!announced) {
      logs::info(logs::event("serve", "standby"),
                 "another node owns the market: standing by, ready to take over");
      announced = true;
    }
    const auto wait = n.ownership->standby_poll();
    timespec pause{static_cast<time_t>(wait.count() / 1000),
                   static_cast<long>(wait.count() % 1000) * 1'000'000};
    const int signal = sigtimedwait(&n.signals, nullptr, &pause);
    // A late notice of a lost lease means nothing to a standby.
    if (signal > 0 && signal != lease_lost_signal) return std::nullopt;
  }
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
  node n;
  n.settings = std::make_shared<const config::settings>(std::move(loaded));
  const auto& settings = n.settings;
  logs::setup_logging(settings->log_level, settings->log_format);
  try {
    logs::set_user_reference_key(
        logs::user_reference_key(settings->log_user_key, settings->data_dir));
  } catch (const std::exception& e) {
    logs::error(logs::event("serve", "start_failed"), "cannot start: {}", e.what());
    return 1;
  }

  // Every thread started from here on inherits the mask, so only sigwait below sees these signals.
  sigemptyset(&n.signals);
  sigaddset(&n.signals, SIGINT);
  sigaddset(&n.signals, SIGTERM);
  sigaddset(&n.signals, lease_lost_signal);
  pthread_sigmask(SIG_BLOCK, &n.signals, nullptr);

  try {
    auto connection = persistence::connect(settings->database_url);
    persistence::migrate(*connection);
  } catch (const std::exception& e) {
    logs::error(logs::event("serve", "start_failed"), "cannot start: the database failed: {}",
                e.what());
    return 1;
  }

  n.webhook_mode = !settings->webhook_url.empty();
  n.webhook_secret = settings->webhook_secret.empty() ? random_secret() : settings->webhook_secret;
  readiness ready(settings->database_url);
  n.runtime = std::make_shared<actors::runtime_metrics>();
  n.persistence_counters = std::make_shared<persistence::persistence_metrics>();
  n.outbound_counters = std::make_shared<telegram::outbound_metrics>();
  n.handles = std::make_shared<owner_handles>();
  auto ownership = std::make_shared<market_ownership>(market_ownership::options{
      settings->database_url,
      settings->node_name.empty() ? default_node_name() : settings->node_name,
      std::chrono::milliseconds(settings->lease_milliseconds)});
  n.ownership = ownership;

  // Who the bot is, asked by every node at start: a wrong token shows at once, standby or not.
  try {
    telegram::bot_api_client::options bot_api;
    bot_api.base_url = settings->telegram_api_url;
    bot_api.token = settings->bot_token;
    telegram::bot_api_client client(bot_api);
    auto me = identify_bot(client, 30'000);
    n.bot_id = me.id;
    logs::info(logs::event("serve", "starting"), "bot @{} (id {}) starting with {} as node {}",
               me.username, me.id, n.webhook_mode ? "a webhook" : "long polling",
               ownership->holder());
    flows::default_dispatcher().set_bot_username(me.username);
    ready.bot_api_answered();
  } catch (const std::exception& e) {
    logs::error(logs::event("serve", "start_failed"), "cannot start: {}", e.what());
    return 1;
  }

  n.ready = &ready;
  int exit_code = 0;
  while (true) {
    if (!n.http && !open_http(n)) {
      exit_code = 1;
      break;
    }
    const auto epoch = stand_by(n);
    if (!epoch) {
      ownership->forget_standby();
      break;
    }
    ownership->keep([] { ::kill(::getpid(), lease_lost_signal); });
    const auto end = serve_as_owner(n, *epoch);
    ownership->release();
    if (end == term_end::failed) exit_code = 1;
    if (end != term_end::lost) break;
    logs::info(logs::event("serve", "stepped_down"),
               "this node stopped acting for the market and stands by again");
  }
  close_http(n);
  logs::info(logs::event("serve", "stopped"), "stopped");
  return exit_code;
}

}  // namespace lastcall::app
