#!/usr/bin/env bash
# Restores the solution. Where the registry lacks Patched.DistributedLock.Core (NU1101), packs the metadata-only
# stand-in (build/distributedlock-standin) into a local feed that Directory.Build.props then adds, and restores again.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
standin="$root/build/distributedlock-standin"
log="$(mktemp)"
if dotnet restore "$root/AssetRecovery.sln" >"$log" 2>&1; then
  cat "$log"; rm -f "$log"; exit 0
fi
if grep -q "NU1101.*Patched.DistributedLock.Core" "$log"; then
  echo "restore: Patched.DistributedLock.Core is missing from the registry; using the metadata-only stand-in (Marten daemon: Solo only)"
  dotnet pack "$standin/Patched.DistributedLock.Core.csproj" --nologo -v quiet -o "$standin/feed" >/dev/null
  rm -f "$log"
  exec dotnet restore "$root/AssetRecovery.sln"
fi
cat "$log"; rm -f "$log"; exit 1
