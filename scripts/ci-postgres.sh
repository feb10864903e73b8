#!/usr/bin/env bash
# Sourced by .ci/run: make sure a PostgreSQL server answers and export XUNCHA_TEST_DATABASE_URL.
# Uses the server on 127.0.0.1:5432 when one runs; else starts the installed cluster; else
# installs Debian's postgresql and starts a throw-away cluster (trust auth, loopback only).

pg_up() { pg_isready -q -h 127.0.0.1 -p "$1" 2>/dev/null; }

as_root() {
  if [ "$(id -u)" = 0 ]; then "$@"; elif sudo -n true 2>/dev/null; then sudo "$@"; else return 1; fi
}

if [ -n "${XUNCHA_TEST_DATABASE_URL:-}" ]; then
  echo "== PostgreSQL from XUNCHA_TEST_DATABASE_URL =="
  return 0 2>/dev/null || exit 0
fi

xuncha_pg_port=5432
if ! command -v pg_isready >/dev/null 2>&1 || ! pg_up 5432; then
  if ls /etc/postgresql/*/main >/dev/null 2>&1 && command -v pg_ctlcluster >/dev/null 2>&1; then
    as_root pg_ctlcluster --skip-systemctl-redirect "$(ls /etc/postgresql | tail -n 1)" main start || true
  fi
fi
if ! command -v pg_isready >/dev/null 2>&1 || ! pg_up 5432; then
  if [ ! -d /usr/lib/postgresql ]; then
    echo "== installing Debian's postgresql =="
    as_root apt-get update -q
    as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -q postgresql
  fi
  pg_bin=$(ls -d /usr/lib/postgresql/*/bin | sort -V | tail -n 1)
  xuncha_pg_port=54329
  xuncha_pg_dir=$(mktemp -d /tmp/xuncha-pg.XXXXXX)
  chown postgres "$xuncha_pg_dir" 2>/dev/null || true
  run_pg() { if [ "$(id -u)" = 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi; }
  run_pg "$pg_bin/initdb" -D "$xuncha_pg_dir/data" -U postgres --auth=trust -E UTF8 >/dev/null
  run_pg "$pg_bin/pg_ctl" -D "$xuncha_pg_dir/data" -l "$xuncha_pg_dir/log" -w \
    -o "-p $xuncha_pg_port -k $xuncha_pg_dir -c listen_addresses=127.0.0.1" start
  export PATH="$pg_bin:$PATH"
fi
if ! pg_up "$xuncha_pg_port"; then
  echo "PostgreSQL is not reachable on 127.0.0.1:$xuncha_pg_port" >&2
  exit 1
fi
export XUNCHA_TEST_DATABASE_URL="postgres://postgres@127.0.0.1:$xuncha_pg_port/xuncha"
echo "== PostgreSQL at 127.0.0.1:$xuncha_pg_port =="
