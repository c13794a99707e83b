#!/usr/bin/env bash
# The fault suite (issue 9): under a steady load of freeze requests, kill -9 a service, stop RabbitMQ for 30 s, restart
# PostgreSQL; then check that nothing was lost or duplicated, every saga is right, no message is left, and the API said
# 503 (not 500, not a hang) while the database was down. Prints a table; exit code 1 when anything failed.
#
# It never touches the shared servers (PostgreSQL 5432, RabbitMQ 5672) or services others run: it starts a throwaway
# PostgreSQL 15 cluster and a RabbitMQ node of its own in a temporary directory, on loopback ports of their own, runs the
# four services against them on ports 24101-24104, and removes it all at the end (logs, with timestamps and each request's
# duration, are kept in .run/chaos/).
#   deploy/chaos.sh [tool options]     e.g. --faults kill-freeze,postgres-restart --rate 8 (see the tool's usage)
#   deploy/chaos.sh control VERB ...   what the tool calls during the run: kill|start SERVICE, rabbit-stop|rabbit-start,
#                                      pg-stop|pg-start (needs CHAOS_DIR, which the run exports)
# CHAOS_SKIP_BUILD=1 uses the Release build already there.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"

# Below the ephemeral range (32768-60999): a restarted server must not find its port taken by some client connection.
: "${CHAOS_PG_PORT:=24432}"
: "${CHAOS_RABBIT_PORT:=24672}"
: "${CHAOS_RABBIT_MANAGEMENT_PORT:=24673}"
# Erlang distribution for the node, and the range its CLI tools use (by default DIST_PORT + 10000, past 65535 here).
: "${CHAOS_RABBIT_DIST_PORT:=24674}"
: "${CHAOS_SERVICE_PORT_BASE:=24100}"
: "${CHAOS_TOOL_TIMEOUT:=600}"
# Each service's connection pool, as deploy/infra.sh sets it; raise it to see whether a fault's slow answers wait on it.
: "${CHAOS_PG_MAX_POOL:=50}"
export CHAOS_PG_PORT CHAOS_RABBIT_PORT CHAOS_RABBIT_MANAGEMENT_PORT CHAOS_RABBIT_DIST_PORT CHAOS_SERVICE_PORT_BASE

pg_bin=/usr/lib/postgresql/15/bin
rabbit_bin=/usr/lib/rabbitmq/bin
rabbit_node=chaos@localhost
db=assetrecovery; db_user=assetrecovery; db_password=assetrecovery
vhost=assetrecovery; rabbit_user=chaos; rabbit_password=chaos
services=("freeze:AssetRecovery.Freeze.Api:1" "seizure:AssetRecovery.Seizure.Api:2"
          "restitution:AssetRecovery.Restitution.Api:3" "victim-claim:AssetRecovery.VictimClaim.Api:4")

say() { printf '[chaos.sh %s] %s\n' "$(date -u +%H:%M:%S)" "$*"; }
is_root() { [ "$(id -u)" -eq 0 ]; }
# PostgreSQL refuses to run as root, and RabbitMQ's files belong to its own user: as root, run each as its package's user.
as_postgres() { if is_root; then runuser -u postgres -- "$@"; else "$@"; fi; }
as_rabbitmq() { if is_root; then runuser -u rabbitmq -- "$@"; else "$@"; fi; }

# --- private PostgreSQL ------------------------------------------------------------------------------------------
pg_ctl_chaos() { as_postgres "$pg_bin/pg_ctl" -D "$CHAOS_DIR/pg/data" "$@"; }

pg_create() {
  mkdir -p "$CHAOS_DIR/pg"
  is_root && chown postgres: "$CHAOS_DIR/pg"
  as_postgres "$pg_bin/initdb" -D "$CHAOS_DIR/pg/data" -U postgres --auth=trust -E UTF8 --no-sync >/dev/null
  # Loopback only, its own port and socket directory; room for four services' pools and the suite.
  cat >>"$CHAOS_DIR/pg/data/postgresql.conf" <<CONF
listen_addresses = '127.0.0.1'
port = $CHAOS_PG_PORT
unix_socket_directories = '$CHAOS_DIR/pg'
max_connections = 300
# For the logs kept in .run/chaos/: what waited on a lock, and what ran slowly, while the faults were under way.
log_lock_waits = on
log_min_duration_statement = 1000
CONF
  pg_start
  as_postgres "$pg_bin/psql" -h 127.0.0.1 -p "$CHAOS_PG_PORT" -U postgres -v ON_ERROR_STOP=1 -q \
    -c "CREATE ROLE $db_user LOGIN PASSWORD '$db_password'" -c "CREATE DATABASE $db OWNER $db_user"
}

pg_start() { pg_ctl_chaos -l "$CHAOS_DIR/pg/postgres.log" -w -t 60 start >/dev/null; }
# Immediate: no checkpoint, connections cut, crash recovery at the next start; as close to a crash as pg_ctl goes.
pg_stop() { pg_ctl_chaos -m immediate -w -t 60 stop >/dev/null; }

# --- private RabbitMQ node ---------------------------------------------------------------------------------------
rabbit_environment() {
  export RABBITMQ_NODENAME="$rabbit_node" RABBITMQ_NODE_IP_ADDRESS=127.0.0.1 RABBITMQ_NODE_PORT="$CHAOS_RABBIT_PORT" \
         RABBITMQ_DIST_PORT="$CHAOS_RABBIT_DIST_PORT" \
         RABBITMQ_CTL_DIST_PORT_MIN=$((CHAOS_RABBIT_DIST_PORT + 1)) RABBITMQ_CTL_DIST_PORT_MAX=$((CHAOS_RABBIT_DIST_PORT + 11)) \
         RABBITMQ_MNESIA_BASE="$CHAOS_DIR/rabbit/mnesia" RABBITMQ_LOG_BASE="$CHAOS_DIR/rabbit/log" \
         RABBITMQ_PID_FILE="$CHAOS_DIR/rabbit/rabbit.pid" RABBITMQ_ENABLED_PLUGINS_FILE="$CHAOS_DIR/rabbit/enabled_plugins" \
         RABBITMQ_CONFIG_FILE="$CHAOS_DIR/rabbit/rabbitmq.conf" RABBITMQ_CONF_ENV_FILE="$CHAOS_DIR/rabbit/rabbitmq-env.conf" \
         RABBITMQ_ADVANCED_CONFIG_FILE="$CHAOS_DIR/rabbit/advanced.config" \
         RABBITMQ_SERVER_ADDITIONAL_ERL_ARGS="-kernel inet_dist_use_interface {127,0,0,1}" ERL_EPMD_ADDRESS=127.0.0.1
}

rabbitmqctl_chaos() { as_rabbitmq "$rabbit_bin/rabbitmqctl" -q -n "$rabbit_node" "$@"; }

rabbit_create() {
  mkdir -p "$CHAOS_DIR/rabbit/log" "$CHAOS_DIR/rabbit/mnesia"
  echo '[rabbitmq_management].' >"$CHAOS_DIR/rabbit/enabled_plugins"
  : >"$CHAOS_DIR/rabbit/rabbitmq-env.conf"
  # Statistics every second, so that the suite sees queues drain without waiting for the default 5 s.
  cat >"$CHAOS_DIR/rabbit/rabbitmq.conf" <<CONF
listeners.tcp.default = 127.0.0.1:$CHAOS_RABBIT_PORT
management.tcp.ip = 127.0.0.1
management.tcp.port = $CHAOS_RABBIT_MANAGEMENT_PORT
collect_statistics_interval = 1000
CONF
  is_root && chown -R rabbitmq: "$CHAOS_DIR/rabbit"
  rabbit_start
  rabbitmqctl_chaos add_user "$rabbit_user" "$rabbit_password" >/dev/null
  rabbitmqctl_chaos set_user_tags "$rabbit_user" administrator >/dev/null
  rabbitmqctl_chaos add_vhost "$vhost" >/dev/null
  rabbitmqctl_chaos set_permissions -p "$vhost" "$rabbit_user" ".*" ".*" ".*" >/dev/null
}

rabbit_start() {
  as_rabbitmq "$rabbit_bin/rabbitmq-server" -detached >>"$CHAOS_DIR/rabbit/log/startup.log" 2>&1
  # Polled over HTTP, not with rabbitmqctl: the Erlang CLI takes minutes to boot on a busy 2-core machine.
  for _ in $(seq 1 240); do
    # Before the user exists (first start) the management API answers 401: that is up too.
    case "$(curl -s -o /dev/null -w '%{http_code}' -u "$rabbit_user:$rabbit_password" \
              "http://127.0.0.1:$CHAOS_RABBIT_MANAGEMENT_PORT/api/overview")" in 200|401) return 0 ;; esac
    sleep 0.5
  done
  echo "chaos.sh: RabbitMQ did not come up in 120 s" >&2; return 1
}

# SIGTERM makes the Erlang VM stop the node gracefully (as rabbitmqctl stop does), without booting the slow CLI; the
# outage begins once the process has exited.
rabbit_stop() {
  local pid
  pid="$(cat "$CHAOS_DIR/rabbit/rabbit.pid")"
  kill -TERM "$pid"
  while kill -0 "$pid" 2>/dev/null; do sleep 0.2; done
}

# --- services ----------------------------------------------------------------------------------------------------
service_spec() { # name → "assembly port"
  local spec name assembly offset
  for spec in "${services[@]}"; do IFS=: read -r name assembly offset <<<"$spec"
    [ "$name" = "$1" ] && { echo "$assembly $((CHAOS_SERVICE_PORT_BASE + offset))"; return 0; }; done
  echo "chaos.sh: no service '$1'" >&2; return 1
}

service_start() { # name; returns once it is ready
  local assembly port dir
  read -r assembly port < <(service_spec "$1")
  dir="$root/services/$1/$assembly/bin/Release/net10.0"
  ( cd "$dir" && ASPNETCORE_ENVIRONMENT=Development \
      ConnectionStrings__Postgres="Host=127.0.0.1;Port=$CHAOS_PG_PORT;Database=$db;Username=$db_user;Password=$db_password;Maximum Pool Size=$CHAOS_PG_MAX_POOL" \
      RabbitMq__Host=127.0.0.1 RabbitMq__Port="$CHAOS_RABBIT_PORT" RabbitMq__VirtualHost="$vhost" \
      RabbitMq__Username="$rabbit_user" RabbitMq__Password="$rabbit_password" \
      Logging__Console__TimestampFormat="HH:mm:ss.fff " \
      exec nohup env "Logging__LogLevel__Microsoft.AspNetCore.Hosting.Diagnostics=Information" \
      dotnet "$assembly.dll" --urls "http://127.0.0.1:$port" ) >>"$CHAOS_DIR/services/$1.log" 2>&1 </dev/null &
  echo $! >"$CHAOS_DIR/services/$1.pid"
  # Killed by a control call from another process: no "Killed" job notice from this shell.
  disown $! 2>/dev/null || true
  service_wait_ready "$1" "$port"
}

service_wait_ready() { # name port
  for _ in $(seq 1 180); do
    curl -fs "http://127.0.0.1:$2/health/ready" >/dev/null 2>&1 && return 0
    if ! kill -0 "$(cat "$CHAOS_DIR/services/$1.pid")" 2>/dev/null; then
      echo "chaos.sh: $1 exited; last lines of its log:" >&2; tail -n 30 "$CHAOS_DIR/services/$1.log" >&2; return 1
    fi
    sleep 0.5
  done
  echo "chaos.sh: $1 was not ready in 90 s" >&2; return 1
}

service_kill() { # name: SIGKILL, nothing flushed
  local pid
  pid="$(cat "$CHAOS_DIR/services/$1.pid")"
  kill -9 "$pid"
  while kill -0 "$pid" 2>/dev/null; do sleep 0.1; done
  echo "--- killed with SIGKILL at $(date -u +%H:%M:%S) ---" >>"$CHAOS_DIR/services/$1.log"
}

# --- control verbs (called by the tool) --------------------------------------------------------------------------
control() {
  [ -n "${CHAOS_DIR:-}" ] && [ -d "$CHAOS_DIR" ] || { echo "chaos.sh control: CHAOS_DIR is not set (only during a run)" >&2; exit 2; }
  rabbit_environment
  case "${1:-}" in
    kill) service_kill "$2" ;;
    start) service_start "$2" ;;
    rabbit-stop) rabbit_stop ;;
    rabbit-start) rabbit_start ;;
    pg-stop) pg_stop ;;
    pg-start) pg_start ;;
    *) echo "usage: deploy/chaos.sh control kill|start SERVICE | rabbit-stop | rabbit-start | pg-stop | pg-start" >&2; exit 2 ;;
  esac
}

if [ "${1:-}" = control ]; then shift; control "$@"; exit 0; fi

# --- the run -----------------------------------------------------------------------------------------------------
teardown() {
  set +e
  say "tearing down"
  local pid_file
  for pid_file in "$CHAOS_DIR"/services/*.pid; do [ -f "$pid_file" ] && kill -9 "$(cat "$pid_file")" 2>/dev/null; done
  rabbit_stop 2>/dev/null || { [ -f "$CHAOS_DIR/rabbit/rabbit.pid" ] && kill -9 "$(cat "$CHAOS_DIR/rabbit/rabbit.pid")" 2>/dev/null; }
  [ -f "$CHAOS_DIR/pg/data/postmaster.pid" ] && pg_stop 2>/dev/null
  mkdir -p "$root/.run/chaos"
  cp "$CHAOS_DIR"/services/*.log "$CHAOS_DIR/pg/postgres.log" "$root/.run/chaos/" 2>/dev/null
  cp -r "$CHAOS_DIR/rabbit/log" "$root/.run/chaos/rabbitmq-log" 2>/dev/null
  rm -rf "$CHAOS_DIR"
}

cd "$root"
for port in "$CHAOS_PG_PORT" "$CHAOS_RABBIT_PORT" "$CHAOS_RABBIT_MANAGEMENT_PORT" "$CHAOS_RABBIT_DIST_PORT" \
            $(seq $((CHAOS_SERVICE_PORT_BASE + 1)) $((CHAOS_SERVICE_PORT_BASE + 4))); do
  if (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null; then echo "chaos.sh: port $port is in use (another run?)" >&2; exit 1; fi
done

# shellcheck source=deploy/infra.sh
source "$root/deploy/infra.sh"
install_packages
[ -x "$pg_bin/initdb" ] || { echo "chaos.sh: needs PostgreSQL 15 in $pg_bin" >&2; exit 1; }

if [ "${CHAOS_SKIP_BUILD:-0}" != 1 ]; then
  say "building (Release)"
  build/restore.sh
  dotnet build AssetRecovery.sln -c Release --no-restore -nologo -clp:ErrorsOnly
fi

CHAOS_DIR="$(mktemp -d /tmp/ar-chaos.XXXXXX)"
export CHAOS_DIR
chmod 755 "$CHAOS_DIR"
mkdir -p "$CHAOS_DIR/services"
rm -rf "$root/.run/chaos"
mkdir -p "$root/.run"
trap teardown EXIT
trap 'exit 130' INT TERM

rabbit_environment
say "private PostgreSQL 15 on 127.0.0.1:$CHAOS_PG_PORT, RabbitMQ node $rabbit_node on 127.0.0.1:$CHAOS_RABBIT_PORT (in $CHAOS_DIR)"
pg_create
rabbit_create
# The first service creates the shared event-store schema; the others follow once it is ready.
say "starting the services on ports $((CHAOS_SERVICE_PORT_BASE + 1))-$((CHAOS_SERVICE_PORT_BASE + 4))"
service_start freeze
starting=()
for name in seizure restitution victim-claim; do service_start "$name" & starting+=($!); done
for pid in "${starting[@]}"; do wait "$pid"; done

say "running the faults"
set +e
timeout --signal=TERM "$CHAOS_TOOL_TIMEOUT" dotnet "$root/tests/chaos/AssetRecovery.Chaos/bin/Release/net10.0/AssetRecovery.Chaos.dll" \
  --freeze-url "http://127.0.0.1:$((CHAOS_SERVICE_PORT_BASE + 1))" \
  --postgres "Host=127.0.0.1;Port=$CHAOS_PG_PORT;Database=$db;Username=$db_user;Password=$db_password" \
  --rabbit-management-url "http://127.0.0.1:$CHAOS_RABBIT_MANAGEMENT_PORT/" --rabbit-vhost "$vhost" \
  --rabbit-user "$rabbit_user" --rabbit-password "$rabbit_password" --control "$root/deploy/chaos.sh" "$@" \
  | tee "$root/.run/chaos-result.txt"
status=${PIPESTATUS[0]}
set -e
[ "$status" -eq 124 ] && echo "chaos.sh: the fault suite did not finish within $CHAOS_TOOL_TIMEOUT s" >&2
exit "$status"
