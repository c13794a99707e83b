#!/usr/bin/env bash
# Restores the solution. Where the registry lacks Patched.DistributedLock.Core (NU1101), packs the metadata-only
# stand-in (build/distributedlock-standin) into a local feed that Directory.Build.props then adds, and restores again.
# Prints one line saying which way it went; the restore output only when it fails.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
standin="$root/build/distributedlock-standin"
log="$(mktemp)"
trap 'rm -f "$log"' EXIT
if dotnet restore "$root/AssetRecovery.sln" >"$log" 2>&1; then
  if [ -f "$standin/feed/Patched.DistributedLock.Core.1.0.11.nupkg" ]; then
    echo "restore: done (with the Patched.DistributedLock.Core stand-in packed earlier; Marten daemon: Solo only)"
  else
    echo "restore: done"
  fi
  exit 0
fi
if grep -q "NU1101.*Patched.DistributedLock.Core" "$log"; then
  echo "restore: the registry lacks Patched.DistributedLock.Core; using the metadata-only stand-in (Marten daemon: Solo only)"
  dotnet pack "$standin/Patched.DistributedLock.Core.csproj" --nologo -v quiet -o "$standin/feed" >"$log" 2>&1 || { cat "$log"; exit 1; }
  if dotnet restore "$root/AssetRecovery.sln" >"$log" 2>&1; then echo "restore: done"; exit 0; fi
fi
cat "$log"
exit 1
