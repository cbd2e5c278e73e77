#!/usr/bin/env bash
# The end-to-end perf suite in one command: native vs jitexec vs qemu-x86_64 on whole
# programs. Installs what it needs (gcc, qemu-user from Debian), publishes jitexec when
# its sources changed, then runs perf/Jitexec.PerfSuite. Results: perf/results/.
# Usage: perf/run.sh [--quick] [--reps N] [--only REGEX] [--write-baseline] ...   (--help)
set -euo pipefail
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1
need=()
command -v gcc >/dev/null || need+=(gcc libc6-dev)
command -v qemu-x86_64 >/dev/null || need+=(qemu-user)
if [ ${#need[@]} -gt 0 ]; then
  echo "perf: installing ${need[*]}" >&2
  { apt-get update -qq && apt-get install -y -qq "${need[@]}" >/dev/null; } || echo "perf: could not install ${need[*]} (qemu column will be n/a)" >&2
fi
# Build (or refresh) the published builds exactly as ./jitexec does; benchmarks call them directly.
"$root/jitexec" --version >/dev/null   # both builds: artifacts/jitexec (CoreCLR) and artifacts/jitexec-aot (NativeAOT)
dotnet build "$root/perf/Jitexec.PerfSuite" -c Release --nologo -v quiet >&2
cd "$root"
exec dotnet "$root/perf/Jitexec.PerfSuite/bin/Release/net10.0/Jitexec.PerfSuite.dll" "$@"
