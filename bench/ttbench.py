#!/usr/bin/env python3
"""Helpers of bench/run.sh (standard library only). Not meant to be run by hand.

    ttbench.py setup    --base URL --inst DIR --admin BIN --work DIR
    ttbench.py audit    --inst DIR --admin BIN --out FILE
    ttbench.py takes    --base URL --work DIR [--clients N] [--rounds N]
    ttbench.py cpu      --inst DIR [--wrk-pid PID]          (prints one JSON snapshot)
    ttbench.py rss      --inst DIR --out FILE [--interval S] (samples until killed)
    ttbench.py summary  --work DIR --out FILE

`setup` builds the data set through the JSON API (users, jobs, activation, top-ups) and
SQL (tasks in bulk, the results already handed in, and their money, as the server would
have written it), so that `tasker-admin audit` finds it consistent; `takes` measures
next-task latency at 1,000 and 1,000,000 tasks; `summary` prints the tables from the
JSON files in --work.
"""
import argparse
import concurrent.futures
import datetime
import decimal
import http.client
import json
import os
import random
import signal
import statistics
import subprocess
import sys
import textwrap
import threading
import time
import urllib.parse

PASSWORD = "bench horse 42 battery"
BOUNTY = "0.01"
LABELS = ["car", "person"]

# Shapes of the jobs (see setup()).
CYCLE_TASKS = 20_000          # every task open; resultsPerImage = CYCLE_RPI
# The eight jobs worked at once, 4 taskers each. A tasker does a task once: at a few
# hundred cycles/s per job over the warm-up and the measured window, 4 taskers would run
# out of 2,500 tasks on a fast machine.
MULTI_JOBS = 8
MULTI_TASKS = 5_000
SMALL_TASKS = 1_000
LARGE_TASKS = 1_000_000
FULL_FRACTION = 0.9           # the first 90% of the tasks of the small and large job are full
LATENCY_RPI = 3
VET_FULL_DONE = {"small": 900, "large": 100_000}   # tasks (all full now) the veteran did
VET_OPEN_DONE = 50            # open tasks the veteran did (in both jobs: the scan skips them)
HEAVY_OPEN_DONE = 5_000       # open tasks the "heavy" veteran did in the large job
PAST_TASKERS = 1_000          # who handed in the results of the latency jobs' done tasks


def log(message):
    print(f"==> {message}", file=sys.stderr, flush=True)


# ---- HTTP -------------------------------------------------------------------------

class Client:
    """One keep-alive connection to nginx."""

    def __init__(self, base, token=None):
        url = urllib.parse.urlsplit(base)
        self.host, self.port = url.hostname, url.port or 80
        self.token = token
        self.conn = None

    def request(self, method, path, body=None, token=None, content_type="application/json"):
        headers = {"Accept": "application/json"}
        token = token or self.token
        if token:
            headers["Authorization"] = f"Bearer {token}"
        data = None
        if body is not None:
            data = body if isinstance(body, (bytes, bytearray)) else json.dumps(body).encode()
            headers["Content-Type"] = content_type
        elif method in ("POST", "PUT", "PATCH"):
            headers["Content-Length"] = "0"
        for attempt in (1, 2):
            if self.conn is None:
                self.conn = http.client.HTTPConnection(self.host, self.port, timeout=120)
            try:
                self.conn.request(method, path, body=data, headers=headers)
                response = self.conn.getresponse()
                raw = response.read()
                if response.getheader("Connection", "").lower() == "close":
                    self.conn.close()
                    self.conn = None
                return response.status, raw
            except (http.client.HTTPException, ConnectionError, OSError):
                self.conn.close()
                self.conn = None
                if attempt == 2:
                    raise
        raise AssertionError("unreachable")

    def json(self, method, path, body=None, token=None, expect=(200, 201)):
        status, raw = self.request(method, path, body, token)
        if status not in expect:
            raise RuntimeError(f"{method} {path}: HTTP {status} {raw[:300]!r}")
        return json.loads(raw) if raw else None


def register(base, email, role, screen):
    client = Client(base)
    answer = client.json("POST", "/api/auth/register",
                         {"email": email, "password": PASSWORD, "screenName": screen, "role": role})
    return answer["user"]["id"], answer["token"]


# ---- SQL --------------------------------------------------------------------------

def sql(inst, statements, fetch=False):
    """Runs SQL as root on the instance's socket (scripts/mariadb.sh client)."""
    command = [os.path.join(ROOT, "scripts", "mariadb.sh"), "client", inst, "--batch", "--skip-column-names",
               os.environ.get("TT_DB_NAME", "traintasker")]
    result = subprocess.run(command, input=statements, text=True, capture_output=True)
    if result.returncode != 0:
        raise RuntimeError(f"SQL failed: {result.stderr.strip()}\n{statements[:500]}")
    return result.stdout if fetch else None


def sql_values(inst, statements):
    """The tab-separated fields of the last line the statements print."""
    lines = sql(inst, statements, fetch=True).strip().splitlines()
    return lines[-1].split("\t") if lines else []


def insert_tasks(inst, job_id, count, rpi, full):
    """`count` tasks in one statement from MariaDB's sequence engine. The first `full` are
    done: `rpi` slots opened and `rpi` results counted (give_full_results adds the results
    and pays for them). The others are images of the job whose slots are not paid for yet
    (results_wanted and open_slots 0), as images added to an open job beyond its budget
    are: a top-up (top_up) opens them and moves their bounties into the job's escrow.
    The "sha256" is job id and sequence number (32 bytes, unique per job, ascending: random
    keys would take about five times as long to insert with a small buffer pool)."""
    sql(inst, f"""
        INSERT INTO tasks (job_id, sha256, mime_type, width, height, byte_count, filename,
                           results_wanted, train_count, open_slots)
        SELECT {job_id}, UNHEX(CONCAT(LPAD(HEX({job_id}), 16, '0'), LPAD(HEX(seq), 48, '0'))),
               'image/png', 640, 480, 48213, CONCAT('img', LPAD(seq, 7, '0'), '.png'),
               IF(seq <= {full}, {rpi}, 0), IF(seq <= {full}, {rpi}, 0), 0
        FROM seq_1_to_{count};
    """)


def create_taskers(inst, count, label, like_user):
    """`count` taskers made by SQL, each a user with an account of their own, as
    registering makes them (but without a session); their password hash is `like_user`'s,
    so they could sign in with PASSWORD. Their ids are consecutive: returns the first.
    The ends of both tables are locked while the ids are chosen, so that nothing else can
    take them meanwhile."""
    first = sql_values(inst, f"""
        START TRANSACTION;
        SELECT COALESCE(MAX(id), 0) INTO @account FROM accounts FOR UPDATE;
        SELECT COALESCE(MAX(id), 0) INTO @user FROM users FOR UPDATE;
        INSERT INTO accounts (id, kind) SELECT @account + seq, 'user' FROM seq_1_to_{count};
        INSERT INTO users (id, email, screen_name, password_hash, role, account_id)
        SELECT @user + seq, CONCAT('{label}-', @user + seq, '@example.com'), CONCAT('{label}', seq),
               (SELECT password_hash FROM users WHERE id = {like_user}), 'tasker', @account + seq
          FROM seq_1_to_{count};
        COMMIT;
        SELECT @user + 1;""")
    return int(first[0])


def give_full_results(inst, job_id, rpi, pool_first, pool_size, veteran=None, veteran_done=0):
    """The results of the job's done tasks (train_count > 0, from insert_tasks): `rpi`
    submitted leases and approved results each (nothing to mark, so no boxes), handed in two
    days ago by `pool_size` taskers (ids from `pool_first`; the `rpi` of a task are
    consecutive, so distinct), the veteran being one of them on the first `veteran_done`.

    Their money moves as it would have: the slots' bounties from the requester into the
    job's escrow (as activation does), then, as one settlement of the requester's
    (Settlements), from the escrow to each tasker, one ledger entry per tasker naming it.
    The escrow ends where it started, the slots count as opened and paid (escrowed_slots
    does not count them), and `tasker-admin audit` finds every balance and slot accounted
    for. Each statement is a transaction of its own: a failure fails the setup, whose
    stack is thrown away."""
    vet = veteran or 0
    sql(inst, f"""
        SET @job = {job_id};
        SELECT j.account_id, u.account_id, j.requester_id INTO @escrow, @payer, @requester
          FROM jobs j JOIN users u ON u.id = j.requester_id WHERE j.id = @job;
        SET @handed_in = UTC_TIMESTAMP(6) - INTERVAL 2 DAY, @settled = UTC_TIMESTAMP(6) - INTERVAL 1 DAY;

        SELECT COALESCE(MAX(id), 0) INTO @before FROM leases;
        INSERT INTO leases (task_id, job_id, tasker_id, state, bounty, created_at, expires_at, ended_at)
        SELECT t.id, @job, IF(k.seq = 0 AND t.n <= {veteran_done}, {vet}, {pool_first} + ((t.n - 1) * {rpi} + k.seq) MOD {pool_size}),
               'submitted', j.bounty, @handed_in - INTERVAL 5 MINUTE, @handed_in + INTERVAL 5 MINUTE, @handed_in
          FROM (SELECT id, ROW_NUMBER() OVER (ORDER BY id) AS n FROM tasks WHERE job_id = @job AND train_count > 0) t
          JOIN seq_0_to_{rpi - 1} k JOIN jobs j ON j.id = @job
         ORDER BY t.id, k.seq;

        INSERT INTO settlements (job_id, action, decided_by, result_count, amount, created_at)
        VALUES (@job, 'approve', @requester, 0, 0, @settled);
        SET @settlement = LAST_INSERT_ID();
        -- The leases just inserted, in the order of their ids (nothing else makes leases
        -- during the setup).
        INSERT INTO trains (lease_id, task_id, job_id, tasker_id, nothing_to_mark, coordinate_space, bounty,
                            created_at, state, settled_at, settlement_id)
        SELECT l.id, l.task_id, l.job_id, l.tasker_id, 1, 'image', l.bounty, l.ended_at, 'approved', @settled, @settlement
          FROM leases l WHERE l.id > @before;
        SELECT COUNT(*), COALESCE(SUM(bounty), 0) INTO @n, @amount FROM trains WHERE settlement_id = @settlement;
        UPDATE settlements SET result_count = @n, amount = @amount WHERE id = @settlement;

        UPDATE accounts SET balance = balance - @amount WHERE id = @payer;
        INSERT INTO ledger_entries (kind, amount, from_account, to_account, job_id, created_at)
        VALUES ('escrow', @amount, @payer, @escrow, @job, @handed_in - INTERVAL 1 DAY);
        UPDATE accounts a
          JOIN (SELECT u.account_id, SUM(r.bounty) AS earned FROM trains r JOIN users u ON u.id = r.tasker_id
                 WHERE r.settlement_id = @settlement GROUP BY u.account_id) p ON p.account_id = a.id
           SET a.balance = a.balance + p.earned;
        INSERT INTO ledger_entries (kind, amount, from_account, to_account, job_id, settlement_id, created_at)
        SELECT 'bounty', SUM(r.bounty), @escrow, u.account_id, @job, @settlement, @settled
          FROM trains r JOIN users u ON u.id = r.tasker_id
         WHERE r.settlement_id = @settlement GROUP BY u.account_id;
    """)


def mark_assessed(inst):
    """The results written by SQL count as assessed, as the worker's quality thread would
    have assessed them when they came: the housekeeper's round starts after them instead
    of working through them during the measurements."""
    sql(inst, """
        INSERT INTO housekeeping_cursors (name, last_id) SELECT 'quality', COALESCE(MAX(id), 0) FROM trains
        ON DUPLICATE KEY UPDATE last_id = GREATEST(last_id, VALUES(last_id));""")


def give_history(inst, job_id, tasker_id, open_done):
    """A tasker's work on the first `open_done` open tasks of the job (after the top-up):
    a submitted lease and a result pending review each (handed in a day ago: the job's
    review window of 72 hours keeps them pending through the run). The task counts the
    result in place of an open slot; the escrow keeps holding its bounty until review."""
    sql(inst, f"""
        SET @handed_in = UTC_TIMESTAMP(6) - INTERVAL 1 DAY;
        CREATE TEMPORARY TABLE done_open AS
          SELECT t.id FROM tasks t WHERE t.job_id = {job_id} AND t.is_open = 1 ORDER BY t.id LIMIT {open_done};
        INSERT INTO leases (task_id, job_id, tasker_id, state, bounty, created_at, expires_at, ended_at)
        SELECT d.id, {job_id}, {tasker_id}, 'submitted', j.bounty, @handed_in - INTERVAL 5 MINUTE,
               @handed_in + INTERVAL 5 MINUTE, @handed_in
          FROM done_open d JOIN jobs j ON j.id = {job_id};
        INSERT INTO trains (lease_id, task_id, job_id, tasker_id, nothing_to_mark, coordinate_space, bounty, created_at)
        SELECT l.id, l.task_id, l.job_id, l.tasker_id, 1, 'image', l.bounty, l.ended_at
          FROM done_open d JOIN leases l ON l.task_id = d.id AND l.tasker_id = {tasker_id};
        UPDATE tasks t JOIN done_open d ON d.id = t.id
           SET t.train_count = t.train_count + 1, t.open_slots = t.open_slots - 1;
        DROP TEMPORARY TABLE done_open;""")


def slot_cost(tasks, rpi):
    """What `tasks` images x `rpi` results cost at BOUNTY, as the JSON money string."""
    return f"{decimal.Decimal(BOUNTY) * tasks * rpi:.2f}"


def make_job(requester, name, rpi, budget, **fields):
    """A job made and activated through the API while it has no image: activation opens
    no slot and moves no money. `budget` is the most its bounties may cost, all images
    counted (those done before too): a top-up opens slots only as far as
    floor(budget / bounty) - (slots opened so far) allows."""
    job = requester.json("POST", "/api/jobs", {
        "name": name, "title": f"Bench {name}", "description": "bench/run.sh",
        "instructions": "Draw one box per car.", "labels": LABELS, "bounty": BOUNTY,
        "budget": budget, "resultsPerImage": rpi, **fields})
    requester.json("POST", f"/api/jobs/{job['id']}/activate")
    return job["id"]


def top_up(requester, job_id, expect_slots):
    """POST /api/jobs/{id}/top-up: opens the slots of the job's unfunded images (the budget
    already covers them), charging the requester's balance and moving the bounties into
    the job's escrow, as for images added to an open job; checks it opened `expect_slots`."""
    answer = requester.json("POST", f"/api/jobs/{job_id}/top-up", {"amount": "0.00"})
    if answer["slotsOpened"] != expect_slots:
        raise RuntimeError(f"the top-up of job {job_id} opened {answer['slotsOpened']} slots, not {expect_slots}")
    return answer


def audit(admin, inst):
    """`tasker-admin audit` on the instance: (passed, seconds, its first lines)."""
    t0 = time.time()
    run = subprocess.run([admin, "--config", os.path.join(inst, "config.json"), "audit"],
                         capture_output=True, text=True)
    lines = (run.stdout + run.stderr).strip().splitlines()
    return {"passed": run.returncode == 0, "seconds": round(time.time() - t0, 1),
            "problems": 0 if run.returncode == 0 else len(lines), "first_lines": lines[:5]}


# ---- setup ------------------------------------------------------------------------

def cmd_setup(args):
    base, inst, work = args.base, args.inst, args.work
    os.makedirs(work, exist_ok=True)
    config = os.path.join(inst, "config.json")
    started = time.time()
    nonce = f"{int(started)}"

    log("registering the requester")
    req_email = f"bench-requester-{nonce}@example.com"
    req_id, req_token = register(base, req_email, "requester", "benchreq")
    run = subprocess.run([args.admin, "--config", config, "credit", req_email, "10000000.00", "--memo", "bench"],
                         capture_output=True, text=True)
    if run.returncode != 0:
        raise RuntimeError(f"tasker-admin credit failed: {run.stdout} {run.stderr}")
    requester = Client(base, req_token)

    # Every job's budget pays for all its slots and no more. The cycle in one request and
    # the eight jobs get jobs of their own, so that every cycle scenario starts from the
    # same state (the longer taskers work on a job, the more open tasks they have done and
    # skip on every assignment).
    rpi = args.cycle_rpi
    cycle_job = make_job(requester, f"cycle-{nonce}", rpi, slot_cost(CYCLE_TASKS, rpi))
    cycle_next_job = make_job(requester, f"cycle-next-{nonce}", rpi, slot_cost(CYCLE_TASKS, rpi))
    multi_jobs = [make_job(requester, f"cycle-multi-{i}-{nonce}", rpi, slot_cost(MULTI_TASKS, rpi))
                  for i in range(MULTI_JOBS)]
    small_job = make_job(requester, f"tasks-1k-{nonce}", LATENCY_RPI, slot_cost(SMALL_TASKS, LATENCY_RPI))
    large_job = make_job(requester, f"tasks-1m-{nonce}", LATENCY_RPI, slot_cost(LARGE_TASKS, LATENCY_RPI))

    # At most 4 at a time: with fastcgi_keep_conn on, each kept FastCGI connection pins one
    # of the worker's threads, and more concurrent requests than threads can stall for
    # fastcgi_read_timeout (60 s); 4 clients over 2 nginx workers stay within 8 threads.
    log(f"registering {args.taskers} taskers and 2 veterans (4 at a time)")
    t0 = time.time()
    emails = [(f"bench-tasker-{i:03d}-{nonce}@example.com", f"tasker{i:03d}") for i in range(args.taskers)]
    emails += [(f"bench-veteran-{nonce}@example.com", "veteran"), (f"bench-heavy-{nonce}@example.com", "heavy")]
    with concurrent.futures.ThreadPoolExecutor(max_workers=4) as pool:
        users = list(pool.map(lambda e: register(base, e[0], "tasker", e[1]), emails))
    taskers, (vet_id, vet_token), (heavy_id, heavy_token) = users[:-2], users[-2], users[-1]
    log(f"creating {PAST_TASKERS} taskers by SQL (the results of the latency jobs' done tasks are theirs)")
    past_first = create_taskers(inst, PAST_TASKERS, f"past{nonce}-", vet_id)
    register_secs = time.time() - t0

    small_full, large_full = int(SMALL_TASKS * FULL_FRACTION), int(LARGE_TASKS * FULL_FRACTION)
    log(f"inserting tasks by SQL: {CYCLE_TASKS:,} (cycle jobs {cycle_job}, {cycle_next_job}), "
        f"{MULTI_TASKS:,} each (jobs {multi_jobs[0]}-{multi_jobs[-1]}), {SMALL_TASKS:,} (job {small_job}), "
        f"{LARGE_TASKS:,} (job {large_job}; the first {small_full:,} and {large_full:,} done)")
    t0 = time.time()
    cycle_jobs = [(cycle_job, CYCLE_TASKS), (cycle_next_job, CYCLE_TASKS)] + [(j, MULTI_TASKS) for j in multi_jobs]
    for job, tasks in cycle_jobs:
        insert_tasks(inst, job, tasks, rpi, 0)
    insert_tasks(inst, small_job, SMALL_TASKS, LATENCY_RPI, small_full)
    insert_tasks(inst, large_job, LARGE_TASKS, LATENCY_RPI, large_full)
    insert_secs = time.time() - t0
    log(f"  {insert_secs:.1f}s")

    # The done tasks' results are written out, not only counted on their tasks, so that
    # `tasker-admin audit` finds the data consistent: 2.7 million leases and results, most
    # of the setup's time (about three minutes on two cores).
    log(f"the done tasks' results by SQL: {small_full * LATENCY_RPI:,} and {large_full * LATENCY_RPI:,} approved "
        "and paid, the veteran's among them")
    t0 = time.time()
    give_full_results(inst, small_job, LATENCY_RPI, past_first, PAST_TASKERS, vet_id, VET_FULL_DONE["small"])
    give_full_results(inst, large_job, LATENCY_RPI, past_first, PAST_TASKERS, vet_id, VET_FULL_DONE["large"])
    results_secs = time.time() - t0
    log(f"  {results_secs:.1f}s")

    log("top-ups through the API: every open image's slots paid into its job's escrow")
    t0 = time.time()
    for job, tasks in cycle_jobs:
        top_up(requester, job, tasks * rpi)
    top_up(requester, small_job, (SMALL_TASKS - small_full) * LATENCY_RPI)
    top_up(requester, large_job, (LARGE_TASKS - large_full) * LATENCY_RPI)
    top_up_secs = time.time() - t0
    log(f"  {top_up_secs:.1f}s")

    log("giving the veterans their pending results on open tasks")
    t0 = time.time()
    give_history(inst, small_job, vet_id, VET_OPEN_DONE)
    give_history(inst, large_job, vet_id, VET_OPEN_DONE)
    give_history(inst, large_job, heavy_id, HEAVY_OPEN_DONE)
    mark_assessed(inst)
    sql(inst, "ANALYZE TABLE tasks, leases, trains, accounts, users, sessions, ledger_entries;")
    history_secs = time.time() - t0

    counts = sql(inst, f"""
        SELECT j.id, COUNT(*), SUM(t.is_open), SUM(t.open_slots), j.escrowed_slots, a.balance
          FROM jobs j JOIN tasks t ON t.job_id = j.id JOIN accounts a ON a.id = j.account_id
         WHERE j.id IN ({cycle_job}, {cycle_next_job}, {multi_jobs[0]}, {small_job}, {large_job})
         GROUP BY j.id ORDER BY j.id;
        SELECT COUNT(*) FROM leases;""", fetch=True)
    log("per job (job, tasks, open tasks, open slots, escrowed slots, escrow) and leases:\n" + counts.strip())

    with open(os.path.join(work, "tokens.txt"), "w") as f:
        f.write("\n".join(token for _, token in taskers) + "\n")
    state = {
        "cycle_job": cycle_job, "cycle_next_job": cycle_next_job, "multi_jobs": multi_jobs,
        "small_job": small_job, "large_job": large_job,
        "cycle_rpi": rpi, "cycle_tasks": CYCLE_TASKS, "multi_tasks": MULTI_TASKS,
        "small_tasks": SMALL_TASKS, "large_tasks": LARGE_TASKS, "full_fraction": FULL_FRACTION,
        "latency_rpi": LATENCY_RPI, "requester": {"id": req_id, "email": req_email},
        "taskers": [{"id": i, "token": t} for i, t in taskers],
        "past_taskers": {"first": past_first, "count": PAST_TASKERS},
        "veteran": {"id": vet_id, "token": vet_token, "full_done": VET_FULL_DONE, "open_done": VET_OPEN_DONE},
        "heavy": {"id": heavy_id, "token": heavy_token, "open_done": HEAVY_OPEN_DONE},
        "setup_secs": {"register": round(register_secs, 1), "insert": round(insert_secs, 1),
                       "results": round(results_secs, 1), "top_up": round(top_up_secs, 1),
                       "history": round(history_secs, 1), "total": round(time.time() - started, 1)},
    }
    with open(os.path.join(work, "state.json"), "w") as f:
        json.dump(state, f, indent=1)
    log(f"setup done in {time.time() - started:.1f}s")


def cmd_audit(args):
    """Runs `tasker-admin audit` and writes what it found (JSON) to --out."""
    result = audit(args.admin, args.inst)
    with open(args.out, "w") as f:
        json.dump(result, f, indent=1)
    log(f"audit {'passed' if result['passed'] else 'FAILED'} in {result['seconds']}s"
        + ("" if result["passed"] else ": " + "; ".join(result["first_lines"][:3])))


# ---- next-task latency ------------------------------------------------------------

def take_and_release(client, job_id, token):
    """Times POST /api/jobs/{job}/leases (request sent to response read); then gives the
    lease back (DELETE, not timed) so that the next take is a new assignment."""
    t0 = time.perf_counter()
    status, raw = client.request("POST", f"/api/jobs/{job_id}/leases", token=token)
    elapsed = time.perf_counter() - t0
    lease = None
    if status in (200, 201):
        lease = json.loads(raw)["id"]
        client.request("DELETE", f"/api/leases/{lease}", token=token)
    return elapsed, status, raw[:200]


def percentile(values, p):
    if not values:
        return None
    values = sorted(values)
    k = (len(values) - 1) * p / 100.0
    lo, hi = int(k), min(int(k) + 1, len(values) - 1)
    return values[lo] + (values[hi] - values[lo]) * (k - lo)


def describe(samples):
    ms = [s * 1000.0 for s in samples]
    return {"n": len(ms), "median_ms": percentile(ms, 50), "p90_ms": percentile(ms, 90),
            "p99_ms": percentile(ms, 99), "mean_ms": statistics.fmean(ms) if ms else None,
            "max_ms": max(ms) if ms else None}


def cmd_takes(args):
    with open(os.path.join(args.work, "state.json")) as f:
        state = json.load(f)
    jobs = {"1k": state["small_job"], "1m": state["large_job"]}
    taskers = state["taskers"]
    samples = {"1k": [], "1m": []}
    failures = []
    lock = threading.Lock()

    # Warm-up: a few takes on each job (prepared statements, buffer pool), not counted.
    warm = Client(args.base)
    for job in jobs.values():
        for t in taskers[:2]:
            take_and_release(warm, job, t["token"])

    # Fresh taskers, `clients` at a time, the 1k and 1M job interleaved (alternating
    # which goes first), so that any drift in machine load hits both alike.
    groups = [taskers[i::args.clients] for i in range(args.clients)]

    def drive(group, seed):
        client = Client(args.base)
        rng = random.Random(seed)
        for rnd in range(args.rounds):
            for tasker in group:
                order = ["1k", "1m"] if rng.random() < 0.5 else ["1m", "1k"]
                for key in order:
                    elapsed, status, body = take_and_release(client, jobs[key], tasker["token"])
                    with lock:
                        if status == 201:
                            samples[key].append(elapsed)
                        else:
                            failures.append(f"{key} {status} {body!r}")

    t0 = time.time()
    threads = [threading.Thread(target=drive, args=(g, i)) for i, g in enumerate(groups)]
    for th in threads:
        th.start()
    for th in threads:
        th.join()
    fresh_secs = time.time() - t0

    # The veteran (same history size in both jobs) and the heavy veteran, one at a time.
    vet = {"1k": [], "1m": []}
    client = Client(args.base)
    for rnd in range(args.vet_rounds):
        for key in (["1k", "1m"] if rnd % 2 == 0 else ["1m", "1k"]):
            elapsed, status, body = take_and_release(client, jobs[key], state["veteran"]["token"])
            if status == 201:
                vet[key].append(elapsed)
            else:
                failures.append(f"veteran {key} {status} {body!r}")
    heavy = []
    for rnd in range(args.vet_rounds):
        elapsed, status, body = take_and_release(client, jobs["1m"], state["heavy"]["token"])
        if status == 201:
            heavy.append(elapsed)
        else:
            failures.append(f"heavy 1m {status} {body!r}")

    result = {
        "clients": args.clients, "rounds": args.rounds, "fresh_secs": round(fresh_secs, 1),
        "fresh": {k: describe(v) for k, v in samples.items()},
        "veteran": {k: describe(v) for k, v in vet.items()},
        "heavy_1m": describe(heavy),
        "failures": len(failures), "failure_examples": failures[:5],
    }
    for group in ("fresh", "veteran"):
        a, b = result[group]["1k"], result[group]["1m"]
        result[group]["ratio_median"] = (b["median_ms"] / a["median_ms"]) if a["median_ms"] and b["median_ms"] else None
        result[group]["ratio_p99"] = (b["p99_ms"] / a["p99_ms"]) if a["p99_ms"] and b["p99_ms"] else None
    with open(os.path.join(args.work, "takes.json"), "w") as f:
        json.dump(result, f, indent=1)
    log(f"next-task latency: fresh 1k median {result['fresh']['1k']['median_ms']:.2f} ms, "
        f"1M median {result['fresh']['1m']['median_ms']:.2f} ms ({fresh_secs:.1f}s, {len(failures)} failures)")


# ---- process accounting -----------------------------------------------------------

CLK = os.sysconf("SC_CLK_TCK")


def read_pid(path):
    try:
        with open(path) as f:
            text = "".join(ch for ch in f.read() if ch.isdigit())
        return int(text) if text else None
    except OSError:
        return None


def proc_stat(pid):
    """(comm, ppid, utime+stime ticks) of a process, or None."""
    try:
        with open(f"/proc/{pid}/stat") as f:
            data = f.read()
    except OSError:
        return None
    comm = data[data.index("(") + 1:data.rindex(")")]
    fields = data[data.rindex(")") + 2:].split()
    return comm, int(fields[1]), int(fields[11]) + int(fields[12])


def children(ppid):
    out = []
    for name in os.listdir("/proc"):
        if name.isdigit():
            st = proc_stat(int(name))
            if st and st[1] == ppid:
                out.append(int(name))
    return out


def cpu_snapshot(inst, wrk_pid=None):
    groups = {}
    worker = read_pid(os.path.join(inst, "run", "tasker.pid"))
    mysqld = read_pid(os.path.join(inst, "run", "mysqld.pid"))
    nginx = read_pid(os.path.join(inst, "run", "nginx.pid"))
    for name, pids in (("tasker-fcgi", [worker]), ("mariadbd", [mysqld]),
                       ("nginx", ([nginx] + children(nginx)) if nginx else []),
                       ("wrk", [wrk_pid] if wrk_pid else [])):
        ticks = 0
        for pid in pids:
            st = proc_stat(pid) if pid else None
            if st:
                ticks += st[2]
        groups[name] = ticks
    with open("/proc/stat") as f:
        cpu = [int(x) for x in f.readline().split()[1:]]
    idle = cpu[3] + cpu[4]
    return {"time": time.monotonic(), "groups": groups, "busy": sum(cpu[:8]) - idle, "all": sum(cpu[:8])}


def cmd_cpu(args):
    print(json.dumps(cpu_snapshot(args.inst, args.wrk_pid)))


def cpu_between(a, b):
    """CPU use between two snapshots, in % of one core, per group; plus the whole
    machine's busy share and what processes outside the stack and wrk used."""
    secs = b["time"] - a["time"]
    if secs <= 0:
        return None
    out = {name: 100.0 * (b["groups"][name] - a["groups"][name]) / CLK / secs for name in a["groups"]}
    busy = 100.0 * (b["busy"] - a["busy"]) / CLK / secs
    out["machine_busy"] = busy
    out["others"] = max(0.0, busy - sum(out[n] for n in a["groups"]))
    out["cores"] = os.cpu_count()
    out["secs"] = secs
    return out


def cmd_rss(args):
    """Appends "unix_time rss_kB" lines for tasker-fcgi every --interval s until SIGTERM."""
    stop = threading.Event()
    signal.signal(signal.SIGTERM, lambda *_: stop.set())
    pidfile = os.path.join(args.inst, "run", "tasker.pid")
    with open(args.out, "a") as out:
        while not stop.is_set():
            pid = read_pid(pidfile)
            rss = None
            if pid:
                try:
                    with open(f"/proc/{pid}/status") as f:
                        for line in f:
                            if line.startswith("VmRSS:"):
                                rss = int(line.split()[1])
                                break
                except OSError:
                    pass
            if rss is not None:
                out.write(f"{time.time():.3f} {rss}\n")
                out.flush()
            stop.wait(args.interval)


# ---- database diagnostics ---------------------------------------------------------

DB_STATUS = ("Innodb_row_lock_waits", "Innodb_row_lock_time", "Com_commit", "Com_rollback", "Questions", "Queries",
             "Innodb_deadlocks", "Handler_read_next", "Innodb_rows_read", "Innodb_rows_inserted",
             "Innodb_rows_updated")


def cmd_dbstat(args):
    names = ", ".join(f"'{n}'" for n in DB_STATUS)
    out = sql(args.inst, f"SHOW GLOBAL STATUS WHERE Variable_name IN ({names});", fetch=True)
    values = {}
    for line in out.splitlines():
        name, _, value = line.partition("\t")
        try:
            values[name] = int(value)
        except ValueError:
            pass
    values["time"] = time.monotonic()
    print(json.dumps(values))


def write_out_dirty_pages(inst, pages=200, timeout=180):
    """Lets InnoDB write out what a bulk insert left in memory (dirty pages of a million
    inserted tasks) before anything is measured, so that its background flushing does
    not land in one measured window and not in another. Returns what it waited for."""
    def status(name):
        out = sql(inst, f"SHOW GLOBAL STATUS LIKE '{name}';", fetch=True)
        return int(out.split()[-1]) if out.strip() else 0

    old = sql(inst, "SELECT @@GLOBAL.innodb_max_dirty_pages_pct, @@GLOBAL.innodb_max_dirty_pages_pct_lwm;",
              fetch=True).split()
    start = time.monotonic()
    before = status("Innodb_buffer_pool_pages_dirty")
    sql(inst, "SET GLOBAL innodb_max_dirty_pages_pct_lwm = 0, innodb_max_dirty_pages_pct = 0;")
    try:
        dirty = before
        while dirty > pages and time.monotonic() - start < timeout:
            time.sleep(1)
            dirty = status("Innodb_buffer_pool_pages_dirty")
    finally:
        sql(inst, f"SET GLOBAL innodb_max_dirty_pages_pct = {old[0]}, innodb_max_dirty_pages_pct_lwm = {old[1]};")
    return {"dirty_pages_before": before, "dirty_pages_after": dirty, "seconds": round(time.monotonic() - start, 1)}


def cmd_settle(args):
    """write_out_dirty_pages, printed as JSON."""
    print(json.dumps(write_out_dirty_pages(args.inst, args.pages, args.timeout)))


def cmd_lockwaits(args):
    """Samples the lock requests that wait (INNODB_LOCK_WAITS) every --interval s for
    --duration s; writes how often each (table, index, mode, row) was waited for."""
    counts, trx_total, waiting_total, samples = {}, 0, 0, 0
    deadline = time.monotonic() + args.duration
    while time.monotonic() < deadline:
        out = sql(args.inst, """
            SELECT 'W', l.lock_table, l.lock_index, l.lock_mode, l.lock_data, COUNT(*)
            FROM information_schema.INNODB_LOCK_WAITS w
            JOIN information_schema.INNODB_LOCKS l ON l.lock_id = w.requested_lock_id
            GROUP BY 2, 3, 4, 5;
            SELECT 'T', COUNT(*), COALESCE(SUM(trx_state = 'LOCK WAIT'), 0) FROM information_schema.INNODB_TRX;
            """, fetch=True)
        samples += 1
        for line in out.splitlines():
            f = line.split("\t")
            if f[0] == "W":
                key = f"{f[1].replace('`', '')} {f[2]} {f[3]} row {f[4]}"
                counts[key] = counts.get(key, 0) + int(f[5])
            elif f[0] == "T":
                trx_total += int(f[1])
                waiting_total += int(f[2])
        time.sleep(args.interval)
    result = {"samples": samples, "waits": dict(sorted(counts.items(), key=lambda kv: -kv[1])),
              "avg_open_trx": trx_total / samples if samples else None,
              "avg_waiting_trx": waiting_total / samples if samples else None}
    if args.job:
        account = sql(args.inst, f"SELECT account_id FROM jobs WHERE id = {int(args.job)};", fetch=True).strip()
        result["job"], result["job_account"] = int(args.job), int(account) if account else None
    with open(args.out, "w") as f:
        json.dump(result, f, indent=1)


# The candidate query of the procedure tasker_cycle (sql/routines/tasker_cycle.sql): first
# above the highest task the tasker has had in the job ({after}), then, when nothing is
# there, over the whole job ({after} = 0).
CANDIDATE_SQL = """SELECT t.id, t.width, t.height FROM tasks t
    WHERE t.job_id = {job} AND t.is_open = 1 AND t.id > {after}
      AND NOT EXISTS (SELECT 1 FROM leases l WHERE l.task_id = t.id AND l.tasker_id = {tasker})
    ORDER BY t.id LIMIT 1
    FOR UPDATE SKIP LOCKED"""


def cmd_explain(args):
    """EXPLAIN of the assignment query (sql/routines/tasker_cycle.sql) for a fresh
    tasker, the veteran and the heavy veteran on both latency jobs, and its run time
    through a server-side prepared statement (as the worker runs it: READ COMMITTED,
    optimizer_switch exists_to_in=off)."""
    with open(os.path.join(args.work, "state.json")) as f:
        state = json.load(f)
    who = {"fresh": state["taskers"][0]["id"], "veteran": state["veteran"]["id"], "heavy": state["heavy"]["id"]}
    result = {}
    for name, tasker in who.items():
        for key, job in (("1k", state["small_job"]), ("1m", state["large_job"])):
            place = sql(args.inst, f"SELECT 'AFTER', COALESCE(MAX(task_id), 0) FROM leases "
                                   f"WHERE tasker_id = {tasker} AND job_id = {job};", fetch=True)
            ahead = int(next(line.split("\t")[1] for line in place.splitlines() if line.startswith("AFTER")))
            for scope, after in (("ahead", ahead), ("whole job", 0)):
                query = CANDIDATE_SQL.format(job=job, tasker=tasker, after=after)
                # The worker's sessions run with exists_to_in=off (Sources/MariaStore/Core/Connection.swift).
                session = "SET SESSION optimizer_switch = 'exists_to_in=off'; "
                plan = sql(args.inst, session + "EXPLAIN " + query + ";", fetch=True).strip().splitlines()
                prepared = CANDIDATE_SQL.format(job="?", tasker="?", after="?")
                timing = sql(args.inst, f"""
                    SET SESSION tx_isolation = 'READ-COMMITTED';
                    SET SESSION optimizer_switch = 'exists_to_in=off';
                    PREPARE s FROM '{prepared}';
                    SET @j = {job}, @a = {after}, @u = {tasker};
                    START TRANSACTION; EXECUTE s USING @j, @a, @u; ROLLBACK;
                    SET @t0 = NOW(6);
                    START TRANSACTION; EXECUTE s USING @j, @a, @u; ROLLBACK;
                    SET @t1 = NOW(6);
                    START TRANSACTION; EXECUTE s USING @j, @a, @u; ROLLBACK;
                    SELECT 'US', TIMESTAMPDIFF(MICROSECOND, @t0, @t1), TIMESTAMPDIFF(MICROSECOND, @t1, NOW(6));
                    """, fetch=True)
                micros = [int(x) for line in timing.splitlines() if line.startswith("US") for x in line.split("\t")[1:]]
                materialized = any("MATERIALIZED" in line for line in plan)
                result[f"{name} {key} {scope}"] = {"plan": plan, "materialized": materialized,
                                                   "prepared_us": micros}
    with open(os.path.join(args.work, "explain.json"), "w") as f:
        json.dump(result, f, indent=1)


# ---- summary ----------------------------------------------------------------------

def load(work, name):
    path = os.path.join(work, name)
    if not os.path.exists(path):
        return None
    with open(path) as f:
        text = f.read().strip()
    return json.loads(text) if text else None


def rss_peaks(work):
    """Peak VmRSS (kB) overall and in each phase recorded in phases.txt."""
    samples = []
    path = os.path.join(work, "rss.txt")
    if os.path.exists(path):
        with open(path) as f:
            for line in f:
                parts = line.split()
                if len(parts) == 2:
                    samples.append((float(parts[0]), int(parts[1])))
    phases = {}
    path = os.path.join(work, "phases.txt")
    if os.path.exists(path):
        with open(path) as f:
            for line in f:
                name, start, end = line.split()
                phases[name] = (float(start), float(end))
    out = {"all": max((r for _, r in samples), default=None), "first": samples[0][1] if samples else None,
           "samples": len(samples)}
    # The setup registers users 4 at a time, and each password hash (libsodium's
    # interactive argon2id) takes 64 MB while it runs: its peak says nothing of the rest.
    setup = phases.get("setup")
    out["outside_setup"] = max((r for t, r in samples if not setup or not setup[0] <= t <= setup[1]), default=None)
    for name, (start, end) in phases.items():
        out[name] = max((r for t, r in samples if start <= t <= end), default=None)
    return out


def fmt(value, digits=1, unit=""):
    if value is None:
        return "n/a"
    return f"{value:,.{digits}f}{unit}"


TARGET_CYCLES = 1_500


def db_cycle_cost_lines(cost, cycle_next, cpu_next):
    """The section of bench/db_cycle_cost.py, and what MariaDB may use per cycle if the
    one-request cycle is to reach the target with the rest of the stack as measured."""
    out = [f"  MariaDB by itself (bench/db_cycle_cost.py: {cost['clients']} clients call it directly, no nginx, "
           f"no worker; {cost['seconds']:.0f} s per variant and round)"]
    variants = list(dict.fromkeys(r["variant"] for r in cost["runs"]))   # in the order they ran
    for variant in variants:
        runs = [r for r in cost["runs"] if r["variant"] == variant]
        ms = " / ".join(f"{r['ms_per_cycle']:.2f}" for r in runs)
        rate = " / ".join(f"{r['cycles_per_s']:,.0f}" for r in runs)
        out.append(f"    {runs[0].get('label', variant):<48} {ms} ms of mariadbd CPU per cycle   ({rate} cycles/s)")
    if cycle_next and cpu_next and cycle_next.get("cycles_per_s"):
        rest = sum(cpu_next[n] for n in ("tasker-fcgi", "nginx", "wrk", "others")) / 100 / cycle_next["cycles_per_s"]
        left = (cpu_next["cores"] - TARGET_CYCLES * rest) / TARGET_CYCLES
        out.append(f"    at {TARGET_CYCLES:,} cycles/s in one request, with the worker, nginx, wrk and the rest at "
                   f"{1000 * rest:.2f} ms per cycle (as measured above), MariaDB may use {1000 * left:.2f} ms per cycle")
    return out


def per_cycle_ms(cpu, name, rate):
    """ms of one process group's CPU per cycle (or request), from % of a core and a rate."""
    if not cpu or not rate:
        return None
    return 10.0 * cpu[name] / rate


def table(header, rows):
    """A plain text table: columns as wide as their widest cell, the first left-aligned,
    the others right-aligned."""
    cells = [header] + [[fmt_cell(c) for c in row] for row in rows]
    widths = [max(len(row[i]) for row in cells) for i in range(len(header))]
    out = []
    for n, row in enumerate(cells):
        out.append("  " + "  ".join(c.ljust(widths[i]) if i == 0 else c.rjust(widths[i]) for i, c in enumerate(row)))
        if n == 0:
            out.append("  " + "  ".join("-" * wd for wd in widths))
    return out


def fmt_cell(value):
    if value is None:
        return "n/a"
    if isinstance(value, str):
        return value
    if isinstance(value, int):
        return f"{value:,}"
    return f"{value:,.2f}" if abs(value) < 100 else f"{value:,.0f}"


def summary_tables(work, health_mean):
    """The summary proper: one row per load scenario, one per settlement, then the
    next-task latency ratio and the worker's memory."""
    def cpu(name):
        a, b = load(work, f"cpu-{name}-a.json"), load(work, f"cpu-{name}-b.json")
        return cpu_between(a, b) if a and b else None

    out = []
    rows = []
    for label, name in (("one request per cycle (headline)", "cycle-next"),
                        ("two requests per cycle", "cycle"),
                        ("8 jobs at once, one request per cycle", "cycle-multi")):
        r, c = load(work, f"{name}.json"), cpu(name)
        if not r:
            rows.append([label] + [None] * 8)
            continue
        rows.append([label, r["cycles_per_s"], f"{r['cycles_per_s'] / health_mean:.3f}" if health_mean else None,
                     r["lat_p50_us"] / 1000, r["lat_p99_us"] / 1000, r["failed"] + r["no_work"], r["err_status"],
                     per_cycle_ms(c, "mariadbd", r["cycles_per_s"]), per_cycle_ms(c, "tasker-fcgi", r["cycles_per_s"])])
    for label, name, cpu_name in (("healthz before (req/s)", "healthz-before", "healthz"),
                                  ("healthz after (req/s)", "healthz-after", None)):
        r, c = load(work, f"{name}.json"), cpu(cpu_name) if cpu_name else None
        if r:
            rows.append([label, r["req_per_s"], None, r["lat_p50_us"] / 1000, r["lat_p99_us"] / 1000,
                         r["requests"] - r["ok"], r["err_status"],
                         per_cycle_ms(c, "mariadbd", r["req_per_s"]), per_cycle_ms(c, "tasker-fcgi", r["req_per_s"])])
    out += table(["load (32 connections)", "cycles/s", "/ healthz", "p50 ms", "p99 ms", "failed", "non-2xx",
                  "mariadbd ms/cycle", "worker ms/cycle"], rows)
    out += note(f"/ healthz: cycles/s over the mean of healthz before and after, {fmt(health_mean)} req/s. "
                "p50 and p99: per request. failed: answers the script counted as failed, no_work included; "
                "non-2xx: as wrk counts them. CPU per cycle (per request for healthz) over the measured window.")

    settle = load(work, "settlements.json")
    out.append("")
    if settle:
        before = settle.get("audit_before") or {}
        out.append(f"  Settlement of {settle['results']:,} pending results ({settle['taskers']:,} taskers; "
                   f"target: each under 5 s); audit before: {audit_word(before)}")
        rows = []
        api, sweep = settle.get("api"), settle.get("sweep")
        if api:
            rows.append(["approve all pending, one API request", api["results"], api["request_s"],
                         api.get("decided_to_last_entry_s"), "-", api["settlements"], api["ledger_entries"],
                         api["pending_left"], audit_word(settle.get("audit_after_api"))])
        if sweep:
            rows.append(["worker's auto-approval sweep", sweep["results"], sweep.get("change_to_none_pending_s"),
                         sweep.get("decided_to_last_entry_s"), sweep.get("wait_for_sweep_s"), sweep["settlements"],
                         sweep["ledger_entries"], sweep["pending_left"], audit_word(settle.get("audit_after_sweep"))])
        out += table(["decision", "results", "seconds", "in MariaDB s", "wait for sweep s", "transactions",
                      "ledger entries", "left pending", "audit after"], rows)
        spreads = [f"{name} {r['settlements_created_at_spread_s']:.3f} s" for name, r in (("API", api), ("sweep", sweep))
                   if r and r.get("settlements_created_at_spread_s") is not None]
        out += note("seconds: the request's round trip; for the sweep, from setting the job's review window to 0 "
                    "hours until no result of it was pending (polled every 20 ms), the wait for the next sweep "
                    "included. In MariaDB: from the settlements' created_at (the decision's time) to the last "
                    "ledger entry's. Spread of the settlements' created_at: " + (", ".join(spreads) or "n/a")
                    + " (every transaction of one decision records the decision's time).")
        if sweep and sweep.get("timed_out"):
            out.append("  The sweep did not finish within the script's timeout.")
    else:
        out.append("  Settlement: no result")

    takes = load(work, "takes.json")
    rss = rss_peaks(work)
    out.append("")
    if takes:
        out.append(f"  Next-task latency 1,000,000 / 1,000 tasks (fresh taskers): median "
                   f"{fmt(takes['fresh']['ratio_median'], 3)} ({fmt(takes['fresh']['1m']['median_ms'], 2)} / "
                   f"{fmt(takes['fresh']['1k']['median_ms'], 2)} ms), p99 {fmt(takes['fresh']['ratio_p99'], 3)}")
    out.append(f"  Worker VmRSS peak {fmt(rss.get('outside_setup') and rss['outside_setup'] / 1024, 1, ' MB')} "
               f"(at start {fmt(rss.get('first') and rss['first'] / 1024, 1, ' MB')}; during the setup "
               f"{fmt(rss.get('setup') and rss['setup'] / 1024, 1, ' MB')}, which hashes 4 passwords at a time, "
               "64 MB each)")
    end = load(work, "audit-end.json")
    out.append(f"  tasker-admin audit over everything the run wrote: {audit_word(end)}"
               + (f" ({end['seconds']} s)" if end else ""))
    if end and not end["passed"]:
        out += [f"    {line}" for line in end["first_lines"]]
    return out


def note(text):
    """An explanation under a table, in parentheses, wrapped."""
    return textwrap.wrap(f"({text})", width=110, initial_indent="  ", subsequent_indent="   ")


def audit_word(result):
    if not result:
        return "not run"
    return "passed" if result["passed"] else f"FAILED ({result['problems']} problems)"


def cmd_summary(args):
    work = args.work
    state = load(work, "state.json") or {}
    cycle = load(work, "cycle.json")
    cycle_next = load(work, "cycle-next.json")
    h1 = load(work, "healthz-before.json")
    h2 = load(work, "healthz-after.json")
    takes = load(work, "takes.json")
    cpu_cycle = None
    a, b = load(work, "cpu-cycle-a.json"), load(work, "cpu-cycle-b.json")
    if a and b:
        cpu_cycle = cpu_between(a, b)
    cpu_next = None
    a, b = load(work, "cpu-cycle-next-a.json"), load(work, "cpu-cycle-next-b.json")
    if a and b:
        cpu_next = cpu_between(a, b)
    cpu_health = None
    a, b = load(work, "cpu-healthz-a.json"), load(work, "cpu-healthz-b.json")
    if a and b:
        cpu_health = cpu_between(a, b)
    rss = rss_peaks(work)
    meta = load(work, "meta.json") or {}
    db_a, db_b = load(work, "db-cycle-a.json"), load(work, "db-cycle-b.json")
    locks = load(work, "lockwaits-cycle.json")
    explain = load(work, "explain.json")

    health_rps = [h["req_per_s"] for h in (h1, h2) if h]
    health_mean = statistics.fmean(health_rps) if health_rps else None

    lines = []
    w = lines.append
    w("TrainTasker benchmark (bench/run.sh)")
    w(f"  date        {meta.get('date', '?')}   host {meta.get('host', '?')}   cores {os.cpu_count()}")
    w(f"  commit      {meta.get('commit', '?')}")
    w(f"  stack       nginx :{meta.get('port', '?')} -> tasker-fcgi ({meta.get('threads', '?')} threads, "
      f"fastcgi_keep_conn {meta.get('keep_conn', '?')}; upstream {meta.get('upstream', '?')}) -> MariaDB "
      f"(instance mode {meta.get('mode', '?')})")
    w(f"  load        wrk -t{meta.get('conns', '?')} -c{meta.get('conns', '?')}: one tasker (bearer token) per "
      f"connection; cycle {meta.get('cycle_secs', '?')}s after a {meta.get('warmup_secs', '?')}s warm-up, "
      f"healthz {meta.get('health_secs', '?')}s before and after")
    w(f"  data        cycle jobs (one per cycle) {state.get('cycle_tasks', '?'):,} tasks x {state.get('cycle_rpi', '?')} results, "
      f"{len(state.get('multi_jobs', []))} more of {state.get('multi_tasks', 0):,} tasks; "
      f"latency jobs 1,000 and 1,000,000 tasks (first {int(100 * state.get('full_fraction', 0))}% done, "
      f"{state.get('latency_rpi', '?')} results each); setup {state.get('setup_secs', {}).get('total', '?')}s")
    w("")
    lines.extend(summary_tables(work, health_mean))
    w("")
    w("Details")
    w("")
    w("  Tasker cycle (take next task + submit one box), 32 connections")
    if cycle:
        w(f"    cycles/s                    {fmt(cycle['cycles_per_s'])}   (target >= 1,500)")
        w(f"    requests/s                  {fmt(cycle['req_per_s'])}")
        w(f"    latency per request p50/p99 {fmt(cycle['lat_p50_us'] / 1000, 2)} / {fmt(cycle['lat_p99_us'] / 1000, 2)} ms"
          f"   (p90 {fmt(cycle['lat_p90_us'] / 1000, 2)}, mean {fmt(cycle['lat_mean_us'] / 1000, 2)}, "
          f"max {fmt(cycle['lat_max_us'] / 1000, 1)} ms)")
        w(f"    cycles {cycle['cycles']:,}; takes new {cycle['takes_new']:,} / existing {cycle['takes_existing']:,}; "
          f"no_work {cycle['no_work']:,}; failed {cycle['failed']:,}; "
          f"socket errors c/r/w/t {cycle['err_connect']}/{cycle['err_read']}/{cycle['err_write']}/{cycle['err_timeout']}")
        if cycle.get("last_error"):
            w(f"    last error: {cycle['last_error']}")
        if db_a and db_b and cycle["cycles"]:
            waits = db_b.get("Innodb_row_lock_waits", 0) - db_a.get("Innodb_row_lock_waits", 0)
            wait_ms = db_b.get("Innodb_row_lock_time", 0) - db_a.get("Innodb_row_lock_time", 0)
            commits = db_b.get("Com_commit", 0) - db_a.get("Com_commit", 0)
            questions = db_b.get("Questions", 0) - db_a.get("Questions", 0)
            # Questions: statements the worker sends (a CALL is one); Queries: also what the
            # server runs inside stored procedures, where every instruction counts (a SET
            # of a variable or an IF as much as an UPDATE).
            queries = db_b.get("Queries", 0) - db_a.get("Queries", 0)
            total_cycles = cycle["cycles"]
            w(f"    InnoDB row-lock waits {waits:,} ({waits / total_cycles:.2f} per cycle, "
              f"{wait_ms / max(waits, 1):.1f} ms each on average, {wait_ms / 1000 / cycle['duration_s']:.1f} "
              f"s of waiting per second); statements sent {questions / total_cycles:.1f}, run "
              f"{queries / total_cycles:.1f} (with every instruction of the procedures), commits "
              f"{commits / total_cycles:.1f} per cycle; deadlocks "
              f"{db_b.get('Innodb_deadlocks', 0) - db_a.get('Innodb_deadlocks', 0)}")
        if locks and locks.get("waits"):
            total = sum(locks["waits"].values())
            w(f"    waiting lock requests seen in {locks['samples']} samples (average {locks['avg_waiting_trx']:.1f} of "
              f"{locks['avg_open_trx']:.1f} open transactions waiting):")
            for key, n in list(locks["waits"].items())[:5]:
                table, index, mode, _, row = key.split(" ", 4)
                what = ""
                if table.endswith(".jobs") and str(row) == str(locks.get("job")):
                    what = "  <- the job's row"
                elif table.endswith(".accounts") and str(row) == str(locks.get("job_account")):
                    what = "  <- the job's escrow account"
                w(f"      {100 * n / total:5.1f}%  {table} {index} {mode} row {row}{what}")
    else:
        w("    (no result)")
    w("  Tasker cycle in one request (take once, then submit one box with ?next=true: the answer holds the next lease)")
    if cycle_next:
        w(f"    cycles/s                    {fmt(cycle_next['cycles_per_s'])}   (target >= 1,500)")
        w(f"    latency per request p50/p99 {fmt(cycle_next['lat_p50_us'] / 1000, 2)} / "
          f"{fmt(cycle_next['lat_p99_us'] / 1000, 2)} ms   (max {fmt(cycle_next['lat_max_us'] / 1000, 1)} ms)")
        w(f"    cycles {cycle_next['cycles']:,}; takes {cycle_next['takes_new'] + cycle_next['takes_existing']:,}; "
          f"no_work {cycle_next['no_work']:,}; failed {cycle_next['failed']:,}")
        if cycle_next.get("last_error"):
            w(f"    last error: {cycle_next['last_error']}")
    else:
        w("    (no result)")
    cycle_multi = load(work, "cycle-multi.json")
    w("  Eight jobs worked at once (one request per cycle, 4 taskers per job)")
    if cycle_multi:
        w(f"    cycles/s                    {fmt(cycle_multi['cycles_per_s'])}")
        w(f"    latency per request p50/p99 {fmt(cycle_multi['lat_p50_us'] / 1000, 2)} / "
          f"{fmt(cycle_multi['lat_p99_us'] / 1000, 2)} ms   (max {fmt(cycle_multi['lat_max_us'] / 1000, 1)} ms)")
        w(f"    cycles {cycle_multi['cycles']:,}; takes {cycle_multi['takes_new'] + cycle_multi['takes_existing']:,}; "
          f"no_work {cycle_multi['no_work']:,}; failed {cycle_multi['failed']:,}")
        if cycle_multi.get("last_error"):
            w(f"    last error: {cycle_multi['last_error']}")
    else:
        w("    (no result)")
    w("  Bound: GET /healthz through nginx (worker + DB ping), 32 connections")
    for label, h in (("before", h1), ("after", h2)):
        if h:
            w(f"    {label:<7} req/s {fmt(h['req_per_s']):>10}   p50/p90/p99 {fmt(h['lat_p50_us'] / 1000, 2)} / "
              f"{fmt(h['lat_p90_us'] / 1000, 2)} / {fmt(h['lat_p99_us'] / 1000, 2)} ms   max {fmt(h['lat_max_us'] / 1000, 0)} ms"
              f"   non-2xx {h['err_status']}   timeouts {h['err_timeout']}")
    if cycle and health_mean:
        w(f"    ratio cycles/s / healthz req/s     {cycle['cycles_per_s'] / health_mean:.3f}")
        w(f"    ratio requests/s / healthz req/s   {cycle['req_per_s'] / health_mean:.3f}")
    if cycle_next and health_mean:
        w(f"    ratio cycles/s in one request / healthz req/s   {cycle_next['cycles_per_s'] / health_mean:.3f}")
    if cycle_multi and health_mean:
        w(f"    ratio cycles/s of eight jobs at once / healthz req/s   {cycle_multi['cycles_per_s'] / health_mean:.3f}")
    w("")
    w("  Next-task latency (POST /api/jobs/{id}/leases, then DELETE; take timed by the client)")
    if takes:
        f1k, f1m = takes["fresh"]["1k"], takes["fresh"]["1m"]
        w(f"    fresh taskers ({takes['clients']} clients, {len(state.get('taskers', []))} taskers, interleaved)")
        w(f"      1,000 tasks       median {fmt(f1k['median_ms'], 2)} ms   p99 {fmt(f1k['p99_ms'], 2)} ms   n={f1k['n']}")
        w(f"      1,000,000 tasks   median {fmt(f1m['median_ms'], 2)} ms   p99 {fmt(f1m['p99_ms'], 2)} ms   n={f1m['n']}")
        w(f"      ratio 1M/1k       median {fmt(takes['fresh']['ratio_median'], 3)}   p99 {fmt(takes['fresh']['ratio_p99'], 3)}"
          f"   (target median <= 1.3)")
        v1k, v1m = takes["veteran"]["1k"], takes["veteran"]["1m"]
        vet = state.get("veteran", {})
        w(f"    veteran (did {vet.get('full_done', {}).get('small', '?'):,} / {vet.get('full_done', {}).get('large', '?'):,} "
          f"full tasks and {vet.get('open_done', '?')} open ones; 1 client)")
        w(f"      1,000 tasks       median {fmt(v1k['median_ms'], 2)} ms   p99 {fmt(v1k['p99_ms'], 2)} ms   n={v1k['n']}")
        w(f"      1,000,000 tasks   median {fmt(v1m['median_ms'], 2)} ms   p99 {fmt(v1m['p99_ms'], 2)} ms   n={v1m['n']}")
        w(f"      ratio 1M/1k       median {fmt(takes['veteran']['ratio_median'], 3)}   p99 {fmt(takes['veteran']['ratio_p99'], 3)}")
        hv = takes["heavy_1m"]
        w(f"    heavy veteran in the 1M job (did {state.get('heavy', {}).get('open_done', '?'):,} of the still-open tasks)")
        w(f"      1,000,000 tasks   median {fmt(hv['median_ms'], 2)} ms   p99 {fmt(hv['p99_ms'], 2)} ms   n={hv['n']}")
        if takes["failures"]:
            w(f"    failures {takes['failures']}: {takes['failure_examples'][:2]}")
    else:
        w("    (no result)")
    if explain:
        w("    the assignment query alone (server-side prepared statement, READ COMMITTED, exists_to_in=off as the worker; ms of two runs;")
        w("    'ahead' = above the highest task the tasker has had, as every take searches first; 'whole job' = from the start,")
        w("    as a take searches only when nothing is ahead; 'materializes' = the plan copies all of the tasker's leases into a")
        w("    temporary table)")
        for key, e in explain.items():
            runs = " / ".join(f"{us / 1000:.2f}" for us in e["prepared_us"]) or "n/a"
            w(f"      {key:<22} {runs:>16} ms   {'materializes' if e['materialized'] else 'correlated lookup'}")
    w("")
    w("  Worker memory (VmRSS of tasker-fcgi, sampled every 0.2 s)")
    w(f"    at start {fmt(rss.get('first') and rss['first'] / 1024, 1, ' MB')}   "
      f"peak during cycle load {fmt(rss.get('cycle') and rss['cycle'] / 1024, 1, ' MB')}   "
      f"peak outside the setup {fmt(rss.get('outside_setup') and rss['outside_setup'] / 1024, 1, ' MB')}   "
      f"peak over the run {fmt(rss.get('all') and rss['all'] / 1024, 1, ' MB')}   (target < 60 MB)")
    w("")
    w("  CPU during the measured window, % of one core (machine total = 100% x cores)")
    cpu_multi = None
    a, b = load(work, "cpu-cycle-multi-a.json"), load(work, "cpu-cycle-multi-b.json")
    if a and b:
        cpu_multi = cpu_between(a, b)
    for label, c in (("cycle", cpu_cycle), ("1-request", cpu_next), ("8 jobs", cpu_multi), ("healthz", cpu_health)):
        if c:
            w(f"    {label:<9} tasker-fcgi {c['tasker-fcgi']:5.0f}   mariadbd {c['mariadbd']:5.0f}   nginx {c['nginx']:5.0f}   "
              f"wrk {c['wrk']:5.0f}   other processes {c['others']:5.0f}   machine busy {c['machine_busy']:5.0f} / {100 * c['cores']}")
    cost = load(work, "db-cycle-cost.json")
    if cost:
        w("")
        lines.extend(db_cycle_cost_lines(cost, cycle_next, cpu_next))
    notes = []
    slow = [name for name, r in (("cycle", cycle), ("cycle in one request", cycle_next),
                                 ("eight jobs at once", cycle_multi), ("healthz before", h1), ("healthz after", h2))
            if r and (r["lat_max_us"] >= 1_000_000 or r["err_timeout"])]
    if slow:
        note = f"  NOTE: requests of {', '.join(slow)} waited a second or more (or timed out)."
        if meta.get("keep_conn") == "on":
            note += (" With fastcgi_keep_conn on, each kept FastCGI connection holds a worker thread until nginx "
                     "closes it; TT_FCGI_KEEP_CONN=off bench/run.sh shows the stack without that effect.")
        notes.append(note)
    if cpu_cycle and cpu_cycle["others"] >= 25:
        notes.append(f"  NOTE: processes outside the stack used {cpu_cycle['others']:.0f}% of a core during the "
                     "cycle: the machine was shared, figures are noisier and lower than on an idle machine.")
    if notes:
        w("")
        lines.extend(notes)
    text = "\n".join(lines) + "\n"
    sys.stdout.write("\n" + text)
    if args.out:
        with open(args.out, "w") as f:
            f.write(text)


ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    sub = parser.add_subparsers(dest="command", required=True)
    p = sub.add_parser("setup")
    p.add_argument("--base", required=True)
    p.add_argument("--inst", required=True)
    p.add_argument("--admin", required=True)
    p.add_argument("--work", required=True)
    p.add_argument("--taskers", type=int, default=32)
    p.add_argument("--cycle-rpi", type=int, default=32)
    p.set_defaults(func=cmd_setup)
    p = sub.add_parser("audit")
    p.add_argument("--inst", required=True)
    p.add_argument("--admin", required=True)
    p.add_argument("--out", required=True)
    p.set_defaults(func=cmd_audit)
    p = sub.add_parser("takes")
    p.add_argument("--base", required=True)
    p.add_argument("--work", required=True)
    p.add_argument("--clients", type=int, default=4)
    p.add_argument("--rounds", type=int, default=30)
    p.add_argument("--vet-rounds", type=int, default=40)
    p.set_defaults(func=cmd_takes)
    p = sub.add_parser("cpu")
    p.add_argument("--inst", required=True)
    p.add_argument("--wrk-pid", type=int)
    p.set_defaults(func=cmd_cpu)
    p = sub.add_parser("rss")
    p.add_argument("--inst", required=True)
    p.add_argument("--out", required=True)
    p.add_argument("--interval", type=float, default=0.2)
    p.set_defaults(func=cmd_rss)
    p = sub.add_parser("dbstat")
    p.add_argument("--inst", required=True)
    p.set_defaults(func=cmd_dbstat)
    p = sub.add_parser("settle")
    p.add_argument("--inst", required=True)
    p.add_argument("--pages", type=int, default=200)
    p.add_argument("--timeout", type=float, default=180)
    p.set_defaults(func=cmd_settle)
    p = sub.add_parser("lockwaits")
    p.add_argument("--inst", required=True)
    p.add_argument("--out", required=True)
    p.add_argument("--duration", type=float, default=20)
    p.add_argument("--interval", type=float, default=1)
    p.add_argument("--job")
    p.set_defaults(func=cmd_lockwaits)
    p = sub.add_parser("explain")
    p.add_argument("--inst", required=True)
    p.add_argument("--work", required=True)
    p.set_defaults(func=cmd_explain)
    p = sub.add_parser("summary")
    p.add_argument("--work", required=True)
    p.add_argument("--out")
    p.set_defaults(func=cmd_summary)
    args = parser.parse_args()
    args.func(args)


if __name__ == "__main__":
    main()
