#!/usr/bin/env bash
# The Debian package installs what operators expect: the binary, the systemd unit, the settings file as a
# conffile readable by the service's group only, and depends on the packages of its shared libraries.
# Usage: package_test.sh BUILD_DIR   packages the binary already built in BUILD_DIR with cpack (seconds)
#        LASTCALL_PACKAGE_DEB=FILE package_test.sh   checks FILE instead (e.g. dist/ from scripts/package)
set -uo pipefail
source_dir="$(cd "$(dirname "$0")/../.." && pwd)"
build="${1:-}"

work="$(mktemp -d /tmp/lastcall-package-test.XXXXXX)"
trap 'rm -rf "$work"' EXIT
failures=0
checks=0
check() {  # check DESCRIPTION COMMAND...
  local what="$1"
  shift
  checks=$((checks + 1))
  if ! "$@"; then
    echo "FAILED: $what" >&2
    failures=$((failures + 1))
  fi
}
has_line() { grep -qE -- "$2" <<<"$1"; }

deb="${LASTCALL_PACKAGE_DEB:-}"
if [ -z "$deb" ]; then
  [ -n "$build" ] && [ -f "$build/CPackConfig.cmake" ] || {
    echo "FAILED: no CPackConfig.cmake in '$build'" >&2
    exit 1
  }
  [ -x "$build/app/lastcall" ] || {
    echo "FAILED: $build/app/lastcall is not built" >&2
    exit 1
  }
  if ! (cd "$build" && cpack -G DEB -B "$work/cpack" >"$work/cpack.log" 2>&1); then
    cat "$work/cpack.log" >&2
    echo "FAILED: cpack" >&2
    exit 1
  fi
  deb="$(ls "$work"/cpack/lastcall_*.deb)"
fi
echo "checking $deb"

contents="$(dpkg-deb -c "$deb")"
check "/usr/bin/lastcall is an executable" has_line "$contents" '^-rwxr-xr-x root/root .* \./usr/bin/lastcall$'
check "the systemd unit is installed" has_line "$contents" '^-rw-r--r-- root/root .* \./lib/systemd/system/lastcall\.service$'
check "the settings file is installed unreadable by others" \
  has_line "$contents" '^-rw-r----- root/root .* \./etc/lastcall/lastcall\.conf$'

check "the settings file is a conffile" \
  has_line "$(dpkg-deb -I "$deb" conffiles)" '^/etc/lastcall/lastcall\.conf$'
info="$(dpkg-deb -I "$deb")"
for script in postinst prerm postrm; do
  check "$script is in the package, executable" has_line "$info" "^ +[0-9]+ bytes, +[0-9]+ lines +\* +$script +#!/bin/sh"
done

field() { dpkg-deb -f "$deb" "$1"; }
check "the package is lastcall" test "$(field Package)" = lastcall
if [ -n "$build" ] && [ -f "$build/CMakeCache.txt" ]; then
  version="$(sed -n 's/^CMAKE_PROJECT_VERSION:STATIC=//p' "$build/CMakeCache.txt")"
  check "the version is the project's ($version)" test "$(field Version)" = "$version"
fi
depends="$(field Depends | tr ',' '\n' | sed 's/^ *//')"
for library in libcaf-core 'libpqxx-' libcurl4 libjemalloc2 libspdlog libcpp-httplib libstdc\\+\\+6 libc6 adduser; do
  check "it depends on $library" has_line "$depends" "^$library"
done
check "it recommends postgresql" has_line "$(field Recommends)" '(^|, )postgresql($|,| )'

root="$work/root"
dpkg-deb -x "$deb" "$root"
check "the settings file is packaging/lastcall.conf" cmp -s "$root/etc/lastcall/lastcall.conf" "$source_dir/packaging/lastcall.conf"
dpkg-deb -e "$deb" "$work/control"
for script in postinst prerm postrm; do
  check "$script is valid sh" sh -n "$work/control/$script"
done

unit="$(cat "$root/lib/systemd/system/lastcall.service")"
for directive in 'User=lastcall' 'Restart=on-failure' 'ProtectSystem=strict' 'NoNewPrivileges=yes' 'PrivateTmp=yes' \
  'ProtectHome=yes' 'StateDirectory=lastcall' 'Environment=DATA_DIR=/var/lib/lastcall' \
  'Environment=LASTCALL_CONFIG=/etc/lastcall/lastcall.conf' 'ExecStartPre=/usr/bin/lastcall migrate' \
  'ExecStart=/usr/bin/lastcall serve' 'WantedBy=multi-user.target'; do
  check "the unit says $directive" has_line "$unit" "^$directive\$"
done
verify_unit() {
  # A copy naming the packaged binary, which is not installed here. verify exits 0 on unknown keys and
  # bad values too, only saying so: any output is a failure.
  mkdir -p "$work/unit"
  sed "s#/usr/bin/lastcall#$root/usr/bin/lastcall#g" "$root/lib/systemd/system/lastcall.service" \
    >"$work/unit/lastcall.service"
  local output
  output="$(systemd-analyze verify "$work/unit/lastcall.service" 2>&1)" && [ -z "$output" ] || {
    echo "$output" >&2
    return 1
  }
}
if command -v systemd-analyze >/dev/null; then
  check "systemd-analyze verify accepts the unit" verify_unit
else
  echo "systemd-analyze is not installed: the unit is not verified by systemd"
fi

# The packaged binary runs, and reads the packaged settings file (which sets nothing): it stops on the
# first setting that is required.
check "the packaged binary runs" "$root/usr/bin/lastcall" help 2>/dev/null
migrate_output="$(env -i LASTCALL_CONFIG="$root/etc/lastcall/lastcall.conf" "$root/usr/bin/lastcall" migrate 2>&1)"
migrate_status=$?
check "migrate with the packaged settings asks for DATABASE_URL" \
  test "$migrate_status:$migrate_output" = "2:lastcall: setting DATABASE_URL: is required"

echo "$((checks - failures)) passed, $failures failed"
[ "$failures" -eq 0 ]
