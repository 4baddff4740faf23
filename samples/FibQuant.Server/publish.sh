#!/usr/bin/env bash
# Publishes the server with NativeAOT into artifacts/server-aot and fails on any trimming/AOT warning.
set -euo pipefail
root="$(cd "$(dirname "$0")/../.." && pwd)"
rid="${RID:-linux-x64}"
log="$root/artifacts/server-publish.log"
mkdir -p "$root/artifacts"
dotnet publish "$root/samples/FibQuant.Server" -c Release -r "$rid" -o "$root/artifacts/server-aot" >"$log" 2>&1 || { tail -n 30 "$log"; exit 1; }
if grep -E "warning (IL|CS|NU|AOT)[0-9]+" "$log"; then
  echo "publish: the NativeAOT publish produced warnings (above)" >&2
  exit 1
fi
echo "publish: $root/artifacts/server-aot/fibquant-server (NativeAOT, 0 warnings)"
