# Start a throwaway PostgreSQL cluster on 127.0.0.1:54329 and export SAMBANDH_TEST_PG_URL.
start_postgres() {
  local bindir
  bindir=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1)
  if [ -z "$bindir" ]; then
    echo "PostgreSQL is not installed; the PostgreSQL tests will be skipped" >&2
    return 0
  fi
  local data=/tmp/sambandh-pg
  rm -rf "$data" && mkdir -p "$data" && chown postgres "$data" 2>/dev/null || true
  local run="su postgres -s /bin/sh -c"
  [ "$(id -u)" = 0 ] || run="sh -c"
  $run "$bindir/initdb -D $data -A trust -U postgres >/dev/null"
  $run "$bindir/pg_ctl -D $data -o '-p 54329 -k /tmp -c listen_addresses=127.0.0.1' -l $data/log -w start >/dev/null"
  $run "$bindir/createdb -h 127.0.0.1 -p 54329 -U postgres sambandh_test"
  export SAMBANDH_TEST_PG_URL="postgresql://postgres@127.0.0.1:54329/sambandh_test"
  echo "PostgreSQL running at $SAMBANDH_TEST_PG_URL"
}
