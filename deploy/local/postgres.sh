#!/usr/bin/env bash
# Private PostgreSQL cluster for the test suite and `make run`, from Debian's
# server package. It never touches the system cluster (/var/lib/postgresql,
# port 5432): own data dir, own port, own socket directory.
#
#   deploy/local/postgres.sh start    install the server if missing, initdb once, start, ensure role/db
#   deploy/local/postgres.sh stop     pg_ctl stop -m fast (fine when not running)
#   deploy/local/postgres.sh status   exit 0 when running, 1 otherwise
#   deploy/local/postgres.sh url      print the SQLAlchemy URL of the `platform` database
#
# Environment (defaults in brackets):
#   PG_PORT [55432]                TCP port on 127.0.0.1
#   PG_DATA_DIR [<repo>/.data/postgres]  a relative path is taken from the current directory
#
# Run as root (CI), the cluster belongs to the `postgres` OS user (initdb refuses
# root); run as another user, it belongs to that user.
set -euo pipefail

SCRIPT_DIR=$(cd -- "$(dirname -- "${BASH_SOURCE[0]}")" && pwd)
REPO_ROOT=$(cd -- "$SCRIPT_DIR/../.." && pwd)

PG_PORT=${PG_PORT:-55432}
APP_USER=platform
APP_PASSWORD=platform
APP_DB=platform
# Superuser created by initdb; reachable only through the private unix socket.
SUPERUSER=postgres

die() {
  echo "error: $*" >&2
  exit 1
}

if [[ -n ${PG_DATA_DIR:-} ]]; then
  DATA_DIR_FROM_ENV=1
  case $PG_DATA_DIR in
    /*) ;;
    *) PG_DATA_DIR=$PWD/$PG_DATA_DIR ;;
  esac
else
  DATA_DIR_FROM_ENV=0
  PG_DATA_DIR=$REPO_ROOT/.data/postgres
fi
PG_DATA_DIR=${PG_DATA_DIR%/}
# Fallback when the `postgres` user cannot reach the repo (e.g. a checkout under /root).
FALLBACK_DATA_DIR=/tmp/platform-postgres-$(printf '%s' "$REPO_ROOT" | sha256sum | cut -c1-12)

# postgres tools resolve their own path from the cwd; the cwd may not be readable
# by the `postgres` user. Paths above are absolute, so leave it.
cd /

is_root() { [[ $(id -u) -eq 0 ]]; }

# Run a command as the cluster's owner.
as_owner() {
  if is_root; then
    runuser -u postgres -- "$@"
  else
    "$@"
  fi
}

# Newest installed server, e.g. /usr/lib/postgresql/15/bin (empty when none).
find_bin_dir() {
  local postgres
  postgres=$(printf '%s\n' /usr/lib/postgresql/*/bin/postgres | grep -v '\*' | sort -V | tail -n 1 || true)
  [[ -n $postgres ]] && dirname "$postgres"
  return 0
}

ensure_server_installed() {
  [[ -n $(find_bin_dir) ]] && return 0
  is_root || die "the PostgreSQL server is not installed; run this script as root or install it: sudo apt-get install postgresql"
  command -v apt-get >/dev/null 2>&1 || die "the PostgreSQL server is not installed and apt-get is not available (Debian/Ubuntu expected)"
  echo "installing Debian's PostgreSQL server (apt-get install postgresql)..."
  # Note: Debian's package also creates the system cluster (15/main on 5432) and may
  # start it; this script does not use it and leaves it alone.
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends postgresql >/dev/null
  [[ -n $(find_bin_dir) ]] || die "apt-get installed postgresql but no /usr/lib/postgresql/*/bin/postgres was found"
}

# Pick the data dir: the postgres user must be able to traverse every parent.
resolve_data_dir() {
  is_root || return 0
  id postgres >/dev/null 2>&1 || die "OS user 'postgres' is missing (it comes with Debian's postgresql package)"
  local parent
  parent=$(dirname "$PG_DATA_DIR")
  mkdir -p "$parent"
  runuser -u postgres -- test -x "$parent" && return 0
  if ((DATA_DIR_FROM_ENV)); then
    die "the 'postgres' OS user cannot reach $parent (PG_DATA_DIR); choose a directory it can traverse"
  fi
  echo "note: the 'postgres' OS user cannot reach $parent; using $FALLBACK_DATA_DIR for the data dir" >&2
  PG_DATA_DIR=$FALLBACK_DATA_DIR
}

# The data dir the cluster uses, without installing or creating anything (stop/status).
existing_data_dir() {
  if [[ -f $PG_DATA_DIR/PG_VERSION ]] || ((DATA_DIR_FROM_ENV)); then
    echo "$PG_DATA_DIR"
  elif [[ -f $FALLBACK_DATA_DIR/PG_VERSION ]]; then
    echo "$FALLBACK_DATA_DIR"
  else
    echo "$PG_DATA_DIR"
  fi
}

# Binaries matching the cluster's major version (a data dir only runs with its own).
bin_dir_for() {
  local data_dir=$1 version
  if [[ -f $data_dir/PG_VERSION ]]; then
    version=$(<"$data_dir/PG_VERSION")
    [[ -x /usr/lib/postgresql/$version/bin/postgres ]] ||
      die "$data_dir was created by PostgreSQL $version, whose server is not installed; install postgresql-$version or delete that directory"
    echo "/usr/lib/postgresql/$version/bin"
  else
    find_bin_dir
  fi
}

# Unix socket next to the data (private, mode 700) unless the path would be too long
# for a socket (~107 bytes): then /tmp, which Debian's tools also accept.
socket_dir_for() {
  local data_dir=$1
  if ((${#data_dir} + 20 <= 100)); then
    echo "$data_dir"
  else
    echo /tmp
  fi
}

is_running() {
  local data_dir=$1 bin_dir=$2
  [[ -f $data_dir/PG_VERSION && -n $bin_dir ]] || return 1
  as_owner "$bin_dir/pg_ctl" status -D "$data_dir" >/dev/null 2>&1
}

init_cluster() {
  local data_dir=$1 bin_dir=$2
  if [[ -d $data_dir && -n $(ls -A "$data_dir") ]]; then
    die "$data_dir exists, is not empty and is not a PostgreSQL data dir; delete it or set PG_DATA_DIR"
  fi
  mkdir -p "$data_dir"
  chmod 700 "$data_dir"
  is_root && chown postgres:postgres "$data_dir"
  local locale=C
  # C.UTF-8 gives lower()/upper()/ILIKE on accented letters (names like "Élodie").
  locale -a 2>/dev/null | grep -qix 'c\.utf-\?8' && locale=C.UTF-8
  echo "creating the PostgreSQL cluster in $data_dir"
  # trust on the unix socket (private dir, owner only), passwords over TCP.
  as_owner "$bin_dir/initdb" -D "$data_dir" -U "$SUPERUSER" --encoding=UTF8 --locale="$locale" \
    --auth-local=trust --auth-host=scram-sha-256 >"$data_dir.initdb.log" 2>&1 || {
    cat "$data_dir.initdb.log" >&2
    die "initdb failed in $data_dir"
  }
  rm -f "$data_dir.initdb.log"
  # Our settings live in platform.conf, rewritten at each start (the port may change).
  echo "include_if_exists = 'platform.conf'" | as_owner tee -a "$data_dir/postgresql.conf" >/dev/null
}

write_settings() {
  local data_dir=$1 socket_dir=$2
  as_owner tee "$data_dir/platform.conf" >/dev/null <<EOF
# GENERATED by deploy/local/postgres.sh at each start.
listen_addresses = '127.0.0.1'
port = $PG_PORT
unix_socket_directories = '$socket_dir'
# Throw-away test cluster: durability traded for speed. A crash of the machine
# (not of postgres) may corrupt it; delete the data dir then. Never in production.
fsync = off
synchronous_commit = off
full_page_writes = off
# 2-core machines and containers with a small /dev/shm: no parallel query workers.
max_parallel_workers_per_gather = 0
max_connections = 200
log_min_messages = warning
EOF
}

# Role and database of the platform; idempotent (also resets the password).
ensure_role_and_db() {
  local bin_dir=$1 socket_dir=$2
  as_owner "$bin_dir/psql" -X -q -v ON_ERROR_STOP=1 -h "$socket_dir" -p "$PG_PORT" \
    -U "$SUPERUSER" -d postgres <<EOF
DO \$\$
BEGIN
  IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = '$APP_USER') THEN
    CREATE ROLE $APP_USER LOGIN CREATEDB PASSWORD '$APP_PASSWORD';
  ELSE
    ALTER ROLE $APP_USER LOGIN CREATEDB PASSWORD '$APP_PASSWORD';
  END IF;
END
\$\$;
-- Dropping a database WITH (FORCE) also ends the autovacuum worker that may be on it, which runs
-- as no role: only a member of pg_signal_backend may (the tests drop their databases so).
GRANT pg_signal_backend TO $APP_USER;
SELECT 'CREATE DATABASE $APP_DB OWNER $APP_USER'
WHERE NOT EXISTS (SELECT FROM pg_database WHERE datname = '$APP_DB')\gexec
EOF
}

url() {
  echo "postgresql+psycopg://$APP_USER:$APP_PASSWORD@127.0.0.1:$PG_PORT/$APP_DB"
}

# Port of a running cluster (line 4 of postmaster.pid).
running_port() {
  sed -n 4p "$1/postmaster.pid" 2>/dev/null || true
}

cmd_start() {
  ensure_server_installed
  resolve_data_dir
  local data_dir=$PG_DATA_DIR bin_dir socket_dir
  bin_dir=$(bin_dir_for "$data_dir")
  socket_dir=$(socket_dir_for "$data_dir")
  [[ -f $data_dir/PG_VERSION ]] || init_cluster "$data_dir" "$bin_dir"

  if is_running "$data_dir" "$bin_dir"; then
    local port
    port=$(running_port "$data_dir")
    [[ $port == "$PG_PORT" ]] ||
      die "the cluster in $data_dir is already running on port $port, not $PG_PORT; stop it first"
    echo "postgres already running in $data_dir"
  else
    # Clear message instead of "could not bind" in the server log.
    if (exec 3<>"/dev/tcp/127.0.0.1/$PG_PORT") 2>/dev/null; then
      die "port 127.0.0.1:$PG_PORT is already in use; stop what listens there or set PG_PORT"
    fi
    write_settings "$data_dir" "$socket_dir"
    # -w: return once the server accepts connections (or fail after 60 s).
    if ! as_owner "$bin_dir/pg_ctl" start -D "$data_dir" -l "$data_dir/server.log" -w -t 60 >/dev/null; then
      tail -n 30 "$data_dir/server.log" >&2 || true
      die "postgres did not start (log: $data_dir/server.log)"
    fi
  fi
  # Over TCP too, the way the application connects.
  "$bin_dir/pg_isready" -q -h 127.0.0.1 -p "$PG_PORT" -t 30 ||
    die "postgres does not accept connections on 127.0.0.1:$PG_PORT"
  ensure_role_and_db "$bin_dir" "$socket_dir"
  echo "postgres ready on 127.0.0.1:$PG_PORT (data in $data_dir)"
  url
}

cmd_stop() {
  local data_dir bin_dir
  data_dir=$(existing_data_dir)
  bin_dir=$(find_bin_dir)
  [[ -f $data_dir/PG_VERSION ]] && bin_dir=$(bin_dir_for "$data_dir")
  if ! is_running "$data_dir" "$bin_dir"; then
    echo "postgres not running (data dir $data_dir)"
    return 0
  fi
  # fast: roll back open transactions and disconnect clients, then a clean shutdown.
  as_owner "$bin_dir/pg_ctl" stop -D "$data_dir" -m fast -w -t 60 >/dev/null
  echo "postgres stopped (data dir $data_dir)"
}

cmd_status() {
  local data_dir bin_dir
  data_dir=$(existing_data_dir)
  bin_dir=$(find_bin_dir)
  [[ -f $data_dir/PG_VERSION ]] && bin_dir=$(bin_dir_for "$data_dir")
  if is_running "$data_dir" "$bin_dir"; then
    echo "postgres running on 127.0.0.1:$(running_port "$data_dir") (data in $data_dir)"
    return 0
  fi
  echo "postgres not running (data dir $data_dir)"
  return 1
}

case ${1:-} in
  start) cmd_start ;;
  stop) cmd_stop ;;
  status) cmd_status ;;
  url) url ;;
  *)
    echo "usage: $0 start|stop|status|url" >&2
    exit 2
    ;;
esac
