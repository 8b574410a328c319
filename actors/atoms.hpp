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

}  // namespace lastcall::actors
