-- wrk script: the tasker cycle. Each wrk thread drives exactly one connection
-- (run with -t N -c N) and is one tasker with its own bearer token, so the
-- thread's Lua state is that connection's state:
--
--   POST /api/jobs/{job}/leases      -> 201 (new) or 200 (the live one held), parse the lease id
--   POST /api/leases/{id}/train      -> 201: one cycle done
--   repeat
--
-- With BENCH_NEXT=1 a cycle is one request: the tasker takes a lease once, then submits
-- with ?next=true, and the answer holds the next lease (taken again only if it has none):
--
--   POST /api/leases/{id}/train?next=true   -> 201: one cycle done, parse next.id
--
-- wrk's Lua API gives no connection identity in request()/response(), which is
-- why one connection per thread is the only way to give every connection its
-- own tasker with -c 32 (with -t2 -c32 the 16 connections of a thread would
-- share one state and could not match a response to its tasker).
--
-- Environment:
--   BENCH_TOKENS  file with one bearer token per line (at least as many as threads)
--   BENCH_JOB     the job id; or
--   BENCH_JOBS    several job ids, separated by commas: thread n works on job n of the
--                 list, round robin (32 threads over 8 jobs: 4 taskers per job)
--   BENCH_OUT     optional file: the summary line (JSON) is also written there
--   BENCH_NEXT    1: submit with ?next=true (the summary's kind is then "cycle-next")
--   BENCH_KIND    optional: the summary's kind (e.g. "cycle-multi")
--
-- done() prints one line starting with "BENCH_RESULT " followed by JSON.

local tokens_file = os.getenv("BENCH_TOKENS") or error("BENCH_TOKENS is not set")
local job_list = os.getenv("BENCH_JOBS") or os.getenv("BENCH_JOB") or error("BENCH_JOB or BENCH_JOBS is not set")

-- ---- main state: hand one token and one job to each thread --------------------
local tokens = {}
for line in io.lines(tokens_file) do
    if line ~= "" then tokens[#tokens + 1] = line end
end
local jobs = {}
for id in string.gmatch(job_list, "%d+") do jobs[#jobs + 1] = id end
if #jobs == 0 then error("no job id in '" .. job_list .. "'") end
local threads = {}

function setup(thread)
    local n = #threads + 1
    if n > #tokens then error("more wrk threads than tokens in " .. tokens_file) end
    thread:set("token", tokens[n])
    thread:set("tid", n)
    thread:set("job", jobs[(n - 1) % #jobs + 1])
    threads[n] = thread
end

-- ---- per-thread state (globals of the thread's Lua state) ---------------------
-- token, tid and job: set by setup() above.
lease = nil          -- the lease id held, or nil
pending = nil        -- "take" or "train": what the last request was
cycles = 0           -- successful submits (201)
takes_ok = 0
takes_existing = 0   -- 200: the tasker already held a live lease (after a restart)
no_work = 0          -- 404 on take: the job ran out of tasks for this tasker
repeated = 0         -- 200 on submit: the train had already been stored
other_fail = 0       -- any other non-success
last_error = ""

local take_req, train_body
local next_mode = os.getenv("BENCH_NEXT") == "1"
local train_suffix = next_mode and "/train?next=true" or "/train"

function init(args)
    local headers = {
        ["Authorization"] = "Bearer " .. token,
        ["Content-Type"] = "application/json",
        ["Accept"] = "application/json",
    }
    headers_tbl = headers
    take_req = wrk.format("POST", "/api/jobs/" .. job .. "/leases", headers, "")
    train_body = '{"boxes":[{"x":10,"y":20,"w":100,"h":50,"label":"car"}],"nothingToMark":false}'
end

function request()
    if lease == nil then
        pending = "take"
        return take_req
    end
    pending = "train"
    return wrk.format("POST", "/api/leases/" .. lease .. train_suffix, headers_tbl, train_body)
end

function response(status, headers, body)
    if pending == "take" then
        if status == 201 or status == 200 then
            lease = string.match(body, '"id"%s*:%s*(%d+)')
            if lease == nil then
                other_fail = other_fail + 1
                last_error = "take: no id in " .. string.sub(body, 1, 120)
            elseif status == 201 then
                takes_ok = takes_ok + 1
            else
                takes_existing = takes_existing + 1
            end
        elseif status == 404 then
            no_work = no_work + 1
            last_error = "take 404: " .. string.sub(body, 1, 120)
        else
            other_fail = other_fail + 1
            last_error = "take " .. status .. ": " .. string.sub(body, 1, 120)
        end
    elseif pending == "train" then
        if status == 201 then
            cycles = cycles + 1
        elseif status == 200 then
            -- the same train again (a submit retried after a time-out had gone through)
            repeated = repeated + 1
        else
            other_fail = other_fail + 1
            last_error = "train " .. status .. ": " .. string.sub(body, 1, 120)
        end
        -- with ?next=true the answer holds the next lease ("next": null when none is left)
        lease = next_mode and string.match(body, '"next":{[^}]-"id":(%d+)') or nil
    end
end

local function json_str(s)
    s = tostring(s or "")
    s = s:gsub('\\', '\\\\'):gsub('"', '\\"'):gsub('[%c]', ' ')
    return '"' .. s .. '"'
end

function done(summary, latency, requests)
    local c, t, te, nw, of, rp = 0, 0, 0, 0, 0, 0
    local err = ""
    for _, thread in ipairs(threads) do
        c = c + (thread:get("cycles") or 0)
        t = t + (thread:get("takes_ok") or 0)
        te = te + (thread:get("takes_existing") or 0)
        nw = nw + (thread:get("no_work") or 0)
        of = of + (thread:get("other_fail") or 0)
        rp = rp + (thread:get("repeated") or 0)
        local e = thread:get("last_error")
        if e and e ~= "" then err = e end
    end
    local secs = summary.duration / 1e6
    local e = summary.errors
    local line = string.format(
        '{"kind":"%s","duration_s":%.3f,"requests":%d,"req_per_s":%.1f,"cycles":%d,"cycles_per_s":%.1f,'
        .. '"takes_new":%d,"takes_existing":%d,"no_work":%d,"repeated":%d,"failed":%d,'
        .. '"lat_mean_us":%.0f,"lat_p50_us":%d,"lat_p90_us":%d,"lat_p99_us":%d,"lat_max_us":%d,'
        .. '"err_connect":%d,"err_read":%d,"err_write":%d,"err_status":%d,"err_timeout":%d,"jobs":%d,"last_error":%s}',
        os.getenv("BENCH_KIND") or (next_mode and "cycle-next" or "cycle"), secs, summary.requests,
        summary.requests / secs, c, c / secs,
        t, te, nw, rp, of,
        latency.mean, latency:percentile(50), latency:percentile(90), latency:percentile(99), latency.max,
        e.connect, e.read, e.write, e.status, e.timeout, #jobs, json_str(err))
    io.write("BENCH_RESULT " .. line .. "\n")
    local out = os.getenv("BENCH_OUT")
    if out and out ~= "" then
        local f = io.open(out, "w"); f:write(line .. "\n"); f:close()
    end
end
