#!/usr/bin/env bash
# Load test over loopback. For each KV-cache format (keys and values) in turn: start the server with one fixed memory
# budget (spilling off, so every admitted session is in memory), create sessions with the same ~130-token prompt until
# the server answers 429, then drive generate requests on them with wrk, bounded by DURATION seconds, REQUESTS
# responses per connection and the requests that fit in each session's context. Prints one markdown table row per
# format: sessions admitted, tokens/s, p50/p99 time per token (model forward + sampling, measured by the server),
# errors, peak RSS. Uses the NativeAOT binary from publish.sh (built first when missing) and installs wrk with
# install-loadgen.sh.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
root="$(cd "$here/../.." && pwd)"
budget="${BUDGET_BYTES:-16777216}"
duration="${DURATION:-20}"
connections="${CONNECTIONS:-4}"
requests="${REQUESTS:-400}"
tokens="${TOKENS:-16}"
max_sessions="${MAX_SESSIONS:-2000}"
port="${PORT:-5181}"
server="${SERVER:-$root/artifacts/server-aot/fibquant-server}"
base="http://127.0.0.1:$port"

"$here/install-loadgen.sh"
[ -x "$server" ] || "$here/publish.sh"

work="$(mktemp -d)"
pid=""
cleanup() { [ -n "$pid" ] && kill "$pid" 2>/dev/null; wait 2>/dev/null; rm -rf "$work"; }
trap cleanup EXIT

fp16='{"codec":"fp16"}'
tq2='{"codec":"turboquant","bits":2}'
fq2='{"codec":"fibquant","k":2,"n":16}'
fq1='{"codec":"fibquant","k":4,"n":16}'
# name|keys|values
formats=(
  "fp16|$fp16|$fp16"
  "TurboQuant b=2|$tq2|$tq2"
  "FibQuant b=2 (k=2, N=16)|$fq2|$fq2"
  "FibQuant b=1 (k=4, N=16)|$fq1|$fq1"
  "fp16 keys, FibQuant b=2 values|$fp16|$fq2"
)

# The same prompt for every session (about 130 tokens), so attention spans prompt … 512 tokens in every configuration.
sentence="Once upon a time there was a little girl named Lily. She liked to play in the park with her dog. "
prompt=""
for _ in $(seq 1 "${PROMPT_REPEAT:-6}"); do prompt="$prompt$sentence"; done

# REVERSE=1 runs the formats in the opposite order (on a shared machine, to see how much the order matters).
if [ "${REVERSE:-0}" = 1 ]; then
  reversed=(); for ((i = ${#formats[@]} - 1; i >= 0; i--)); do reversed+=("${formats[i]}"); done; formats=("${reversed[@]}")
fi

metric() { sed -nE "s/.*\"$1\":([0-9.eE+-]+).*/\1/p" <<<"$2"; }

echo "budget $budget bytes; $connections connections; ≤ $requests requests each and ≤ ${duration}s; $tokens tokens per request; $(nproc) cores; load average $(cut -d' ' -f1-3 /proc/loadavg)"
echo
echo "| cache (keys and values) | bytes reserved per session | sessions admitted | tokens/s | p50 ms/token | p99 ms/token | errors (non-2xx besides 429, socket) | 429s | peak RSS MiB |"
echo "|---|---|---|---|---|---|---|---|---|"
for entry in "${formats[@]}"; do
  name="${entry%%|*}"; rest="${entry#*|}"; keys="${rest%%|*}"; values="${rest#*|}"
  "$server" --port "$port" --budget-bytes "$budget" --spill off >"$work/server.log" 2>&1 &
  pid=$!
  for _ in $(seq 1 100); do curl -sf "$base/health" >/dev/null && break; sleep 0.1; done
  curl -sf "$base/health" >/dev/null || { cat "$work/server.log"; exit 1; }

  : >"$work/ids"
  admitted=0; reserved=0; rejected=0
  body="{\"prompt\":\"$prompt\",\"keys\":$keys,\"values\":$values}"
  while [ "$admitted" -lt "$max_sessions" ]; do
    code=$(curl -s -o "$work/created" -w '%{http_code}' -H 'Content-Type: application/json' -d "$body" "$base/sessions")
    if [ "$code" = 429 ]; then rejected=1; break; fi
    [ "$code" = 201 ] || { echo "create answered $code: $(cat "$work/created")" >&2; exit 1; }
    printf '%s\n' "$(sed -nE 's/.*"id":"([0-9a-f]+)".*/\1/p' "$work/created")" >>"$work/ids"
    reserved=$(sed -nE 's/.*"reserved_bytes":([0-9]+).*/\1/p' "$work/created")
    position=$(sed -nE 's/.*"position":([0-9]+).*/\1/p' "$work/created")
    context=$(sed -nE 's/.*"max_context":([0-9]+).*/\1/p' "$work/created")
    admitted=$((admitted + 1))
  done

  streams=$(( admitted < connections ? admitted : connections ))
  per_session=$(( (context - position) / tokens ))  # requests a session can serve before its context is full
  start=$(date +%s.%N)
  timeout $((duration + 30)) wrk -t "$streams" -c "$streams" -d "${duration}s" --timeout 30s -s "$here/loadtest.lua" "$base" \
    -- "$work/ids" "$tokens" "$requests" "$streams" "$per_session" >"$work/wrk.txt" 2>&1 || { cat "$work/wrk.txt"; exit 1; }
  end=$(date +%s.%N)
  summary=$(grep '^LOADTEST' "$work/wrk.txt") || { cat "$work/wrk.txt"; exit 1; }
  metrics=$(curl -sf "$base/metrics")
  rss_kib=$(sed -nE 's/^VmHWM:\s+([0-9]+) kB/\1/p' "/proc/$pid/status")
  kill "$pid"; wait "$pid" 2>/dev/null || true; pid=""

  generated=$(metric tokens_generated "$metrics")
  p50=$(metric p50_ms_per_token "$metrics"); p99=$(metric p99_ms_per_token "$metrics")
  other=$(sed -nE 's/.*other=([0-9]+).*/\1/p' <<<"$summary"); socket=$(sed -nE 's/.*socket_errors=([0-9]+).*/\1/p' <<<"$summary")
  r429=$(sed -nE 's/.*rejected=([0-9]+).*/\1/p' <<<"$summary"); c409=$(sed -nE 's/.*conflicts=([0-9]+).*/\1/p' <<<"$summary")
  [ "$rejected" = 1 ] || echo "note: $name reached MAX_SESSIONS=$max_sessions before a 429" >&2
  awk -v n="$name" -v r="$reserved" -v a="$admitted" -v g="$generated" -v s="$start" -v e="$end" -v p50="$p50" -v p99="$p99" \
      -v o="$((other + socket + c409))" -v q="$r429" -v rss="$rss_kib" \
      'BEGIN { printf "| %s | %d | %d | %.0f | %.3f | %.3f | %d | %d | %.0f |\n", n, r, a, g / (e - s), p50, p99, o, q, rss / 1024 }'
done
echo; echo "load average after: $(cut -d' ' -f1-3 /proc/loadavg)"
