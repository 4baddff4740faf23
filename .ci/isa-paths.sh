#!/usr/bin/env bash
# Reruns the determinism tests (golden fingerprints, golden code hashes, and the generated codecs' equivalence with the
# runtime codec: identical codes, decoded vectors, rotations and score tables) on every instruction-set path the JIT can
# take on this machine: the default (Vector512 where AVX-512 exists), AVX-512 off (Vector256), AVX2 off (Vector128)
# and all hardware intrinsics off (scalar). Each run also checks that the setting really switched the widest
# accelerated vector width. Needs a prior `dotnet build tests/FibQuant.Tests -c Release` and
# `dotnet build tests/FibQuant.Generators.Tests -c Release`. Exits non-zero on failure.
set -euo pipefail
cd "$(dirname "$0")/.."

widest_default() {
  # The default path is whatever the CPU offers; the test reports it, so only the forced settings are asserted.
  if grep -qw avx512f /proc/cpuinfo 2>/dev/null; then echo Vector512
  elif grep -qw avx2 /proc/cpuinfo 2>/dev/null; then echo Vector256
  else echo ""; fi
}

run() {
  local label="$1" expect="$2"; shift 2
  echo "=== $label (expect widest accelerated: ${expect:-any}) ==="
  env "$@" FIBQUANT_EXPECT_ISA="$expect" timeout 600 dotnet test tests/FibQuant.Tests -c Release --no-build \
    --filter Category=Determinism --logger "console;verbosity=detailed" &&
  env "$@" FIBQUANT_EXPECT_ISA="$expect" timeout 600 dotnet test tests/FibQuant.Generators.Tests -c Release --no-build \
    --filter Category=Determinism --logger "console;verbosity=normal"
}

status=0
run "default" "$(widest_default)" || status=1
if grep -qw avx512f /proc/cpuinfo 2>/dev/null; then
  run "DOTNET_EnableAVX512=0" Vector256 DOTNET_EnableAVX512=0 || status=1
fi
if grep -qw avx2 /proc/cpuinfo 2>/dev/null; then
  run "DOTNET_EnableAVX2=0" Vector128 DOTNET_EnableAVX2=0 || status=1
fi
run "DOTNET_EnableHWIntrinsic=0" Scalar DOTNET_EnableHWIntrinsic=0 || status=1

if [ "$status" -ne 0 ]; then echo "isa-paths: FAILED" >&2; else echo "isa-paths: all paths give the committed bits"; fi
exit "$status"
