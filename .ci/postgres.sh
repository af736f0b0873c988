# Start a throwaway PostgreSQL cluster on a free loopback port and export SAMBANDH_TEST_PG_URL.
# Its data folder is new each time, so a cluster someone else runs on this machine is never touched.
start_postgres() {
  local bindir
  bindir=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1)
  if [ -z "$bindir" ]; then
    echo "PostgreSQL is not installed; the PostgreSQL tests will be skipped" >&2
    return 0
  fi
  local data port run
  data=$(mktemp -d /tmp/sambandh-pg.XXXXXX)
  port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1]); s.close()')
  run="sh -c"
  if [ "$(id -u)" = 0 ]; then
    chown postgres "$data"
    run="su postgres -s /bin/sh -c"
  fi
  $run "$bindir/initdb -D $data -A trust -U postgres >/dev/null"
  $run "$bindir/pg_ctl -D $data -o '-p $port -k $data -c listen_addresses=127.0.0.1' -l $data/log -w start >/dev/null"
  $run "$bindir/createdb -h 127.0.0.1 -p $port -U postgres sambandh_test"
  export SAMBANDH_TEST_PG_URL="postgresql://postgres@127.0.0.1:$port/sambandh_test"
  export SAMBANDH_TEST_PG_DATA="$data"
  echo "PostgreSQL running at $SAMBANDH_TEST_PG_URL"
}

stop_postgres() {
  local bindir
  bindir=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1)
  [ -n "${SAMBANDH_TEST_PG_DATA:-}" ] && [ -n "$bindir" ] || return 0
  if [ "$(id -u)" = 0 ]; then
    su postgres -s /bin/sh -c "$bindir/pg_ctl -D $SAMBANDH_TEST_PG_DATA -m fast stop >/dev/null" || true
  else
    "$bindir/pg_ctl" -D "$SAMBANDH_TEST_PG_DATA" -m fast stop >/dev/null || true
  fi
}
