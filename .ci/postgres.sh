# Sourced by .ci/run: a throwaway PostgreSQL cluster for the library's tests.
# Installs Debian's postgresql when no server is present, starts a cluster in a temporary folder
# (trust authentication, listening only on a unix socket in that folder), exports
# OBC_TEST_POSTGRES_URL for the tests, and stops the cluster and removes the folder on exit.
# CI runs as root and PostgreSQL refuses to run as root, so the cluster runs as the `postgres` user
# (made here if the package did not make it).

start_postgres() {
  if ! ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1; then
    apt-get update -qq
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq postgresql >/dev/null
  fi
  local initdb
  initdb=$(ls -d /usr/lib/postgresql/*/bin/initdb | sort -V | tail -n 1)
  PG_BIN=$(dirname "$initdb")
  PG_DIR=$(mktemp -d /tmp/obc-postgres.XXXXXX)
  PG_AS=()
  if [ "$(id -u)" = 0 ]; then
    id -u postgres >/dev/null 2>&1 || useradd --system --no-create-home --shell /usr/sbin/nologin postgres
    chown postgres "$PG_DIR"
    PG_AS=(runuser -u postgres --)
  fi
  chmod 700 "$PG_DIR"
  "${PG_AS[@]}" "$PG_BIN/initdb" -D "$PG_DIR/data" -U postgres -A trust -E UTF8 --locale=C.UTF-8 \
    --no-sync >"$PG_DIR/initdb.log" 2>&1 || { cat "$PG_DIR/initdb.log"; return 1; }
  "${PG_AS[@]}" "$PG_BIN/pg_ctl" -D "$PG_DIR/data" -l "$PG_DIR/server.log" -w -t 60 start \
    -o "-k $PG_DIR -c listen_addresses='' -c fsync=off -c max_connections=200" >/dev/null \
    || { cat "$PG_DIR/server.log"; return 1; }
  trap stop_postgres EXIT
  export OBC_TEST_POSTGRES_URL="postgresql+psycopg://postgres@/postgres?host=$PG_DIR"
  echo "PostgreSQL $("$PG_BIN/postgres" --version | awk '{print $3}') for the tests at $OBC_TEST_POSTGRES_URL"
}

stop_postgres() {
  if [ -n "${PG_DIR:-}" ] && [ -d "$PG_DIR" ]; then
    "${PG_AS[@]}" "$PG_BIN/pg_ctl" -D "$PG_DIR/data" -m immediate -w stop >/dev/null 2>&1 || true
    rm -rf "$PG_DIR"
  fi
}
