#!/usr/bin/env bash
# CI: the persistent design cache end to end. A scratch project (two [FibQuantCodebook] attributes and the committed
# codebooks/Kv128x4x256.json) is built with `dotnet build` through src/FibQuant/build/FibQuant.targets, then rebuilt:
#   1. the first build designs both attribute codebooks and leaves one cache entry each under obj/;
#   2. a rebuild of the project designs nothing: both codebooks are read from the cache (FQ0017), same fingerprints (the
#      generator itself is not rebuilt: a rebuilt generator starts a fresh cache, see docs/generator.md);
#   3. a corrupted entry is ignored (FQ0018), the codebook is designed again and the entry is repaired;
#   4. an unchanged project then skips CoreCompile (writing the cache does not make the next build compile again);
#   5. with -p:FibQuantDesignCache=false nothing is read from or written to the cache.
# The committed spec file is checked in every build (its fingerprint is printed by the scratch program).
# KEEP_WORK=<folder> builds the scratch project there and keeps it (for debugging).
set -euo pipefail
cd "$(dirname "$0")/.."
root=$(pwd)
export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1 DOTNET_SKIP_FIRST_TIME_EXPERIENCE=1

work=${KEEP_WORK:-$(mktemp -d)}
[ -n "${KEEP_WORK:-}" ] || trap 'rm -rf "$work"' EXIT
mkdir -p "$work/codebooks"
cp codebooks/Kv128x4x256.json "$work/codebooks/"
cat >"$work/CacheCheck.csproj" <<PROJ
<Project Sdk="Microsoft.NET.Sdk">
  <PropertyGroup>
    <OutputType>Exe</OutputType>
    <TargetFramework>net10.0</TargetFramework>
    <Nullable>enable</Nullable>
    <TreatWarningsAsErrors>true</TreatWarningsAsErrors>
    <!-- FQ0017/FQ0018 are informational, which the command line does not print: raised to warnings here to be counted. -->
    <WarningsNotAsErrors>FQ0017;FQ0018</WarningsNotAsErrors>
  </PropertyGroup>
  <ItemGroup>
    <GlobalAnalyzerConfigFiles Include="cache.globalconfig" />
    <ProjectReference Include="$root/src/FibQuant/FibQuant.csproj" />
    <ProjectReference Include="$root/generators/FibQuant.Generators/FibQuant.Generators.csproj" OutputItemType="Analyzer" ReferenceOutputAssembly="false" />
  </ItemGroup>
  <!-- As the FibQuant package imports it (build/ and buildTransitive/). -->
  <Import Project="$root/src/FibQuant/build/FibQuant.targets" />
</Project>
PROJ
printf 'is_global = true\ndotnet_diagnostic.FQ0017.severity = warning\ndotnet_diagnostic.FQ0018.severity = warning\n' >"$work/cache.globalconfig"
cat >"$work/Program.cs" <<'CS'
using FibQuant.Generation;

System.Console.WriteLine($"Pairs 0x{Cache.Check.Pairs.Fingerprint:X16}");
System.Console.WriteLine($"Quads 0x{Cache.Check.Quads.Fingerprint:X16}");
System.Console.WriteLine($"Kv128x4x256 0x{FibQuant.Codebooks.Kv128x4x256.Fingerprint:X16}");

namespace Cache.Check
{
    [FibQuantCodebook(64, 2, 16, Seed = 7)]
    internal static partial class Pairs;

    [FibQuantCodebook(32, 4, 16, Seed = 3, TrainingSamples = 8192, Restarts = 4)]
    internal static partial class Quads;
}
CS

cache="$work/obj/Release/net10.0/fibquant-design-cache"
build() { # $1: log name, rest: extra dotnet build arguments
  local log="$work/$1.log"; shift
  dotnet build "$work/CacheCheck.csproj" -c Release -v:n "$@" >"$log" 2>&1 || { grep -E "error|warn" "$log" | head -n 30; echo "design-cache-check: build failed"; exit 1; }
}
count() { { grep -oE "$1: [^[]*" "$work/$2.log" || true; } | sort -u | wc -l; }   # distinct diagnostics of id $1 in log $2
fail() { echo "design-cache-check: FAILED: $*"; exit 1; }
entries() { find "$cache" -maxdepth 1 -name '*.fqdesign' 2>/dev/null | wc -l; }

build first
[ "$(entries)" -eq 2 ] || fail "expected 2 cache entries after the first build, found $(entries)"
[ "$(count FQ0017 first)" -eq 0 ] || fail "the first build read from an empty cache"
"$work/bin/Release/net10.0/CacheCheck" >"$work/first.out"
grep -q "Kv128x4x256 0x5ACA8BA036BC0724" "$work/first.out" || fail "the committed spec file's codebook has another fingerprint: $(cat "$work/first.out")"
echo "design-cache-check: first build designed 2 codebooks, cache holds $(entries) entries: $(ls "$cache" | tr '\n' ' ')"

build rebuild --no-incremental --no-dependencies
[ "$(count FQ0017 rebuild)" -eq 2 ] || fail "the rebuild read $(count FQ0017 rebuild) of 2 codebooks from the cache"
[ "$(count FQ0018 rebuild)" -eq 0 ] || fail "the rebuild ignored a cache entry"
"$work/bin/Release/net10.0/CacheCheck" >"$work/rebuild.out"
cmp -s "$work/first.out" "$work/rebuild.out" || fail "fingerprints differ after the rebuild"
echo "design-cache-check: rebuild designed nothing: $(grep -oE 'FQ0017: [^[]*' "$work/rebuild.log" | sort -u | head -n 1)"

victim=$(find "$cache" -maxdepth 1 -name '*.fqdesign' | head -n 1)
sed -i '/"table": \[/{n;s/^\( *\)[^,]*,/\10.5,/}' "$victim"   # one table entry changed: the fingerprint no longer verifies
build corrupt --no-incremental --no-dependencies
[ "$(count FQ0018 corrupt)" -eq 1 ] || fail "the corrupted entry was not reported as ignored"
[ "$(count FQ0017 corrupt)" -eq 1 ] || fail "the intact entry was not used"
"$work/bin/Release/net10.0/CacheCheck" >"$work/corrupt.out"
cmp -s "$work/first.out" "$work/corrupt.out" || fail "fingerprints differ after designing around the corrupted entry"
build repaired --no-incremental --no-dependencies
[ "$(count FQ0017 repaired)" -eq 2 ] || fail "the corrupted entry was not repaired"
echo "design-cache-check: corrupted entry ignored (FQ0018), designed again and repaired"
build noop --no-dependencies   # entries are dated 2000-01-01, so writing them leaves the next build nothing to compile
grep -q 'Skipping target "CoreCompile"' "$work/noop.log" || fail "writing the cache made an unchanged project compile again"
echo "design-cache-check: an unchanged project does not compile again"

rm -rf "$cache"
build off --no-incremental --no-dependencies -p:FibQuantDesignCache=false
[ "$(entries)" -eq 0 ] || fail "FibQuantDesignCache=false still wrote the cache"
[ "$(count FQ0017 off)" -eq 0 ] || fail "FibQuantDesignCache=false still read the cache"
"$work/bin/Release/net10.0/CacheCheck" >"$work/off.out"
cmp -s "$work/first.out" "$work/off.out" || fail "fingerprints differ with the cache off"
echo "design-cache-check: FibQuantDesignCache=false reads and writes nothing"
echo "design-cache-check: passed"
