#pragma once
// Message tags shared by the actors (CAF 0.17 atoms: at most 10 characters).

#include <caf/atom.hpp>

namespace lastcall::actors {

using commit_atom = caf::atom_constant<caf::atom("commit")>;
using durable_atom = caf::atom_constant<caf::atom("durable")>;
using flush_atom = caf::atom_constant<caf::atom("flush")>;
using sent_atom = caf::atom_constant<caf::atom("sent")>;
using send_atom = caf::atom_constant<caf::atom("send")>;
using processed_atom = caf::atom_constant<caf::atom("processed")>;
using update_atom = caf::atom_constant<caf::atom("update")>;
using poll_atom = caf::atom_constant<caf::atom("poll")>;
using polled_atom = caf::atom_constant<caf::atom("polled")>;
using done_atom = caf::atom_constant<caf::atom("done")>;
using stop_atom = caf::atom_constant<caf::atom("stop")>;
using tick_atom = caf::atom_constant<caf::atom("tick")>;
using status_atom = caf::atom_constant<caf::atom("status")>;
using load_atom = caf::atom_constant<caf::atom("load")>;
using loaded_atom = caf::atom_constant<caf::atom("loaded")>;
using notify_atom = caf::atom_constant<caf::atom("notify")>;
using owner_atom = caf::atom_constant<caf::atom("owner")>;
using business_atom = caf::atom_constant<caf::atom("business")>;
using register_atom = caf::atom_constant<caf::atom("register")>;
using decide_atom = caf::atom_constant<caf::atom("decide")>;
using pending_atom = caf::atom_constant<caf::atom("pending")>;
using create_atom = caf::atom_constant<caf::atom("create")>;
using offer_atom = caf::atom_constant<caf::atom("offer")>;
using offers_atom = caf::atom_constant<caf::atom("offers")>;
using collect_atom = caf::atom_constant<caf::atom("collect")>;
using listings_atom = caf::atom_constant<caf::atom("listings")>;
using customer_atom = caf::atom_constant<caf::atom("customer")>;
using stats_atom = caf::atom_constant<caf::atom("stats")>;
using changed_atom = caf::atom_constant<caf::atom("changed")>;
using expire_atom = caf::atom_constant<caf::atom("expire")>;
using remind_atom = caf::atom_constant<caf::atom("remind")>;
using idle_atom = caf::atom_constant<caf::atom("idle")>;
using slow_atom = caf::atom_constant<caf::atom("slow")>;
using late_atom = caf::atom_constant<caf::atom("late")>;
using snapshot_atom = caf::atom_constant<caf::atom("snapshot")>;
using start_atom = caf::atom_constant<caf::atom("start")>;
using batch_atom = caf::atom_constant<caf::atom("batch")>;
using report_atom = caf::atom_constant<caf::atom("report")>;
using history_atom = caf::atom_constant<caf::atom("history")>;

}  // namespace lastcall::actors
