#pragma once
// The operators' endpoints on the HTTP listener:
//
//   POST /admin/snapshot   Authorization: Bearer <ADMIN_TOKEN>
//     200, the snapshot's JSON (persistence/snapshot_format.hpp) as the body and its event-log
//     position in X-Lastcall-Event-Seq; 503 with a one-line reason when it could not be taken.
//
// Without a configured ADMIN_TOKEN every admin endpoint answers 404 and says how to switch them
// on: an unprotected snapshot would hand out every user's data. A missing or wrong token gets 401.
// Tokens are compared in constant time and never logged.

#include <functional>
#include <string>

#include "actors/persistence_actor.hpp"
#include "app/owner_handles.hpp"

namespace httplib {
class Server;
}

namespace lastcall::app {

// Takes a snapshot and returns how it went; called on the listener's threads, so it may block.
using snapshot_source = std::function<actors::snapshot_outcome()>;

void install_admin_routes(httplib::Server& http, const std::string& admin_token,
                          snapshot_source take_snapshot);

// A source asking the persistence actor for the snapshot's text. It holds the actor weakly, so
// it never keeps it alive; the actor system must outlive the listener's serving.
snapshot_source persistence_snapshot_source(std::shared_ptr<const owner_handles> owner);

// Whether `header` (an Authorization header's value) is "Bearer <expected>"; constant time in the
// token's contents.
bool bearer_token_matches(const std::string& header, const std::string& expected);

}  // namespace lastcall::app
