#!/usr/bin/env bash
# Installs (where missing) and starts PostgreSQL and RabbitMQ from the OS packages, then creates the development
# database, user and vhost. Idempotent. Sourced by run.sh and test.sh; also runnable alone.
set -euo pipefail

: "${AR_PG_DB:=assetrecovery}"
: "${AR_PG_USER:=assetrecovery}"
: "${AR_PG_PASSWORD:=assetrecovery}"
: "${AR_RABBIT_VHOST:=assetrecovery}"
: "${AR_RABBIT_USER:=assetrecovery}"
: "${AR_RABBIT_PASSWORD:=assetrecovery}"

log() { printf '[infra] %s\n' "$*"; }
as_root() { if [ "$(id -u)" -eq 0 ]; then "$@"; else sudo "$@"; fi; }

install_packages() {
  local missing=()
  command -v pg_ctlcluster >/dev/null 2>&1 || missing+=(postgresql)
  command -v rabbitmq-server >/dev/null 2>&1 || missing+=(rabbitmq-server)
  command -v curl >/dev/null 2>&1 || missing+=(curl)
  if [ "${AR_BROWSER_TESTS:-0}" = "1" ]; then
    command -v chromium >/dev/null 2>&1 || missing+=(chromium chromium-driver)
  fi
  [ ${#missing[@]} -eq 0 ] && return 0
  log "installing ${missing[*]}"
  as_root apt-get update -qq
  # policy-rc.d keeps the packages from starting services in containers without an init system; we start them below.
  as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
}

start_postgres() {
  local version cluster
  version="$(ls /usr/lib/postgresql | sort -V | tail -n1)"
  cluster="$(pg_lsclusters -h 2>/dev/null | awk -v v="$version" '$1==v {print $2; exit}')"
  if [ -z "$cluster" ]; then
    log "creating PostgreSQL $version cluster"
    as_root pg_createcluster "$version" main >/dev/null
    cluster=main
  fi
  if ! pg_lsclusters -h | awk -v v="$version" -v c="$cluster" '$1==v && $2==c {print $4}' | grep -q online; then
    log "starting PostgreSQL $version/$cluster"
    as_root pg_ctlcluster "$version" "$cluster" start
  fi
  for _ in $(seq 1 60); do
    as_root su postgres -c "pg_isready -q -h 127.0.0.1 -p 5432" && break
    sleep 0.5
  done
  as_root su postgres -c "psql -v ON_ERROR_STOP=1 -q" <<SQL
DO \$\$ BEGIN
  IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = '${AR_PG_USER}') THEN
    CREATE ROLE ${AR_PG_USER} LOGIN PASSWORD '${AR_PG_PASSWORD}';
  END IF;
END \$\$;
ALTER ROLE ${AR_PG_USER} CREATEDB;
SQL
  if ! as_root su postgres -c "psql -tAc \"SELECT 1 FROM pg_database WHERE datname='${AR_PG_DB}'\"" | grep -q 1; then
    as_root su postgres -c "createdb -O ${AR_PG_USER} ${AR_PG_DB}"
  fi
  # The test suite opens many short-lived hosts: leave room above the default 100 connections.
  local restart=no
  if [ "$(as_root su postgres -c "psql -tAc 'SHOW max_connections'")" -lt 300 ]; then
    as_root su postgres -c "psql -qc 'ALTER SYSTEM SET max_connections = 300'"
    restart=yes
  fi
  # Shared buffers: a quarter of the memory, at most 2 GB (the default is 128 MB). The hot indexes (events, streams,
  # inbox records) outgrow 128 MB, and each lookup then reads pages back from the OS: in the intake benchmark the
  # inbox check took 0.20 ms with 128 MB and 0.05 ms with 2 GB (docs/benchmarks, finding 14).
  local buffers_mb current_mb
  buffers_mb=$(awk '/^MemTotal:/ { mb = int($2 / 1024 / 4); print (mb > 2048 ? 2048 : mb) }' /proc/meminfo)
  current_mb=$(as_root su postgres -c "psql -tAc \"SELECT setting::bigint * 8 / 1024 FROM pg_settings WHERE name = 'shared_buffers'\"")
  if [ "$current_mb" -ne "$buffers_mb" ]; then
    as_root su postgres -c "psql -qc \"ALTER SYSTEM SET shared_buffers = '${buffers_mb}MB'\""
    restart=yes
  fi
  if [ "$restart" = yes ]; then
    log "restarting PostgreSQL $version/$cluster for its settings"
    as_root pg_ctlcluster "$version" "$cluster" restart
    for _ in $(seq 1 60); do as_root su postgres -c "pg_isready -q -h 127.0.0.1" && break; sleep 0.5; done
  fi
  allow_password_on_local_socket
}

# The services reach the local server through its Unix socket: over TCP on loopback Npgsql negotiates TLS (Debian's
# server has a certificate), and each round trip pays for it. pgbench's select-only load on this 2-core machine: 13,000
# to 14,000 transactions/s over TLS, 17,000 to 19,000 over plain TCP, 21,000 to 22,000 over the socket (finding 19).
# Debian lets only the OS user of the same name in through the socket (peer), so the application's role is let in
# by password, as over TCP.
allow_password_on_local_socket() {
  local hba rule="local   all             ${AR_PG_USER}                           scram-sha-256"
  hba="$(as_root su postgres -c "psql -tAc 'SHOW hba_file'")"
  if ! as_root grep -qE "^local[[:space:]]+all[[:space:]]+${AR_PG_USER}[[:space:]]+scram-sha-256" "$hba"; then
    # The first matching line decides, so the rule goes above Debian's "local all all peer".
    as_root sed -i "1i ${rule}" "$hba"
    as_root su postgres -c "psql -qAtc 'SELECT pg_reload_conf()'" >/dev/null
  fi
}

# The server's socket directory when it has one (Npgsql takes a directory as the host), else loopback TCP.
postgres_host() {
  local directory
  directory="$(as_root su postgres -c "psql -tAc 'SHOW unix_socket_directories'" | cut -d, -f1 | tr -d ' ')"
  if [ -n "$directory" ] && [ -S "$directory/.s.PGSQL.5432" ]; then echo "$directory"; else echo 127.0.0.1; fi
}

start_rabbitmq() {
  if ! as_root rabbitmqctl -q status >/dev/null 2>&1; then
    log "starting RabbitMQ"
    as_root rabbitmq-plugins --offline enable rabbitmq_management >/dev/null
    as_root rabbitmq-server -detached >/dev/null 2>&1 || true
    as_root rabbitmqctl -q wait --timeout 120 /var/lib/rabbitmq/mnesia/rabbit@"$(hostname -s)".pid >/dev/null 2>&1 \
      || as_root rabbitmqctl -q await_startup --timeout 120
  fi
  as_root rabbitmq-plugins -q enable rabbitmq_management >/dev/null
  as_root rabbitmqctl -q await_startup --timeout 120
  if ! as_root rabbitmqctl -q list_users | awk '{print $1}' | grep -qx "$AR_RABBIT_USER"; then
    as_root rabbitmqctl -q add_user "$AR_RABBIT_USER" "$AR_RABBIT_PASSWORD" >/dev/null
  fi
  # Administrator so that tests can create a vhost per test host through the management API (development only).
  as_root rabbitmqctl -q set_user_tags "$AR_RABBIT_USER" administrator >/dev/null
  if ! as_root rabbitmqctl -q list_vhosts | grep -qx "$AR_RABBIT_VHOST"; then
    as_root rabbitmqctl -q add_vhost "$AR_RABBIT_VHOST" >/dev/null
  fi
  as_root rabbitmqctl -q set_permissions -p "$AR_RABBIT_VHOST" "$AR_RABBIT_USER" ".*" ".*" ".*" >/dev/null
  for _ in $(seq 1 60); do
    curl -fsS -u "$AR_RABBIT_USER:$AR_RABBIT_PASSWORD" http://127.0.0.1:15672/api/overview >/dev/null 2>&1 && break
    sleep 1
  done
  remove_retired_bindings
}

# MassTransit binds a message type's exchange to each endpoint that consumes it and never removes a binding, so a
# consumer that stops taking a type would still be sent every such message (to its _skipped queue). One line per
# binding retired: message exchange, endpoint exchange. Idempotent (404 once gone).
remove_retired_bindings() {
  local source destination vhost="${AR_RABBIT_VHOST//\//%2F}"
  while read -r source destination; do
    curl -fs -o /dev/null -X DELETE -u "$AR_RABBIT_USER:$AR_RABBIT_PASSWORD" \
      "http://127.0.0.1:15672/api/bindings/$vhost/e/${source//:/%3A}/e/$destination/~" || true
  done <<'RETIRED'
AssetRecovery.Contracts.Freeze:FreezeRequested victim-claim-case-interception
AssetRecovery.Contracts.Restitution:DistributionRoundPlanned restitution-fund-round
RETIRED
}

infra_up() {
  install_packages
  start_postgres
  start_rabbitmq
  export ConnectionStrings__Postgres="Host=$(postgres_host);Port=5432;Database=${AR_PG_DB};Username=${AR_PG_USER};Password=${AR_PG_PASSWORD};Maximum Pool Size=50"
  export RabbitMq__Host=127.0.0.1 RabbitMq__VirtualHost="$AR_RABBIT_VHOST" \
         RabbitMq__Username="$AR_RABBIT_USER" RabbitMq__Password="$AR_RABBIT_PASSWORD" RabbitMq__ManagementPort=15672
  log "PostgreSQL and RabbitMQ are up"
}

if [ "${BASH_SOURCE[0]}" = "$0" ]; then infra_up; fi
