# Throwaway PostgreSQL cluster for the register tests; sourced by .ci/run.
#   pg_cluster_start  -> initdb in a temporary directory (as a non-root user), pg_ctl on a free
#                        loopback port, export SPECTRUM_TEST_PG (a superuser DSN)
#   pg_cluster_stop   -> stop the server and remove the directory
# Installs the Debian `postgresql` package when the server binaries are missing, and PostGIS
# (`postgresql-<major>-postgis-3`, matching the server) when its extension is missing: non-fatal,
# without it the register's PostGIS cases are skipped with the reason (the GiST box fallback runs).
pg_cluster_bin() {
    local d
    for d in /usr/lib/postgresql/*/bin; do
        [ -x "$d/initdb" ] && [ -x "$d/pg_ctl" ] && { echo "$d"; return 0; }
    done
    return 1
}

pg_cluster_postgis() {
    local major
    major=$(basename "$(dirname "$1")")
    [ -f "/usr/share/postgresql/$major/extension/postgis.control" ] && return 0
    echo "PostGIS not found for PostgreSQL $major: installing postgresql-$major-postgis-3" >&2
    DEBIAN_FRONTEND=noninteractive apt-get install -y -q "postgresql-$major-postgis-3" >/dev/null 2>&1 || { apt-get update -q >/dev/null 2>&1 && DEBIAN_FRONTEND=noninteractive apt-get install -y -q "postgresql-$major-postgis-3" >/dev/null 2>&1; } || {
        echo "could not install postgresql-$major-postgis-3: the PostGIS register cases will be skipped" >&2; return 0; }
}

pg_cluster_start() {
    local bin
    if ! bin=$(pg_cluster_bin); then
        echo "PostgreSQL server not found: installing the Debian package postgresql" >&2
        DEBIAN_FRONTEND=noninteractive apt-get install -y -q postgresql >/dev/null || { apt-get update -q >/dev/null && DEBIAN_FRONTEND=noninteractive apt-get install -y -q postgresql >/dev/null; } || {
            echo "could not install postgresql: the PostgreSQL register tests will be skipped" >&2; return 0; }
        bin=$(pg_cluster_bin) || { echo "postgresql installed but initdb not found" >&2; return 0; }
    fi
    pg_cluster_postgis "$bin"
    local run_as=""
    if [ "$(id -u)" = 0 ]; then
        id postgres >/dev/null 2>&1 || useradd --system --no-create-home postgres
        run_as="postgres"
    fi
    PG_CLUSTER_DIR=$(mktemp -d /tmp/spectrum-pg.XXXXXX)
    local port
    port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1]); s.close()')
    [ -n "$run_as" ] && chown -R "$run_as" "$PG_CLUSTER_DIR"
    _pg() { if [ -n "$run_as" ]; then su -s /bin/sh "$run_as" -c "$*"; else sh -c "$*"; fi; }
    _pg "'$bin/initdb' -D '$PG_CLUSTER_DIR/data' -U spectrum -A trust -E UTF8 --locale=C.UTF-8 >'$PG_CLUSTER_DIR/initdb.log' 2>&1" || {
        echo "initdb failed (see $PG_CLUSTER_DIR/initdb.log): PostgreSQL tests will be skipped" >&2; return 0; }
    _pg "'$bin/pg_ctl' -D '$PG_CLUSTER_DIR/data' -l '$PG_CLUSTER_DIR/server.log' -w -o \"-p $port -k '$PG_CLUSTER_DIR' -c listen_addresses=127.0.0.1 -c fsync=off -c max_connections=200\" start >/dev/null" || {
        echo "pg_ctl start failed (see $PG_CLUSTER_DIR/server.log): PostgreSQL tests will be skipped" >&2; return 0; }
    PG_CLUSTER_BIN=$bin PG_CLUSTER_USER=$run_as
    export SPECTRUM_TEST_PG="postgresql://spectrum@127.0.0.1:$port/postgres"
    echo "throwaway PostgreSQL cluster on 127.0.0.1:$port ($PG_CLUSTER_DIR)" >&2
}

pg_cluster_stop() {
    [ -n "${PG_CLUSTER_DIR:-}" ] || return 0
    if [ -n "${PG_CLUSTER_USER:-}" ]; then
        su -s /bin/sh "$PG_CLUSTER_USER" -c "'$PG_CLUSTER_BIN/pg_ctl' -D '$PG_CLUSTER_DIR/data' -m immediate stop" >/dev/null 2>&1
    else
        "$PG_CLUSTER_BIN/pg_ctl" -D "$PG_CLUSTER_DIR/data" -m immediate stop >/dev/null 2>&1
    fi
    rm -rf "$PG_CLUSTER_DIR"
}
