#!/usr/bin/env bash
# Starts the whole system on this machine: PostgreSQL and RabbitMQ (installed from the OS packages where missing),
# then the four services on ports 5101-5104 (Development), and prints their URLs.
#   deploy/run.sh          start (or restart) everything
#   deploy/run.sh stop     stop the services it started
#   deploy/run.sh status   show what runs
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
state="$root/.run"
services=("freeze:AssetRecovery.Freeze.Api:5101" "seizure:AssetRecovery.Seizure.Api:5102"
          "restitution:AssetRecovery.Restitution.Api:5103" "victim-claim:AssetRecovery.VictimClaim.Api:5104")

stop_services() {
  local pid_file
  for pid_file in "$state"/*.pid; do
    [ -f "$pid_file" ] || continue
    kill "$(cat "$pid_file")" 2>/dev/null || true
    rm -f "$pid_file"
  done
}

wait_ready() { # name port
  for _ in $(seq 1 120); do
    curl -fs "http://127.0.0.1:$2/health/ready" >/dev/null 2>&1 && return 0
    if ! kill -0 "$(cat "$state/$1.pid")" 2>/dev/null; then
      echo "run: $1 exited; last lines of $state/$1.log:" >&2; tail -n 30 "$state/$1.log" >&2; return 1
    fi
    sleep 0.5
  done
  echo "run: $1 was not ready in 60 s; see $state/$1.log" >&2; return 1
}

# The GC sizes its gen0 budget from the L3 cache the CPU reports: a virtual machine here reports its host's 260 MB, and
# each service then let about 80 MB of garbage gather before a collection (freeze at 277 MB under intake, victim-claim
# at 271 MB under the distribution round; 233 and 222 MB with 32 MB, no slower: docs/benchmarks, finding 27). A fixed
# budget keeps memory the same on any host; only the environment variable sets it (not runtimeconfig.json).
gen0_budget="${DOTNET_GCgen0size:-0x2000000}"

start_service() { # name assembly port
  local dir="$root/services/$1/$2/bin/Release/net10.0"
  # Redirected as a whole so that no descriptor of this script stays open in the service.
  ( cd "$dir" && ASPNETCORE_ENVIRONMENT="${ASPNETCORE_ENVIRONMENT:-Development}" DOTNET_GCgen0size="$gen0_budget" \
      exec nohup dotnet "$2.dll" --urls "http://localhost:$3" ) >"$state/$1.log" 2>&1 </dev/null &
  echo $! >"$state/$1.pid"
}

case "${1:-start}" in
  stop) stop_services; echo "run: services stopped (PostgreSQL and RabbitMQ keep running)"; exit 0 ;;
  status)
    for spec in "${services[@]}"; do IFS=: read -r name _ port <<<"$spec"
      printf '%-13s %s\n' "$name" "$(curl -fs "http://127.0.0.1:$port/health/ready" 2>/dev/null || echo down)"; done
    exit 0 ;;
  start) ;;
  *) echo "usage: deploy/run.sh [start|stop|status]" >&2; exit 2 ;;
esac

cd "$root"
# shellcheck source=deploy/infra.sh
source deploy/infra.sh
infra_up
build/restore.sh
dotnet build AssetRecovery.sln -c Release --no-restore -nologo -clp:ErrorsOnly

mkdir -p "$state"
stop_services
# The first service creates the shared event-store schema; the others follow once it is ready.
IFS=: read -r name assembly port <<<"${services[0]}"
start_service "$name" "$assembly" "$port"; wait_ready "$name" "$port"
for spec in "${services[@]:1}"; do IFS=: read -r name assembly port <<<"$spec"; start_service "$name" "$assembly" "$port"; done
for spec in "${services[@]:1}"; do IFS=: read -r name _ port <<<"$spec"; wait_ready "$name" "$port"; done

echo
echo "AssetRecovery is running (Development). Logs: $state/*.log; stop with deploy/run.sh stop"
for spec in "${services[@]}"; do IFS=: read -r name _ port <<<"$spec"
  printf '  %-13s http://localhost:%s/swagger   health: http://localhost:%s/health/ready\n' "$name" "$port" "$port"; done
echo "  RabbitMQ management: http://localhost:15672 (assetrecovery / assetrecovery)"
echo "  A token: deploy/token.sh BankLiaison"
