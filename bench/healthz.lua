-- wrk script for the stack's bound: GET /healthz through nginx (nginx -> FastCGI
-- worker -> one MariaDB ping). Only reports; the request is wrk's default GET.
-- done() prints one line starting with "BENCH_RESULT " followed by JSON; with
-- BENCH_OUT set, the JSON is also written to that file.

ok_count = 0   -- global: done() reads it with thread:get

function response(status, headers, body)
    if status == 200 then ok_count = ok_count + 1 end
end

local threads = {}
function setup(thread)
    threads[#threads + 1] = thread
end

function done(summary, latency, requests)
    local ok = 0
    for _, thread in ipairs(threads) do ok = ok + (thread:get("ok_count") or 0) end
    local secs = summary.duration / 1e6
    local e = summary.errors
    local line = string.format(
        '{"kind":"healthz","duration_s":%.3f,"requests":%d,"req_per_s":%.1f,"ok":%d,'
        .. '"lat_mean_us":%.0f,"lat_p50_us":%d,"lat_p90_us":%d,"lat_p99_us":%d,"lat_max_us":%d,'
        .. '"err_connect":%d,"err_read":%d,"err_write":%d,"err_status":%d,"err_timeout":%d}',
        secs, summary.requests, summary.requests / secs, ok,
        latency.mean, latency:percentile(50), latency:percentile(90), latency:percentile(99), latency.max,
        e.connect, e.read, e.write, e.status, e.timeout)
    io.write("BENCH_RESULT " .. line .. "\n")
    local out = os.getenv("BENCH_OUT")
    if out and out ~= "" then
        local f = io.open(out, "w"); f:write(line .. "\n"); f:close()
    end
end
