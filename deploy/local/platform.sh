#!/usr/bin/env bash
# Starts and stops the platform's processes (services and gateway, the local OpenID provider and the
# mail catcher) for `make run` / `make stop`.
# Each is served by services/core/serving.py in the background, with its pid in .data/run and its JSON
# log in .data/logs.
# A service's processes log in to Kafka as the service's principal, with the password `make run`'s
# broker generated (deploy/local/kafka.sh, services/core/kafka_acls.py); the gateway uses no Kafka.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
PY="$ROOT/.venv/bin/python"
RUN_DIR="$ROOT/.data/run"
LOG_DIR="$ROOT/.data/logs"
KAFKA_CREDENTIALS="$ROOT/.data/kafka/credentials"
declare -A PRINCIPALS  # process name -> Kafka principal

# name, module, port, environment of each process of deploy/services.yaml, the gateway last
processes() { "$PY" -m services.core.manifest processes; }

start_one() {
  local name=$1 module=$2 port=$3 environment=$4 pid_file="$RUN_DIR/$1.pid"
  if [[ -f $pid_file ]] && kill -0 "$(cat "$pid_file")" 2>/dev/null; then
    echo "$name already running (pid $(cat "$pid_file"))"
    return
  fi
  local principal=${PRINCIPALS[$name]:-}
  (
    # Exported, not on a command line: another user may read a process's arguments, not its environment.
    if [[ -n $principal ]]; then
      [[ -r $KAFKA_CREDENTIALS/$principal ]] || {
        echo "error: no Kafka password for $principal in $KAFKA_CREDENTIALS (make run creates it)" >&2
        exit 1
      }
      export KAFKA_SECURITY_PROTOCOL=SASL_PLAINTEXT KAFKA_SASL_MECHANISM=SCRAM-SHA-512 KAFKA_SASL_USERNAME=$principal
      KAFKA_SASL_PASSWORD=$(<"$KAFKA_CREDENTIALS/$principal")
      export KAFKA_SASL_PASSWORD
    fi
    # Detached from this shell (own session, no inherited stdin/stdout) so `make run` returns.
    # shellcheck disable=SC2086  # the environment column is a list of NAME=value words
    setsid env $environment "$PY" -m services.core.serving "$module" 127.0.0.1 "$port" \
      </dev/null >>"$LOG_DIR/$name.log" 2>&1 &
    echo $! >"$pid_file"
  )
}

# Until `url` answers (a process's readiness), or the last lines of its log.
wait_for_url() {
  local name=$1 url=$2
  for _ in $(seq 1 120); do
    if curl -fsS "$url" >/dev/null 2>&1; then
      echo "$name ready ($url)"
      return 0
    fi
    sleep 0.5
  done
  echo "error: $name did not answer $url; last log lines:" >&2
  tail -n 20 "$LOG_DIR/$name.log" >&2
  return 1
}

wait_ready() { wait_for_url "$1" "http://127.0.0.1:$2/readyz"; }

# A local stand-in (OpenID provider, mail catcher) started once: `name`, the URL that answers when it is
# ready, then its command, run detached in the current directory with its log in .data/logs.
start_stand_in() {
  local name=$1 url=$2 pid_file="$RUN_DIR/$1.pid"
  shift 2
  if [[ -f $pid_file ]] && kill -0 "$(cat "$pid_file")" 2>/dev/null; then
    echo "$name already running (pid $(cat "$pid_file"))"
    return
  fi
  setsid "$@" </dev/null >>"$LOG_DIR/$name.log" 2>&1 &
  echo $! >"$pid_file"
  wait_for_url "$name" "$url"
}

# The local OpenID provider standing in for FranceConnect (deploy/local/oidc/), on Node.js, installed
# from npm as its lock file pins it. The gateway's OIDC_* settings default to it.
OIDC_DIR="$ROOT/deploy/local/oidc"
export OIDC_PORT=${OIDC_PORT:-8090}  # read by provider.mjs
export OIDC_ISSUER=${OIDC_ISSUER:-http://127.0.0.1:$OIDC_PORT}  # the provider's and the gateway's

start_oidc() {
  "$OIDC_DIR/install.sh"
  (cd "$OIDC_DIR" && start_stand_in oidc-provider \
    "http://127.0.0.1:$OIDC_PORT/.well-known/openid-configuration" node provider.mjs)
}

stop_pid_file() {
  local name=$1 pid_file="$RUN_DIR/$1.pid" pid
  [[ -f $pid_file ]] || return 0
  pid=$(cat "$pid_file")
  kill "$pid" 2>/dev/null || true
  for _ in $(seq 1 40); do kill -0 "$pid" 2>/dev/null || break; sleep 0.25; done
  kill -9 "$pid" 2>/dev/null || true
  rm -f "$pid_file"
  echo "$name stopped"
}

# The local mail catcher (deploy/local/mailcatcher.py): the SMTP server the notifications service sends
# reminders to, and an inbox page that also receives its SMS provider calls. Nothing leaves the machine.
MAILCATCHER_SMTP_PORT=${MAILCATCHER_SMTP_PORT:-1025}
MAILCATCHER_HTTP_PORT=${MAILCATCHER_HTTP_PORT:-1080}
export NOTIFICATIONS_SMTP_HOST=${NOTIFICATIONS_SMTP_HOST:-127.0.0.1}
export NOTIFICATIONS_SMTP_PORT=${NOTIFICATIONS_SMTP_PORT:-$MAILCATCHER_SMTP_PORT}
export NOTIFICATIONS_SMS_URL=${NOTIFICATIONS_SMS_URL:-http://127.0.0.1:$MAILCATCHER_HTTP_PORT/sms}

start_mailcatcher() {
  start_stand_in mailcatcher "http://127.0.0.1:$MAILCATCHER_HTTP_PORT/api/messages" \
    "$PY" "$ROOT/deploy/local/mailcatcher.py" --smtp-port "$MAILCATCHER_SMTP_PORT" \
    --http-port "$MAILCATCHER_HTTP_PORT" --folder "$ROOT/.data/mail"
}

cd "$ROOT"
case "${1:-}" in
  start)
    mkdir -p "$RUN_DIR" "$LOG_DIR"
    start_oidc
    start_mailcatcher
    while IFS=$'\t' read -r name principal; do
      PRINCIPALS[$name]=$principal
    done < <("$PY" -m services.core.kafka_acls principals)
    while IFS=$'\t' read -r name module port environment; do
      start_one "$name" "$module" "$port" "$environment"
    done < <(processes)
    while IFS=$'\t' read -r name _ port _; do
      wait_ready "$name" "$port"
    done < <(processes)
    ;;
  stop)
    while IFS=$'\t' read -r name _ _ _; do
      stop_pid_file "$name"
    done < <(processes)
    stop_pid_file oidc-provider
    stop_pid_file mailcatcher
    ;;
  *)
    echo "usage: $0 start|stop" >&2
    exit 2
    ;;
esac
