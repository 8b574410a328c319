#include "app/metrics_page.hpp"

#include <vector>

#include "app/allocator.hpp"
#include "app/prometheus_text.hpp"

namespace lastcall::app {

namespace {

void runtime_families(prometheus_text& text, const actors::runtime_metrics& m) {
  text.family("lastcall_updates_received_total", "counter", "Updates handed to the sessions.")
      .sample(m.updates_received.load());
  text.family("lastcall_updates_handled_total", "counter",
              "Updates whose effects are durable and whose answers are queued.")
      .sample(m.updates_handled.load());
  text.family("lastcall_updates_duplicate_total", "counter",
              "Updates delivered again and recognised, not applied twice.")
      .sample(m.updates_duplicate.load());
  text.family("lastcall_updates_unreadable_total", "counter",
              "Updates that could not be decoded: acknowledged, logged, not handled.")
      .sample(m.updates_unreadable.load());
  text.family("lastcall_updates_flood_dropped_total", "counter",
              "Updates beyond their user's flood limit: acknowledged, not handled.")
      .sample(m.updates_flood_dropped.load());
  text.family("lastcall_updates_spooled_total", "counter",
              "Poll batches written to the local spool while the database was unreachable.")
      .sample(m.updates_spooled.load());
  text.family("lastcall_inbox_unhandled", "gauge",
              "Updates in the inbox, handed to their sessions and not yet handled.")
      .sample(m.inbox_unhandled.load());
  text.family("lastcall_notifications_handled_total", "counter",
              "Notifications rendered by sessions (reservations, reminders, notices).")
      .sample(m.notifications_handled.load());
  const auto& h = m.handler_latency;
  const auto& bounds = actors::latency_histogram::bounds_seconds;
  std::vector<uint64_t> cumulative;
  for (size_t i = 0; i <= bounds.size(); ++i) cumulative.push_back(h.cumulative(i));
  text.histogram("lastcall_update_handling_seconds",
                 "From an update reaching its session to its effects being durable.",
                 std::vector<double>(bounds.begin(), bounds.end()), cumulative, h.sum_seconds());
  text.family("lastcall_live_sessions", "gauge", "Session actors in memory.")
      .sample(m.live_sessions.load());
  text.family("lastcall_live_offers", "gauge", "Offer actors in memory.")
      .sample(m.live_offers.load());
  text.family("lastcall_webhook_requests_total", "counter", "Requests to the webhook.")
      .sample(m.webhook_requests.load());
  text.family("lastcall_webhook_rejected_total", "counter",
              "Webhook requests refused: wrong secret token or an unreadable body.")
      .sample(m.webhook_rejected.load());
}

void persistence_families(prometheus_text& text, const persistence::persistence_metrics& m) {
  text.family("lastcall_persistence_batches_total", "counter", "Group commits.")
      .sample(m.batches.load());
  text.family("lastcall_persistence_units_total", "counter", "Units of work committed.")
      .sample(m.units.load());
  text.family("lastcall_persistence_rows_total", "counter", "Rows written.").sample(m.rows.load());
  text.family("lastcall_persistence_failed_units_total", "counter", "Units the database rejected.")
      .sample(m.failed_units.load());
  text.family("lastcall_persistence_refused_units_total", "counter",
              "Units refused because too many were waiting during an outage.")
      .sample(m.refused_units.load());
  text.family("lastcall_persistence_last_batch_units", "gauge", "Units in the last group commit.")
      .sample(m.last_batch_units.load());
  text.family("lastcall_persistence_largest_batch_units", "gauge",
              "Units in the largest group commit so far.")
      .sample(m.largest_batch_units.load());
  text.family("lastcall_persistence_last_commit_seconds", "gauge",
              "Duration of the last group commit.")
      .sample(static_cast<double>(m.last_commit_microseconds.load()) / 1e6);
  text.family("lastcall_persistence_pending_units", "gauge",
              "Units accepted and not yet committed (the write-behind lag).")
      .sample(m.pending_units.load());
  text.family("lastcall_persistence_outages_total", "counter",
              "Times the database became unreachable.")
      .sample(m.outages.load());
  text.family("lastcall_persistence_outage", "gauge", "1 while the database is unreachable.")
      .sample(uint64_t{m.outage.load() ? 1u : 0u});
}

void outbound_families(prometheus_text& text, const telegram::outbound_metrics& m) {
  text.family("lastcall_outbound_calls_total", "counter",
              "Bot API calls by method and what became of them.");
  for (size_t method = 0; method < telegram::outbound_metrics::method_count; ++method)
    for (size_t result = 0; result < telegram::outbound_metrics::result_count; ++result)
      text.sample(m.calls[method][result].load(),
                  {{"method", telegram::outbound_method_names[method]},
                   {"result", telegram::outbound_result_names[result]}});
  text.family("lastcall_outbound_throttled_total", "counter", "429 answers from the Bot API.")
      .sample(m.throttled.load());
  text.family("lastcall_outbound_global_pauses_total", "counter",
              "Times a run of 429s paused all sending.")
      .sample(m.global_pauses.load());
  text.family("lastcall_outbound_retries_total", "counter", "Attempts queued again.")
      .sample(m.retries.load());
  text.family("lastcall_outbound_queued", "gauge", "Calls waiting to be sent.")
      .sample(m.queued.load());
  text.family("lastcall_outbound_in_flight", "gauge", "Calls sent and not yet answered.")
      .sample(m.in_flight.load());
  text.family("lastcall_outbound_blocked_chats", "gauge", "Chats known to have blocked the bot.")
      .sample(m.blocked_chats.load());
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

}  // namespace

std::string render_metrics(const metrics_sources& sources) {
  prometheus_text text;
  if (sources.runtime) runtime_families(text, *sources.runtime);
  if (sources.persistence) persistence_families(text, *sources.persistence);
  if (sources.outbound) outbound_families(text, *sources.outbound);
  allocator_families(text);
  return text.str();
}

}  // namespace lastcall::app
