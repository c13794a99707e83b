#!/usr/bin/env bash
# Runs the whole test suite against real PostgreSQL and RabbitMQ: installs and starts them where missing (infra.sh),
# restores (with the Marten stand-in only where needed), builds, tests. Exit code: the tests' result.
# Extra arguments go to `dotnet test` (e.g. --filter FullyQualifiedName~Freeze).
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"
# The suite has browser tests (the victims' portal): infra.sh installs Chromium where it is missing.
export AR_BROWSER_TESTS="${AR_BROWSER_TESTS:-1}"
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

# The console log is long and CI shows only its tail: repeat each failure (name, message, first stack lines) last.
list_failures() {
  local f
  for f in "$results"/*.trx; do
    [ -f "$f" ] || continue
    if command -v python3 >/dev/null; then
      python3 - "$f" <<'PY'
import sys, xml.etree.ElementTree as ET
ns = {"t": "http://microsoft.com/schemas/VisualStudio/TeamTest/2010"}
for r in ET.parse(sys.argv[1]).getroot().iterfind(".//t:UnitTestResult", ns):
    if r.get("outcome") != "Failed":
        continue
    print("FAILED " + r.get("testName", "?"))
    message = r.findtext(".//t:ErrorInfo/t:Message", "", ns).strip()
    stack = r.findtext(".//t:ErrorInfo/t:StackTrace", "", ns).strip().splitlines()
    for line in message.splitlines()[:20] + stack[:8]:
        print("    " + line)
PY
    else
      grep -o 'testName="[^"]*"[^>]*outcome="Failed"' "$f" | sed 's/testName="\([^"]*\)".*/FAILED \1/'
    fi
  done
}
list_failures
summarise_results
exit $status
