# Shared set-up for scripts/run and scripts/test: Debian packages, the build, and a private PostgreSQL.
# Sourced, not executed.

LASTCALL_ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
LASTCALL_BUILD="${LASTCALL_BUILD:-$LASTCALL_ROOT/build}"
PG_BIN="${PG_BIN:-/usr/lib/postgresql/15/bin}"

LASTCALL_PACKAGES=(
  build-essential cmake pkg-config
  libcaf-dev libcurl4-openssl-dev libpqxx-dev nlohmann-json3-dev libspdlog-dev catch2
  libcpp-httplib-dev libjemalloc-dev libssl-dev postgresql-15 curl
  dpkg-dev file # the Debian package: cpack's dependency list comes from dpkg-shlibdeps, which needs file
  clang
)
# The browser test of the sandbox chat page: Debian's chromium (with emoji, which the bot's buttons use),
# driven by playwright-core from npm (tests/browser).
LASTCALL_BROWSER_TEST_PACKAGES=(chromium fonts-noto-color-emoji)
# The tests' failover cluster (scripts/pg-ha-cluster: Patroni over etcd) and the load balancer in front of
# webhook nodes (config/haproxy-webhook.cfg).
LASTCALL_HA_TEST_PACKAGES=(patroni etcd-server python3-etcd haproxy)

log() { printf '[lastcall] %s\n' "$*" >&2; }

# Installs only what is missing, so a prepared machine starts at once.
# ensure_packages [--no-browser-test]: without the flag also what the browser and failover tests need.
ensure_packages() {
  local browser_test=true
  [ "${1:-}" = "--no-browser-test" ] && browser_test=false
  local wanted=("${LASTCALL_PACKAGES[@]}")
  $browser_test && wanted+=("${LASTCALL_BROWSER_TEST_PACKAGES[@]}" "${LASTCALL_HA_TEST_PACKAGES[@]}")
  local missing=()
  local pkg
  for pkg in "${wanted[@]}"; do
    dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q "install ok installed" || missing+=("$pkg")
  done
  if $browser_test; then
    # Node may come from elsewhere than Debian (with npm inside): install Debian's only when it is absent.
    command -v node >/dev/null 2>&1 || missing+=(nodejs)
    command -v npm >/dev/null 2>&1 || missing+=(npm)
  fi
  if ((${#missing[@]})); then
    log "installing ${missing[*]}"
    local sudo=""
    [ "$(id -u)" = 0 ] || sudo="sudo"
    $sudo apt-get update -qq
    DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
  fi
  if $browser_test; then ensure_browser_test_modules; fi
}

# What scripts/pg-ha-cluster runs, for a caller that did not go through scripts/test.
ensure_ha_packages() {
  local missing=() pkg
  for pkg in "${LASTCALL_HA_TEST_PACKAGES[@]}"; do
    dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q "install ok installed" || missing+=("$pkg")
  done
  ((${#missing[@]})) || return 0
  log "installing ${missing[*]}"
  local sudo=""
  [ "$(id -u)" = 0 ] || sudo="sudo"
  $sudo apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
}

# npm packages of the browser test, exactly as package-lock.json pins them; again only when they changed.
ensure_browser_test_modules() {
  local dir="$LASTCALL_ROOT/tests/browser"
  [ -f "$dir/package-lock.json" ] || return 0
  if [ ! -f "$dir/node_modules/.package-lock.json" ] || [ "$dir/package-lock.json" -nt "$dir/node_modules/.package-lock.json" ]; then
    log "installing the browser test's npm packages"
    (cd "$dir" && npm ci --no-audit --no-fund --loglevel=error) >&2
  fi
}

build_project() {
  log "building in $LASTCALL_BUILD"
  cmake -S "$LASTCALL_ROOT" -B "$LASTCALL_BUILD" -DCMAKE_BUILD_TYPE="${BUILD_TYPE:-Release}" >/dev/null
  cmake --build "$LASTCALL_BUILD" -j"$(nproc)" -- --no-print-directory
}

# Runs a PostgreSQL binary as the postgres user: the server refuses to run as root.
as_postgres() {
  if [ "$(id -u)" = 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi
}

# The pid of the server running on DATA_DIR, if one is: its postmaster.pid names a live process.
pg_running_pid() {
  local pid_file="$1/postmaster.pid" pid
  [ -f "$pid_file" ] || return 1
  pid="$(head -n 1 "$pid_file" 2>/dev/null)"
  [ -n "$pid" ] && [ -d "/proc/$pid" ] || return 1
  printf '%s\n' "$pid"
}

# pg_start DATA_DIR: starts a private server on a Unix socket only (no TCP port to collide with) and exports
# PG_SOCKET_DIR, PG_DATA_DIR and DATABASE_URL for the database "lastcall". A server already running on
# DATA_DIR belongs to another run: pg_start refuses, and pg_stop then stops nothing.
pg_start() {
  local running
  if running="$(pg_running_pid "$1")"; then
    log "PostgreSQL is already running on $1 (pid $running): another run of lastcall uses it."
    log "Stop that one first (Ctrl-C in its terminal), or run from another checkout."
    return 1
  fi
  PG_DATA_DIR="$1"
  PG_SOCKET_DIR="$(mktemp -d /tmp/lastcall-pg.XXXXXX)"
  mkdir -p "$(dirname "$PG_DATA_DIR")"
  if [ "$(id -u)" = 0 ]; then chown postgres "$PG_SOCKET_DIR"; fi
  if [ ! -s "$PG_DATA_DIR/PG_VERSION" ]; then
    mkdir -p "$PG_DATA_DIR"
    if [ "$(id -u)" = 0 ]; then chown postgres "$PG_DATA_DIR"; fi
    as_postgres "$PG_BIN/initdb" -D "$PG_DATA_DIR" -U postgres --auth=trust -E UTF8 >/dev/null
  fi
  if ! as_postgres "$PG_BIN/pg_ctl" -D "$PG_DATA_DIR" -l "$PG_DATA_DIR/server.log" -w -t 60 start \
    -o "-c listen_addresses='' -c unix_socket_directories='$PG_SOCKET_DIR' -c max_connections=200 -c fsync=on" >/dev/null; then
    log "PostgreSQL did not start; its log: $PG_DATA_DIR/server.log"
    rm -rf "$PG_SOCKET_DIR"
    unset PG_DATA_DIR PG_SOCKET_DIR
    return 1
  fi
  PG_STARTED_HERE=true
  export PG_DATA_DIR PG_SOCKET_DIR
  export PG_ADMIN_URL="postgresql:///postgres?host=$PG_SOCKET_DIR&user=postgres"
  export DATABASE_URL="postgresql:///lastcall?host=$PG_SOCKET_DIR&user=postgres"
  as_postgres "$PG_BIN/psql" -h "$PG_SOCKET_DIR" -U postgres -d postgres -qtAc \
    "SELECT 1 FROM pg_database WHERE datname='lastcall'" | grep -q 1 ||
    as_postgres "$PG_BIN/psql" -h "$PG_SOCKET_DIR" -U postgres -d postgres -qc "CREATE DATABASE lastcall" >/dev/null
  log "PostgreSQL is up (socket $PG_SOCKET_DIR)"
}

# Stops the server pg_start started in this shell, and no other.
pg_stop() {
  [ "${PG_STARTED_HERE:-false}" = true ] && [ -n "${PG_DATA_DIR:-}" ] || return 0
  PG_STARTED_HERE=false
  as_postgres "$PG_BIN/pg_ctl" -D "$PG_DATA_DIR" -m fast -w stop >/dev/null 2>&1 || true
  [ -n "${PG_SOCKET_DIR:-}" ] && rm -rf "$PG_SOCKET_DIR"
}
