#!/usr/bin/env bash
# CI: pack the CLI as a .NET tool into a local feed, install it from that feed (into a throwaway tool path, so the
# machine's global tools are untouched) and run `fibquant design` through the installed command.
set -euo pipefail
cd "$(dirname "$0")/.."
export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1 DOTNET_SKIP_FIRST_TIME_EXPERIENCE=1

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
feed="$work/feed"
tools="$work/tools"

dotnet pack src/FibQuant.Cli/FibQuant.Cli.csproj -c Release -o "$feed" >"$work/pack.log" 2>&1 || { tail -n 30 "$work/pack.log"; exit 1; }
version=$(sed -nE 's:.*<Version>([^<]+)</Version>.*:\1:p' Directory.Build.props | head -n 1)
dotnet tool install FibQuant.Cli --version "$version" --tool-path "$tools" --add-source "$feed" >"$work/install.log" 2>&1 \
  || { cat "$work/install.log"; exit 1; }
echo "tool-check: installed $(ls "$feed") as $tools/fibquant"

out=$("$tools/fibquant" design -d 64 -k 2 -n 16 --timing 2>&1) || { echo "$out"; exit 1; }
echo "$out" | grep -E "fingerprint|design time"
echo "$out" | grep -qE "fingerprint 0x[0-9A-F]{16}" || { echo "tool-check: no fingerprint in the output"; exit 1; }
echo "tool-check: passed"
