#!/usr/bin/env bash
# Runs the whole test suite against real PostgreSQL and RabbitMQ: installs and starts them where missing (infra.sh),
# restores (with the Marten stand-in only where needed), builds, tests. Exit code: the tests' result.
# Extra arguments go to `dotnet test` (e.g. --filter FullyQualifiedName~Freeze).
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"
# shellcheck source=deploy/infra.sh
source deploy/infra.sh
infra_up

export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1
build/restore.sh
dotnet build AssetRecovery.sln -c Release --no-restore -nologo -clp:ErrorsOnly

results="$root/TestResults"
rm -rf "$results"
status=0
dotnet test AssetRecovery.sln -c Release --no-build --nologo --results-directory "$results" \
  --logger "trx" --logger "console;verbosity=normal" "$@" || status=$?

# One closing line for whoever reads the log: totals over every test project's results.
summarise_results() {
  local passed=0 failed=0 skipped=0 f counters
  for f in "$results"/*.trx; do
    [ -f "$f" ] || continue
    counters="$(grep -o '<Counters [^>]*>' "$f" | head -n1)"
    passed=$((passed + $(sed -n 's/.* passed="\([0-9]*\)".*/\1/p' <<<"$counters")))
    failed=$((failed + $(sed -n 's/.* failed="\([0-9]*\)".*/\1/p' <<<"$counters")))
    skipped=$((skipped + $(sed -n 's/.* notExecuted="\([0-9]*\)".*/\1/p' <<<"$counters")))
  done
  echo "tests: $passed passed, $failed failed, $skipped skipped"
}
summarise_results
exit $status
