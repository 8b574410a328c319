#include "app/metrics_page.hpp"

#include <atomic>
#include <vector>

#include "app/allocator.hpp"
#include "app/market_ownership.hpp"
#include "app/prometheus_text.hpp"

namespace lastcall::app {

namespace {

// One family whose single sample is a counter or gauge of a metrics struct: the families are
// listed as data, in the order the page shows them.
template <typename Metrics>
struct plain_family {
  const char* name;
  const char* type;
  const char* help;
  const std::atomic<uint64_t> Metrics::*value;
};

template <typename Metrics, size_t N>
void write_families(prometheus_text& text, const Metrics& m,
                    const plain_family<Metrics> (&families)[N]) {
  for (const auto& f : families) text.family(f.name, f.type, f.help).sample((m.*f.value).load());
}

using runtime = actors::runtime_metrics;

constexpr plain_family<runtime> update_families[] = {
    {"lastcall_updates_received_total", "counter", "Updates handed to the sessions.",
     &runtime::updates_received},
    {"lastcall_updates_handled_total", "counter",
     "Updates whose effects are durable and whose answers are queued.", &runtime::updates_handled},
    {"lastcall_updates_duplicate_total", "counter",
     "Updates delivered again and recognised, not applied twice.", &runtime::updates_duplicate},
    {"lastcall_updates_unreadable_total", "counter",
     "Updates that could not be decoded: acknowledged, logged, not handled.",
     &runtime::updates_unreadable},
    {"lastcall_updates_flood_dropped_total", "counter",
     "Updates beyond their user's flood limit: acknowledged, not handled.",
     &runtime::updates_flood_dropped},
    {"lastcall_updates_spooled_total", "counter",
     "Poll batches written to the local spool while the database was unreachable.",
     &runtime::updates_spooled},
    {"lastcall_inbox_unhandled", "gauge",
     "Updates in the inbox, handed to their sessions and not yet handled.",
     &runtime::inbox_unhandled},
    {"lastcall_notifications_handled_total", "counter",
     "Notifications rendered by sessions (reservations, reminders, notices).",
     &runtime::notifications_handled},
};

constexpr plain_family<runtime> actor_and_webhook_families[] = {
    {"lastcall_live_sessions", "gauge", "Session actors in memory.", &runtime::live_sessions},
    {"lastcall_live_offers", "gauge", "Offer actors in memory.", &runtime::live_offers},
    {"lastcall_webhook_requests_total", "counter", "Requests to the webhook.",
     &runtime::webhook_requests},
    {"lastcall_webhook_rejected_total", "counter",
     "Webhook requests refused: wrong secret token or an unreadable body.",
     &runtime::webhook_rejected},
};

void runtime_families(prometheus_text& text, const runtime& m) {
  write_families(text, m, update_families);
  const auto& h = m.handler_latency;
  const auto& bounds = actors::latency_histogram::bounds_seconds;
  std::vector<uint64_t> cumulative;
  for (size_t i = 0; i <= bounds.size(); ++i) cumulative.push_back(h.cumulative(i));
  text.histogram("lastcall_update_handling_seconds",
                 "From an update reaching its session to its effects being durable.",
                 std::vector<double>(bounds.begin(), bounds.end()), cumulative, h.sum_seconds());
  write_families(text, m, actor_and_webhook_families);
}

using persistence_metrics = persistence::persistence_metrics;

constexpr plain_family<persistence_metrics> batch_families[] = {
    {"lastcall_persistence_batches_total", "counter", "Group commits.",
     &persistence_metrics::batches},
    {"lastcall_persistence_units_total", "counter", "Units of work committed.",
     &persistence_metrics::units},
    {"lastcall_persistence_rows_total", "counter", "Rows written.", &persistence_metrics::rows},
    {"lastcall_persistence_failed_units_total", "counter", "Units the database rejected.",
     &persistence_metrics::failed_units},
    {"lastcall_persistence_refused_units_total", "counter",
     "Units refused because too many were waiting during an outage.",
     &persistence_metrics::refused_units},
    {"lastcall_persistence_last_batch_units", "gauge", "Units in the last group commit.",
     &persistence_metrics::last_batch_units},
    {"lastcall_persistence_largest_batch_units", "gauge",
     "Units in the largest group commit so far.", &persistence_metrics::largest_batch_units},
};

constexpr plain_family<persistence_metrics> lag_and_outage_families[] = {
    {"lastcall_persistence_pending_units", "gauge",
     "Units accepted and not yet committed (the write-behind lag).",
     &persistence_metrics::pending_units},
    {"lastcall_persistence_outages_total", "counter", "Times the database became unreachable.",
     &persistence_metrics::outages},
};

void persistence_families(prometheus_text& text, const persistence_metrics& m) {
  write_families(text, m, batch_families);
  text.family("lastcall_persistence_last_commit_seconds", "gauge",
              "Duration of the last group commit.")
      .sample(static_cast<double>(m.last_commit_microseconds.load()) / 1e6);
  write_families(text, m, lag_and_outage_families);
  text.family("lastcall_persistence_outage", "gauge", "1 while the database is unreachable.")
      .sample(uint64_t{m.outage.load() ? 1u : 0u});
}

using outbound = telegram::outbound_metrics;

constexpr plain_family<outbound> sending_families[] = {
    {"lastcall_outbound_throttled_total", "counter", "429 answers from the Bot API.",
     &outbound::throttled},
    {"lastcall_outbound_global_pauses_total", "counter", "Times a run of 429s paused all sending.",
     &outbound::global_pauses},
    {"lastcall_outbound_retries_total", "counter", "Attempts queued again.", &outbound::retries},
    {"lastcall_outbound_queued", "gauge", "Calls waiting to be sent.", &outbound::queued},
    {"lastcall_outbound_in_flight", "gauge", "Calls sent and not yet answered.",
     &outbound::in_flight},
    {"lastcall_outbound_blocked_chats", "gauge", "Chats known to have blocked the bot.",
     &outbound::blocked_chats},
};

void outbound_families(prometheus_text& text, const telegram::outbound_metrics& m) {
  text.family("lastcall_outbound_calls_total", "counter",
              "Bot API calls by method and what became of them.");
  for (size_t method = 0; method < telegram::outbound_metrics::method_count; ++method)
    for (size_t result = 0; result < telegram::outbound_metrics::result_count; ++result)
      text.sample(m.calls[method][result].load(),
                  {{"method", telegram::outbound_method_names[method]},
                   {"result", telegram::outbound_result_names[result]}});
  write_families(text, m, sending_families);
}

// What the allocator holds: with passivated sessions and stopped offers it should fall back.
void allocator_families(prometheus_text& text) {
  auto stats = read_allocator_stats();
  if (!stats) return;
  text.family("lastcall_allocated_bytes", "gauge", "Heap bytes in use.")
      .sample(static_cast<uint64_t>(stats->allocated));
  text.family("lastcall_allocator_resident_bytes", "gauge",
              "Bytes of the allocator's pages in memory.")
      .sample(static_cast<uint64_t>(stats->resident));
}

void ownership_families(prometheus_text& text, const market_ownership& ownership) {
  const bool owner = ownership.role() == market_role::owner;
  text.family("lastcall_market_role", "gauge",
              "This node's part in the market: 1 for the role it has (owner or standby).")
      .sample(uint64_t{owner ? 1u : 0u}, {{"role", "owner"}})
      .sample(uint64_t{owner ? 0u : 1u}, {{"role", "standby"}});
  text.family("lastcall_market_epoch", "gauge",
              "The lease epoch this node owns the market under (the last one, as a standby).")
      .sample(static_cast<uint64_t>(ownership.epoch()));
  text.family("lastcall_lease_renewals_total", "counter", "Renewals of the market's lease.")
      .sample(ownership.renewals());
  text.family("lastcall_market_standbys", "gauge",
              "Standby nodes the owner saw at its last renewal.")
      .sample(static_cast<uint64_t>(ownership.standbys()));
}

}  // namespace

std::string render_metrics(const metrics_sources& sources) {
  prometheus_text text;
  if (sources.ownership) ownership_families(text, *sources.ownership);
  if (sources.runtime) runtime_families(text, *sources.runtime);
  if (sources.persistence) persistence_families(text, *sources.persistence);
  if (sources.outbound) outbound_families(text, *sources.outbound);
  allocator_families(text);
  return text.str();
}

}  // namespace lastcall::app
