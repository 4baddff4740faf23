-- wrk script: each thread drives its own slice of the admitted sessions (one connection per thread, so no two
-- requests reach one session at once), round robin, with generate requests; it stops after a fixed number of
-- responses, or when each of its sessions has served its share (so no session runs into its context limit).
-- Arguments after "--": sessions file (one id per line), tokens per request, responses per thread, threads,
-- requests per session.
local threads = {}
local next_thread = 0

function setup(thread)
  thread:set("index", next_thread)
  next_thread = next_thread + 1
  table.insert(threads, thread)
end

function init(args)
  local ids = {}
  for line in io.lines(args[1]) do table.insert(ids, line) end
  sessions = {}
  local stride = tonumber(args[4])
  for i = 1, #ids do
    if (i - 1) % stride == index then table.insert(sessions, ids[i]) end
  end
  body = string.format('{"max_tokens":%d,"temperature":0}', tonumber(args[2]))
  limit = math.min(tonumber(args[3]), #sessions * tonumber(args[5]))
  cursor, responses, ok, conflicts, rejected, other = 0, 0, 0, 0, 0, 0
end

function request()
  cursor = cursor % #sessions + 1
  return wrk.format("POST", "/sessions/" .. sessions[cursor] .. "/generate", { ["Content-Type"] = "application/json" }, body)
end

function response(status, headers, body)
  responses = responses + 1
  if status == 200 then ok = ok + 1
  elseif status == 409 then conflicts = conflicts + 1
  elseif status == 429 then rejected = rejected + 1
  else other = other + 1 end
  if responses >= limit then wrk.thread:stop() end
end

function done(summary, latency, requests)
  local totals = { ok = 0, conflicts = 0, rejected = 0, other = 0 }
  for _, thread in ipairs(threads) do
    for key, _ in pairs(totals) do totals[key] = totals[key] + thread:get(key) end
  end
  io.write(string.format("LOADTEST ok=%d conflicts=%d rejected=%d other=%d socket_errors=%d duration_s=%.2f p50_request_ms=%.1f p99_request_ms=%.1f\n",
    totals.ok, totals.conflicts, totals.rejected, totals.other,
    summary.errors.connect + summary.errors.read + summary.errors.write + summary.errors.timeout,
    summary.duration / 1e6, latency:percentile(50) / 1e3, latency:percentile(99) / 1e3))
end
