#!/usr/bin/env bash
# Benchmarks the whole system on this machine (issue 8) and writes a Markdown report:
#   1. starts it (deploy/run.sh: PostgreSQL and RabbitMQ, restore, Release build, the four services) on a database and
#      vhost of its own, emptied first (BENCH_PG_DB, default assetrecovery_bench; BENCH_RABBIT_VHOST, default
#      assetrecovery-bench): each run starts from the same size, as the same code is slower on a larger database;
#   2. drives it over HTTP with tests/benchmarks/AssetRecovery.LoadBench: intake at a fixed rate and flat out (counted
#      when the freeze saga has each request), one 10,000-row bulk request, a distribution round for 100,000 victims,
#      each service's peak RSS, and in the same run the machine's ceilings (pgbench commits, RabbitMQ with confirms);
#      each phase, the first too, and the round after its order, begins once what was left has drained (queues empty,
#      relays and the case ledger caught up), and the report says how long;
#   3. stops the services it started and runs the tracing benchmark (tests/benchmarks/AssetRecovery.Benchmarks tracing);
#   4. writes the report (docs/benchmarks/latest.md) and puts its summary and the machine in README.md (Benchmarks).
# Not a test: deploy/test.sh does not run it. Takes about 10 minutes on 2 cores.
#   deploy/bench.sh              everything
#   deploy/bench.sh --running    use the services deploy/run.sh already started, on their database (and leave them running)
# Sizes: BENCH_WARMUP_REQUESTS, BENCH_RATE, BENCH_RATE_SECONDS, BENCH_RATE_CLIENTS, BENCH_FLATOUT_REQUESTS, BENCH_FLATOUT_CLIENTS,
# BENCH_BULK_ROWS, BENCH_VICTIMS (see BenchSettings.cs); BENCH_TRACING_ARGS (default "10000 100000 1000000 --rules
# Fifo,ProRata --min-share 1000": the rules the tracing target names, pro rata also with a 10.00 minimum share; "none" to
# skip); BENCH_REPORT (default docs/benchmarks/latest.md);
# BENCH_README=0 leaves README.md alone.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"
report="${BENCH_REPORT:-docs/benchmarks/latest.md}"
bin=bin/Release/net10.0

running=0
[ "${1:-}" = "--running" ] && running=1
[ "$running" = 1 ] || export AR_PG_DB="${BENCH_PG_DB:-assetrecovery_bench}" AR_RABBIT_VHOST="${BENCH_RABBIT_VHOST:-assetrecovery-bench}"
# shellcheck source=deploy/infra.sh
source deploy/infra.sh
infra_up
if [ "$running" = 1 ]; then
  deploy/run.sh status | grep -q down && { echo "bench: a service is down; start them with deploy/run.sh" >&2; exit 1; }
else
  deploy/run.sh stop
  echo "[bench $(date -u +%H:%M:%S)] emptying database $AR_PG_DB and vhost $AR_RABBIT_VHOST" >&2
  as_root su postgres -c "dropdb --if-exists --force $AR_PG_DB"
  as_root rabbitmqctl -q delete_vhost "$AR_RABBIT_VHOST" >/dev/null 2>&1 || true
  deploy/run.sh # its infra_up creates them again
fi

export BENCH_COMMIT="$(git rev-parse --short HEAD 2>/dev/null || echo unknown)$(git diff --quiet HEAD 2>/dev/null || echo ' with local changes')"
dotnet "tests/benchmarks/AssetRecovery.LoadBench/$bin/AssetRecovery.LoadBench.dll" all --report "$report" >/dev/null
# The 100,000 payments of the distribution round are one long transaction in restitution: let it finish before the
# services stop, or the next start (anyone's, on the same vhost) would begin with it.
for _ in $(seq 1 120); do
  pending="$(curl -fs -u "$AR_RABBIT_USER:$AR_RABBIT_PASSWORD" \
    "http://127.0.0.1:15672/api/queues/$AR_RABBIT_VHOST/restitution-round-funding?columns=messages" | sed -n 's/.*"messages":\([0-9]*\).*/\1/p' || true)"
  [ "${pending:-0}" = 0 ] && break
  sleep 5
done
# What the services had not yet consumed when the load ended (a consumer that cannot keep up shows here).
queues="$(curl -fs -u "$AR_RABBIT_USER:$AR_RABBIT_PASSWORD" "http://127.0.0.1:15672/api/queues/$AR_RABBIT_VHOST?columns=name,messages")" || queues=""
undrained="$(echo "$queues" | grep -o '"messages":[1-9][0-9]*,"name":"[^"]*"' |
  sed 's/"messages":\([0-9]*\),"name":"\([^"]*\)"/| \2 | \1 |/' || true)"
{ echo "## Queues not drained when the load ended"; echo
  if [ -z "$queues" ]; then echo "Not known: the RabbitMQ management API did not answer."
  elif [ -n "$undrained" ]; then echo "| queue | messages |"; echo "|---|---:|"; echo "$undrained"
  else echo "None: every queue was empty."; fi
  echo; } >>"$report"
[ "$running" = 0 ] && deploy/run.sh stop

tracing="${BENCH_TRACING_ARGS:-10000 100000 1000000 --rules Fifo,ProRata --min-share 1000}"
if [ "$tracing" != "none" ]; then
  echo "[bench $(date -u +%H:%M:%S)] tracing $tracing" >&2
  # shellcheck disable=SC2086 # separate arguments
  { echo "## Tracing (AssetRecovery.Benchmarks tracing $tracing)"; echo;
    dotnet "tests/benchmarks/AssetRecovery.Benchmarks/$bin/AssetRecovery.Benchmarks.dll" tracing $tracing; echo; } >>"$report"
fi
echo "[bench $(date -u +%H:%M:%S)] report: $report" >&2

# README: the report's first lines (run, machine) and its table against the targets, between the markers.
if [ "${BENCH_README:-1}" = "1" ]; then
  summary="$(mktemp)"
  trap 'rm -f "$summary"' EXIT
  {
    echo "<!-- bench:begin (written by deploy/bench.sh) -->"
    awk 'NR > 1 && /^## / { exit } NR > 2' "$report"
    awk '/^## Against targets/ { on = 1; getline; next } on && /^## / { exit } on' "$report"
    echo "The whole report, with each phase, the ceilings, memory per phase and the tracing benchmark: [$report]($report)."
    echo "<!-- bench:end -->"
  } >"$summary"
  awk -v summary="$summary" '
    /<!-- bench:begin/ { while ((getline line < summary) > 0) print line; skip = 1; next }
    /<!-- bench:end -->/ { skip = 0; next }
    !skip { print }' README.md >README.md.new
  mv README.md.new README.md
  echo "[bench] README.md: Benchmarks updated" >&2
fi
