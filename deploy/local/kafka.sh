#!/usr/bin/env bash
# Local single-node Apache Kafka broker (KRaft combined mode) for `make run` and
# the tests, run straight from the official jars on Maven Central: no Docker, no
# tarball download.
#
#   deploy/local/kafka.sh fetch    copy the pinned jars into .cache/kafka/<version>/libs
#   deploy/local/kafka.sh start    fetch if needed, format storage once, start, wait until ready
#
# Clients authenticate with SASL/SCRAM-SHA-512 and the StandardAuthorizer refuses whatever no ACL
# allows. The super user `admin` gets a random password at first start, in
# <data dir>/credentials/admin (mode 0600; .data is git-ignored); `python -m services.core.broker
# ensure-topics --credentials <data dir>/credentials` adds one principal per service and its ACLs.
# A data dir formatted without that file (a broker of before SASL, or the file deleted) is
# formatted again, losing its topics and consumer offsets (local data only).
#   deploy/local/kafka.sh stop     SIGTERM (controlled shutdown), SIGKILL after 30 s
#   deploy/local/kafka.sh status   exit 0 when running, 1 otherwise
#
# Environment (defaults in brackets); a second broker just needs other values:
#   KAFKA_PORT [9092]              client listener on 127.0.0.1 (SASL_PLAINTEXT, SCRAM-SHA-512)
#   KAFKA_CONTROLLER_PORT [9093]   KRaft controller listener on 127.0.0.1
#   KAFKA_DATA_DIR [<repo>/.data/kafka]  config, logs, pid file and topic data;
#                                  a relative path is taken from the current directory
#   KAFKA_START_TIMEOUT [60]       seconds `start` waits for the broker
#   KAFKA_HEAP_OPTS [-Xms256m -Xmx512m]
#
# e.g. a test broker beside the dev one:
#   KAFKA_PORT=19092 KAFKA_CONTROLLER_PORT=19093 KAFKA_DATA_DIR=.data/test-kafka deploy/local/kafka.sh start
set -euo pipefail

# Keep in sync with deploy/local/kafka/pom.xml and docker-compose.yml.
KAFKA_VERSION=4.1.1

SCRIPT_DIR=$(cd -- "$(dirname -- "${BASH_SOURCE[0]}")" && pwd)
REPO_ROOT=$(cd -- "$SCRIPT_DIR/../.." && pwd)
CONF_DIR=$SCRIPT_DIR/kafka
CACHE_DIR=$REPO_ROOT/.cache/kafka/$KAFKA_VERSION
LIBS_DIR=$CACHE_DIR/libs
# Holds the sha256 of pom.xml: the libs folder is complete for exactly that POM.
FETCH_MARKER=$CACHE_DIR/.fetched

KAFKA_PORT=${KAFKA_PORT:-9092}
KAFKA_CONTROLLER_PORT=${KAFKA_CONTROLLER_PORT:-9093}
KAFKA_DATA_DIR=${KAFKA_DATA_DIR:-$REPO_ROOT/.data/kafka}
case $KAFKA_DATA_DIR in
  /*) ;;
  *) KAFKA_DATA_DIR=$PWD/$KAFKA_DATA_DIR ;;
esac
KAFKA_DATA_DIR=${KAFKA_DATA_DIR%/}
KAFKA_START_TIMEOUT=${KAFKA_START_TIMEOUT:-60}
KAFKA_HEAP_OPTS=${KAFKA_HEAP_OPTS:--Xms256m -Xmx512m}

CONFIG_FILE=$KAFKA_DATA_DIR/server.properties
PID_FILE=$KAFKA_DATA_DIR/kafka.pid
LOG_FILE=$KAFKA_DATA_DIR/server.log   # written by log4j2 (kafka/log4j2.properties)
OUT_FILE=$KAFKA_DATA_DIR/kafka.out    # JVM stdout/stderr: crashes before log4j is up
TOPIC_DIR=$KAFKA_DATA_DIR/logs        # Kafka's log.dirs (topic data + KRaft metadata)
CREDENTIALS_DIR=$KAFKA_DATA_DIR/credentials  # one file per principal, holding its password
ADMIN_CREDENTIAL=$CREDENTIALS_DIR/admin

# Passwords, the config that holds the admin's and topic data (personal data) are for their owner only.
umask 077

die() {
  echo "error: $*" >&2
  exit 1
}

require_java() {
  command -v java >/dev/null 2>&1 ||
    die "Java (17+) is required to run the local Kafka broker; install a JDK (apt-get install openjdk-17-jre-headless)"
  # `java -version` prints e.g. openjdk version "17.0.15" (or "1.8.0_392" for Java 8).
  local version major
  version=$(java -version 2>&1 | awk -F'"' '/version/ { print $2; exit }')
  major=${version%%.*}
  [[ $major == 1 ]] && major=$(echo "$version" | cut -d. -f2)
  [[ $major =~ ^[0-9]+$ && $major -ge 17 ]] ||
    die "Java 17+ is required to run Kafka $KAFKA_VERSION, found '${version:-unknown}'; install a JDK (apt-get install openjdk-17-jre-headless)"
}

require_maven() {
  command -v mvn >/dev/null 2>&1 ||
    die "Maven is required to fetch the Kafka $KAFKA_VERSION jars; install it (apt-get install maven)"
}

fetched() {
  [[ -f $FETCH_MARKER && -d $LIBS_DIR ]] &&
    [[ $(<"$FETCH_MARKER") == "$(sha256sum "$CONF_DIR/pom.xml" | cut -d' ' -f1)" ]]
}

cmd_fetch() {
  fetched && return 0
  require_java
  require_maven
  mkdir -p "$CACHE_DIR"
  # The dev broker and a test broker may be started at the same time: one fetch.
  local lock_fd
  exec {lock_fd}>"$CACHE_DIR/.fetch.lock"
  command -v flock >/dev/null 2>&1 && flock "$lock_fd"
  if ! fetched; then
    echo "fetching Apache Kafka $KAFKA_VERSION jars with Maven (into ${LIBS_DIR#"$REPO_ROOT"/})..."
    # Copy into a temporary folder first: an interrupted fetch never looks complete.
    local tmp=$CACHE_DIR/libs.tmp.$$ started=$SECONDS
    rm -rf "$tmp"
    if ! mvn -B -q -f "$CONF_DIR/pom.xml" dependency:copy-dependencies \
      -DincludeScope=runtime -DoutputDirectory="$tmp" >"$CACHE_DIR/fetch.log" 2>&1; then
      rm -rf "$tmp"
      # Debian's Maven 3.8 prints colour codes even in batch mode: strip them.
      sed 's/\x1b\[[0-9;]*m//g' "$CACHE_DIR/fetch.log" | tail -n 30 >&2
      die "could not fetch the Kafka jars with Maven (full log: $CACHE_DIR/fetch.log)"
    fi
    rm -rf "$LIBS_DIR"
    mv "$tmp" "$LIBS_DIR"
    sha256sum "$CONF_DIR/pom.xml" | cut -d' ' -f1 >"$FETCH_MARKER"
    echo "fetched $(find "$LIBS_DIR" -name '*.jar' | wc -l) jars in $((SECONDS - started)) s"
  fi
  exec {lock_fd}>&-
}

# True when $1 is alive and is the broker of this data dir (guards against a stale
# pid file whose pid was reused by another process, and against zombies).
is_our_broker() {
  local pid=$1
  [[ $pid =~ ^[0-9]+$ ]] && kill -0 "$pid" 2>/dev/null || return 1
  if [[ -r /proc/$pid/cmdline ]]; then
    tr '\0' '\n' <"/proc/$pid/cmdline" | grep -qxF "$CONFIG_FILE"
  else
    ps -p "$pid" -o args= 2>/dev/null | grep -qF "$CONFIG_FILE"
  fi
}

running_pid() {
  [[ -f $PID_FILE ]] || return 1
  local pid
  pid=$(<"$PID_FILE")
  is_our_broker "$pid" || return 1
  echo "$pid"
}

# The port the running broker was configured with (the env may differ from it).
configured_port() {
  sed -n 's/^advertised\.listeners=CLIENT:\/\/[^:]*:\([0-9]*\).*/\1/p' "$CONFIG_FILE" 2>/dev/null || true
}

port_in_use() {
  (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null
}

render_config() {
  local template=$CONF_DIR/server.properties.template content
  content=$(<"$template")
  content=${content//@KAFKA_PORT@/$KAFKA_PORT}
  content=${content//@KAFKA_CONTROLLER_PORT@/$KAFKA_CONTROLLER_PORT}
  content=${content//@KAFKA_LOG_DIRS@/$TOPIC_DIR}
  content=${content//@KAFKA_ADMIN_PASSWORD@/$(<"$ADMIN_CREDENTIAL")}
  {
    echo "# GENERATED by deploy/local/kafka.sh from ${template#"$REPO_ROOT"/}: edit the template."
    printf '%s\n' "$content"
  } >"$CONFIG_FILE"
  chmod 600 "$CONFIG_FILE"  # written before umask 077 by older versions of this script
}

# Sets JAVA_CMD: the JVM flags of Kafka's own kafka-run-class.sh, logging to the data dir.
set_java_cmd() {
  local -a heap
  read -ra heap <<<"$KAFKA_HEAP_OPTS"
  JAVA_CMD=(java "${heap[@]}" -XX:+UseG1GC -XX:MaxGCPauseMillis=20
    -XX:InitiatingHeapOccupancyPercent=35 -XX:+ExplicitGCInvokesConcurrent
    -Djava.awt.headless=true
    "-Dkafka.logs.dir=$KAFKA_DATA_DIR"
    "-Dlog4j2.configurationFile=$CONF_DIR/log4j2.properties"
    -cp "$LIBS_DIR/*")
}

# $1 random bytes in URL-safe base64 without padding: no character that needs quoting in a
# JAAS config or in `--add-scram`.
random_token() {
  head -c "$1" /dev/urandom | base64 | tr '+/' '-_' | tr -d '=\n'
}

# The admin's password is only known to storage formatted with it: a data dir whose storage
# predates the password file (or lost it) is formatted again.
ensure_admin_credential() {
  [[ -s $ADMIN_CREDENTIAL ]] && return 0
  if [[ -f $TOPIC_DIR/meta.properties ]]; then
    echo "no admin credential in $CREDENTIALS_DIR: formatting the Kafka storage again (its topics are lost)"
    rm -rf "$TOPIC_DIR"
    mkdir -p "$TOPIC_DIR"
  fi
  mkdir -p "$CREDENTIALS_DIR"
  random_token 24 >"$ADMIN_CREDENTIAL"
}

# KRaft needs its storage formatted once with a cluster id; never again, or the
# data would be lost. meta.properties in log.dirs is what `format` writes.
format_storage() {
  [[ -f $TOPIC_DIR/meta.properties ]] && return 0
  local cluster_id_file=$KAFKA_DATA_DIR/cluster.id cluster_id
  if [[ ! -s $cluster_id_file ]]; then
    # A Kafka cluster id is 16 random bytes in URL-safe base64 without padding
    # (what `kafka-storage random-uuid` prints), without paying a JVM start. One in 64 starts
    # with "-", hence `--cluster-id=` below: as a separate word it read as an option.
    random_token 16 >"$cluster_id_file"
  fi
  cluster_id=$(<"$cluster_id_file")
  echo "formatting KRaft storage in $TOPIC_DIR (cluster id $cluster_id)"
  set_java_cmd
  # Static quorum (controller.quorum.voters), so no --standalone here. The admin's SCRAM
  # credential goes into the metadata log from the start: no client gets in without one.
  if ! "${JAVA_CMD[@]}" kafka.tools.StorageTool format \
    --config "$CONFIG_FILE" --cluster-id="$cluster_id" --ignore-formatted \
    --add-scram "SCRAM-SHA-512=[name=admin,password=$(<"$ADMIN_CREDENTIAL")]" \
    >"$KAFKA_DATA_DIR/format.log" 2>&1; then
    cat "$KAFKA_DATA_DIR/format.log" >&2
    die "could not format the Kafka storage in $TOPIC_DIR"
  fi
}

show_logs() {
  echo "--- last 30 lines of $LOG_FILE ---" >&2
  tail -n 30 "$LOG_FILE" >&2 2>/dev/null || true
  if [[ -s $OUT_FILE ]]; then
    echo "--- last 10 lines of $OUT_FILE ---" >&2
    tail -n 10 "$OUT_FILE" >&2
  fi
}

cmd_start() {
  cmd_fetch
  require_java
  local pid
  if pid=$(running_pid); then
    echo "kafka already running (pid $pid) on 127.0.0.1:$(configured_port), data in $KAFKA_DATA_DIR"
    return 0
  fi
  # A clear message beats a BindException buried in the log.
  local p
  for p in "$KAFKA_PORT" "$KAFKA_CONTROLLER_PORT"; do
    port_in_use "$p" && die "port 127.0.0.1:$p is already in use; stop what listens there or set KAFKA_PORT / KAFKA_CONTROLLER_PORT"
  done
  [[ $KAFKA_PORT != "$KAFKA_CONTROLLER_PORT" ]] || die "KAFKA_PORT and KAFKA_CONTROLLER_PORT must differ"

  mkdir -p "$TOPIC_DIR"
  rm -f "$PID_FILE"
  ensure_admin_credential
  render_config
  format_storage

  # Only log lines written after this offset count as "started" (the log is appended to).
  local offset=0
  [[ -f $LOG_FILE ]] && offset=$(stat -c %s "$LOG_FILE")
  local -a detach=()
  set_java_cmd
  # setsid: own session, so the broker survives the calling shell and its Ctrl-C.
  command -v setsid >/dev/null 2>&1 && detach=(setsid)
  echo "=== $(date -Is) starting kafka $KAFKA_VERSION ===" >>"$OUT_FILE"
  # The inner shell writes its own pid ($0 is the pid file) then execs java, so the
  # pid file holds java's pid whether or not setsid had to fork.
  (
    cd "$KAFKA_DATA_DIR"
    # shellcheck disable=SC2016  # expanded by the inner shell
    exec "${detach[@]}" nohup bash -c 'echo $$ >"$0"; exec "$@"' \
      "$PID_FILE" "${JAVA_CMD[@]}" kafka.Kafka "$CONFIG_FILE"
  ) >>"$OUT_FILE" 2>&1 </dev/null &

  local deadline=$((SECONDS + KAFKA_START_TIMEOUT))
  while [[ ! -s $PID_FILE ]] && ((SECONDS < deadline)); do sleep 0.1; done
  pid=$(cat "$PID_FILE" 2>/dev/null || true)
  # "Kafka Server started" is logged by KafkaRaftServer once the broker has caught
  # up with the metadata log and been unfenced, i.e. it really serves requests.
  while ((SECONDS < deadline)); do
    if ! is_our_broker "$pid"; then
      show_logs
      rm -f "$PID_FILE"
      die "kafka exited during startup (data dir $KAFKA_DATA_DIR)"
    fi
    # server.log may have rolled over (20 MB) since we took the offset.
    if [[ -f $LOG_FILE ]] && (($(stat -c %s "$LOG_FILE") < offset)); then offset=0; fi
    if tail -c +$((offset + 1)) "$LOG_FILE" 2>/dev/null | grep -q 'Kafka Server started' &&
      port_in_use "$KAFKA_PORT"; then
      echo "kafka ready on 127.0.0.1:$KAFKA_PORT"
      return 0
    fi
    sleep 0.3
  done
  show_logs
  # Do not leave a half-started broker that the next `start` would take as running.
  cmd_stop >&2 || true
  die "kafka not ready on 127.0.0.1:$KAFKA_PORT after ${KAFKA_START_TIMEOUT} s"
}

cmd_stop() {
  local pid
  if ! pid=$(running_pid); then
    rm -f "$PID_FILE"
    echo "kafka not running (data dir $KAFKA_DATA_DIR)"
    return 0
  fi
  # SIGTERM = controlled shutdown: logs are flushed, next start needs no recovery.
  kill -TERM "$pid" 2>/dev/null || true
  local i
  for ((i = 0; i < 300; i++)); do
    is_our_broker "$pid" || break
    sleep 0.1
  done
  if is_our_broker "$pid"; then
    echo "kafka (pid $pid) still running after 30 s, sending SIGKILL" >&2
    kill -KILL "$pid" 2>/dev/null || true
    for ((i = 0; i < 50; i++)); do
      is_our_broker "$pid" || break
      sleep 0.1
    done
  fi
  rm -f "$PID_FILE"
  echo "kafka stopped (pid $pid)"
}

cmd_status() {
  local pid
  if pid=$(running_pid); then
    echo "kafka running (pid $pid) on 127.0.0.1:$(configured_port), data in $KAFKA_DATA_DIR"
    return 0
  fi
  echo "kafka not running (data dir $KAFKA_DATA_DIR)"
  return 1
}

case ${1:-} in
  fetch) cmd_fetch ;;
  start) cmd_start ;;
  stop) cmd_stop ;;
  status) cmd_status ;;
  *)
    echo "usage: $0 fetch|start|stop|status" >&2
    exit 2
    ;;
esac
