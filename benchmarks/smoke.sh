#!/usr/bin/env bash
# CI smoke run of the benchmark suite: a dry, in-process run of a small subset of every benchmark class.
# Exits non-zero when the build or any benchmark case fails. Takes well under two minutes.
set -euo pipefail
cd "$(dirname "$0")/FibQuant.Benchmarks"
dotnet build -c Release --nologo -v q
timeout 300 dotnet bin/Release/net10.0/FibQuant.Benchmarks.dll --smoke
