#!/usr/bin/env bash
# Source this file to get a reachable PostgreSQL server for the tests.
#
# Uses the server at 127.0.0.1:5432 when it answers; otherwise tries to start the
# machine's Debian cluster; otherwise initialises a private throwaway cluster
# with the Debian binaries on 127.0.0.1:55432. Exports the connection string under
# the name Backstage's TestDatabases reads for that server's major version, and
# POSTMORTEMS_TEST_POSTGRES_ID so that our tests know which id to ask for.

pm_pg_ready() {
  pg_isready -q -h 127.0.0.1 -p "$1" >/dev/null 2>&1
}

pm_pg_start_private() {
  local bindir port datadir
  bindir="$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1)"
  [ -n "$bindir" ] || { echo "[postgres] no PostgreSQL binaries found (apt-get install postgresql)" >&2; return 1; }
  port=55432
  datadir="${TMPDIR:-/tmp}/postmortems-test-pg"
  if ! pm_pg_ready "$port"; then
    rm -rf "$datadir" && mkdir -p "$datadir"
    local run=()
    if [ "$(id -u)" = "0" ]; then
      chown postgres "$datadir" 2>/dev/null || { useradd -r -M postgres && chown postgres "$datadir"; }
      run=(runuser -u postgres --)
    fi
    "${run[@]}" "$bindir/initdb" -D "$datadir" -U postgres -A trust >/dev/null
    "${run[@]}" "$bindir/pg_ctl" -D "$datadir" -l "$datadir/server.log" -w \
      -o "-c listen_addresses=127.0.0.1 -p $port -k $datadir" start >/dev/null
  fi
  PM_PG_PORT="$port"
}

PM_PG_PORT=5432
if ! pm_pg_ready 5432; then
  echo "[postgres] nothing on 127.0.0.1:5432, starting the machine's cluster" >&2
  if command -v pg_ctlcluster >/dev/null 2>&1 && [ -d /etc/postgresql ]; then
    pg_ctlcluster --skip-systemctl-redirect "$(ls /etc/postgresql | head -n 1)" main start >/dev/null 2>&1 || true
  fi
  for _ in 1 2 3 4 5 6 7 8 9 10; do pm_pg_ready 5432 && break; sleep 1; done
  if ! pm_pg_ready 5432; then
    echo "[postgres] starting a private cluster on 127.0.0.1:55432" >&2
    pm_pg_start_private || return 1 2>/dev/null || exit 1
  fi
fi

PM_PG_URL="postgresql://postgres@127.0.0.1:${PM_PG_PORT}"
PM_PG_MAJOR="$(psql "$PM_PG_URL/postgres" -Atc 'show server_version_num' | cut -c1-2)"
export "BACKSTAGE_TEST_DATABASE_POSTGRES${PM_PG_MAJOR}_CONNECTION_STRING=$PM_PG_URL"
export POSTMORTEMS_TEST_POSTGRES_ID="POSTGRES_${PM_PG_MAJOR}"
echo "[postgres] tests use PostgreSQL $PM_PG_MAJOR at $PM_PG_URL" >&2
