#!/usr/bin/env bash
# Prints a development bearer token: deploy/token.sh ROLE [SUBJECT] [BANK_CODE]
# Signed with the development key (shared/AssetRecovery.ServiceDefaults/Authentication.cs), which only services running
# in Development accept. Refused when ASPNETCORE_ENVIRONMENT / DOTNET_ENVIRONMENT names another environment.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
env_name="${ASPNETCORE_ENVIRONMENT:-${DOTNET_ENVIRONMENT:-Development}}"
if [ "$env_name" != "Development" ]; then
  echo "token.sh: refused: development tokens are for Development only (environment is '$env_name')" >&2
  exit 2
fi
role="${1:-}"
case "$role" in
  BankLiaison|Investigator|Court|Victim) ;;
  *) echo "usage: deploy/token.sh BankLiaison|Investigator|Court|Victim [SUBJECT] [BANK_CODE]" >&2; exit 2 ;;
esac
subject="${2:-dev-$(echo "$role" | tr '[:upper:]' '[:lower:]')}"
bank_code="${3:-}"
source_file="$root/shared/AssetRecovery.ServiceDefaults/Authentication.cs"
const() { sed -n "s/.*public const string $1 = \"\\([^\"]*\\)\";.*/\\1/p" "$source_file"; }
key="$(const SigningKey)"; issuer="$(const Issuer)"; audience="$(const Audience)"

b64url() { openssl base64 -A | tr '+/' '-_' | tr -d '='; }
json_escape() { printf '%s' "$1" | sed 's/\\/\\\\/g; s/"/\\"/g'; }
now="$(date +%s)"
header='{"alg":"HS256","typ":"JWT"}'
payload="{\"sub\":\"$(json_escape "$subject")\",\"name\":\"$(json_escape "$subject")\",\"role\":\"$role\",\"iss\":\"$issuer\",\"aud\":\"$audience\",\"nbf\":$((now - 5)),\"iat\":$now,\"exp\":$((now + 8 * 3600))"
[ -n "$bank_code" ] && payload="$payload,\"bank_code\":\"$(json_escape "$bank_code")\""
payload="$payload}"
unsigned="$(printf '%s' "$header" | b64url).$(printf '%s' "$payload" | b64url)"
signature="$(printf '%s' "$unsigned" | openssl dgst -sha256 -hmac "$key" -binary | b64url)"
printf '%s.%s\n' "$unsigned" "$signature"
