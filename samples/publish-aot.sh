#!/usr/bin/env bash
# Packs FibQuant (runtime + generator) into artifacts/packages, publishes the NativeAOT sample against that package,
# fails on any trimming/AOT warning, and runs the native binary.
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
feed="$root/artifacts/packages"
version="0.1.0-local.$(date +%Y%m%d%H%M%S)"
rid="${RID:-linux-x64}"

mkdir -p "$feed"
dotnet pack "$root/src/FibQuant" -c Release -o "$feed" -p:Version="$version"
# A unique version plus a clean cache entry: never resolve a stale FibQuant package.
rm -rf "${NUGET_PACKAGES:-$HOME/.nuget/packages}/fibquant"

log="$root/artifacts/publish-aot.log"
dotnet publish "$root/samples/FibQuant.AotSample" -c Release -r "$rid" -p:FibQuantVersion="$version" \
  -o "$root/artifacts/aot-sample" 2>&1 | tee "$log"
if grep -E "warning (IL|CS|NU)[0-9]+" "$log"; then
  echo "publish-aot: the NativeAOT publish produced warnings (above)" >&2
  exit 1
fi

"$root/artifacts/aot-sample/FibQuant.AotSample"
