#!/usr/bin/env bash
# Installs the real programs the RealPrograms differential suite runs natively and under
# jitexec. Idempotent: apt-get runs only when a tool is missing. The suite fails (never
# skips) when one of these is absent, so CI must call this before `dotnet test`.
set -euo pipefail

# tool -> Debian package that provides it
declare -A pkg=(
  [perl]=perl [python3.11]=python3.11 [gzip]=gzip [bzip2]=bzip2 [xz]=xz-utils [zstd]=zstd
  [tar]=tar [sqlite3]=sqlite3 [jq]=jq [bc]=bc [mawk]=mawk [sed]=sed [grep]=grep
  [factor]=coreutils
)
missing=()
for tool in "${!pkg[@]}"; do
  if [ "$tool" = python3.11 ]; then [ -x /usr/bin/python3.11 ] || missing+=("${pkg[$tool]}"); continue; fi
  command -v "$tool" >/dev/null 2>&1 || missing+=("${pkg[$tool]}")
done
if [ ${#missing[@]} -eq 0 ]; then
  echo "install-test-deps: all test programs present"
  exit 0
fi
echo "install-test-deps: installing ${missing[*]}"
sudo=""
[ "$(id -u)" -eq 0 ] || sudo="sudo"
export DEBIAN_FRONTEND=noninteractive
$sudo apt-get update -qq
$sudo apt-get install -y -qq --no-install-recommends "${missing[@]}"
