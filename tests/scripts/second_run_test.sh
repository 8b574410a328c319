#!/usr/bin/env bash
# A second run in the same checkout must refuse to start a server on the first one's data folder and,
# when it exits, must not stop that server (scripts/lib.sh: pg_start, pg_stop).
set -uo pipefail
source "$(dirname "$0")/../../scripts/lib.sh"

folder="$(mktemp -d /tmp/lastcall-second-run.XXXXXX)"
chmod 755 "$folder"  # the server runs as the postgres user
data="$folder/pg"
fail() { echo "FAILED: $*" >&2; pg_stop; rm -rf "$folder"; exit 1; }

pg_start "$data" || fail "the first run could not start PostgreSQL"
first_pid="$(pg_running_pid "$data")" || fail "no server after pg_start"

# The second run, in a shell of its own as scripts/run would be, including its exit clean-up.
second_output="$(bash -c "source '$LASTCALL_ROOT/scripts/lib.sh'; trap pg_stop EXIT; pg_start '$data'" 2>&1)"
second_status=$?
[ "$second_status" -ne 0 ] || fail "the second pg_start succeeded on a folder in use"
grep -q "already running" <<<"$second_output" || fail "the second run did not say why: $second_output"

still="$(pg_running_pid "$data")" || fail "the second run's clean-up stopped the first run's server"
[ "$still" = "$first_pid" ] || fail "the server changed under the first run"
as_postgres "$PG_BIN/psql" -h "$PG_SOCKET_DIR" -U postgres -d postgres -qtAc "SELECT 1" | grep -q 1 ||
  fail "the first run's server does not answer"

pg_stop
pg_running_pid "$data" >/dev/null && fail "pg_stop did not stop the server it started"
rm -rf "$folder"
echo "1 passed, 0 failed"
