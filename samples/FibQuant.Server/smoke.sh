#!/usr/bin/env bash
# CI smoke check of the NativeAOT server: publish with zero warnings, then run the native binary on a loopback port and
# exercise every endpoint once (health, create, streamed generate, bad requests, metrics, delete; a session with fp16
# keys and FibQuant values too) and the startup error for a missing model file.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
root="$(cd "$here/../.." && pwd)"
server="$root/artifacts/server-aot/fibquant-server"
port="${PORT:-5183}"
base="http://127.0.0.1:$port"
work="$(mktemp -d)"
pid=""
cleanup() { [ -n "$pid" ] && kill "$pid" 2>/dev/null; wait 2>/dev/null; rm -rf "$work"; }
trap cleanup EXIT
fail() { echo "server smoke: $*" >&2; [ -f "$work/server.log" ] && tail -n 20 "$work/server.log" >&2; exit 1; }

"$here/publish.sh"

# A missing model file is a startup error that names the path.
if "$server" --port "$port" --model "$work/missing.bin" 2>"$work/missing.txt"; then fail "started without a model"; fi
grep -q "$work/missing.bin" "$work/missing.txt" || fail "the missing-model error does not name the path: $(cat "$work/missing.txt")"

"$server" --port "$port" --budget-bytes 8388608 --spill-dir "$work/spill" >"$work/server.log" 2>&1 &
pid=$!
for _ in $(seq 1 100); do curl -sf "$base/health" >/dev/null && break; sleep 0.1; done
curl -sf "$base/health" | grep -q '"head_dimension":64' || fail "/health"

expect() { # expect STATUS METHOD PATH [BODY]
  local code
  code=$(curl -s -o "$work/body" -w '%{http_code}' -X "$2" -H 'Content-Type: application/json' ${4:+-d "$4"} "$base$3")
  [ "$code" = "$1" ] || fail "$2 $3 answered $code, expected $1: $(cat "$work/body")"
}
expect 201 POST /sessions '{"prompt":"Once upon a time","keys":{"codec":"fibquant","k":2,"n":16},"values":{"codec":"turboquant","bits":2},"recent_window":4}'
id=$(sed -nE 's/.*"id":"([0-9a-f]+)".*/\1/p' "$work/body")
expect 200 POST "/sessions/$id/generate" '{"max_tokens":8}'
[ "$(grep -c '^event: token' "$work/body")" = 8 ] || fail "expected 8 token events: $(cat "$work/body")"
grep -q '^event: done' "$work/body" || fail "no done event"
expect 400 POST /sessions '{"prompt":'
expect 400 POST /sessions '{"prompt":"x","keys":{"codec":"zip"}}'
expect 400 POST "/sessions/$id/generate" '{"max_tokens":-1}'
expect 404 POST /sessions/0000/generate '{"max_tokens":1}'
expect 200 GET /metrics
grep -q '"tokens_generated":8,' "$work/body" || fail "/metrics: $(cat "$work/body")"
expect 204 DELETE "/sessions/$id"
expect 404 GET "/sessions/$id"
# Keys and values take their formats independently: fp16 keys with FibQuant values.
expect 201 POST /sessions '{"prompt":"Once upon a time","keys":{"codec":"fp16"},"values":{"codec":"fibquant","k":2,"n":16}}'
id=$(sed -nE 's/.*"id":"([0-9a-f]+)".*/\1/p' "$work/body")
expect 200 POST "/sessions/$id/generate" '{"max_tokens":4}'
[ "$(grep -c '^event: token' "$work/body")" = 4 ] || fail "mixed session: expected 4 token events: $(cat "$work/body")"
expect 204 DELETE "/sessions/$id"
echo "server smoke: passed (NativeAOT binary, 0 publish warnings)"
