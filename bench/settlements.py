#!/usr/bin/env python3
"""Settlement: how long approving 100,000 pending results takes, decided by the requester
through the API, and by the worker's auto-approval sweep.

    /usr/bin/python3 bench/settlements.py --base URL --inst DIR --admin BIN --out FILE \
        [--results 100000] [--rpi 4] [--taskers 1000]

bench/run.sh runs it on its throwaway stack after the load phases (standard library and
the instance's mariadb client, as bench/ttbench.py). Reports only; nothing is asserted
(the targets, each under 5 s, are printed beside the figures).

The data: a requester (registered through the API), TASKERS taskers (made by SQL, each a
user with an account), and two identical jobs, made, activated and topped up through the
API (the top-up moves bounty x RESULTS into each job's escrow and counts the slots in
jobs.escrowed_slots). Then, by SQL in bulk: every slot gets a submitted lease, a result
pending review and one box, handed in an hour ago, the tasks counted full. The escrow then
holds the bounty of every pending result, and `tasker-admin audit` passes.

What it times:
  (i)  the requester approves everything pending of the first job in one request,
       POST /api/jobs/{id}/review {"action": "approve", "state": "pending"}: the request's
       round trip, and inside it, from the settlements' time (the decision's) to the last
       ledger entry written;
  (ii) the worker's sweep (the Housekeeper, every reclaimEverySeconds) on the second job,
       whose review window is set to 0 hours: from that change until no result of the job
       is pending (polled every 20 ms), split into the wait for the next sweep (until the
       settlements' time, the sweep's start) and the sweep itself (from then until the
       last ledger entry, or until no result is pending as polled).
For each: the results settled, the transactions (one settlement row each), the ledger
entries (one per tasker and transaction), and `tasker-admin audit` run after it.
"""
import argparse
import datetime
import decimal
import json
import os
import subprocess
import sys
import time

from ttbench import (BOUNTY, Client, audit, create_taskers, insert_tasks, log, make_job, mark_assessed, register,
                     slot_cost, sql, sql_values, top_up, write_out_dirty_pages)


class Session:
    """One mariadb client kept open (scripts/mariadb.sh client), for polling: a query
    costs a round trip, not a process. Every query must print one line."""

    def __init__(self, inst):
        root = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
        self.process = subprocess.Popen(
            [os.path.join(root, "scripts", "mariadb.sh"), "client", inst, "--batch", "--skip-column-names",
             "--unbuffered", os.environ.get("TT_DB_NAME", "traintasker")],
            stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True, bufsize=1)

    def row(self, query):
        self.process.stdin.write(query.strip().rstrip(";") + ";\n")
        self.process.stdin.flush()
        line = self.process.stdout.readline()
        if not line:
            raise RuntimeError(f"the mariadb client ended on: {query}")
        return line.rstrip("\n").split("\t")

    def close(self):
        self.process.stdin.close()
        self.process.wait()


def timestamp(text):
    """A DATETIME(6) as MariaDB prints it, as a datetime."""
    return datetime.datetime.strptime(text if "." in text else text + ".000000", "%Y-%m-%d %H:%M:%S.%f")


def seconds_between(a, b):
    return round((timestamp(b) - timestamp(a)).total_seconds(), 3)


def fill_pending(inst, job_id, rpi, tasker_first, taskers):
    """Every open slot of the job (its tasks were just topped up: `rpi` open slots each)
    gets a submitted lease, a result pending review with one box, handed in an hour ago
    (inside the default review window of 72 hours: nothing is approved by itself), and its
    task counts it. The `rpi` taskers of a task are consecutive of `taskers`, so
    distinct, and each tasker has results in every stretch of the job's results."""
    sql(inst, f"""
        SET @job = {job_id};
        SET @handed_in = UTC_TIMESTAMP(6) - INTERVAL 1 HOUR;
        SELECT COALESCE(MAX(id), 0) INTO @leases_before FROM leases;
        INSERT INTO leases (task_id, job_id, tasker_id, state, bounty, created_at, expires_at, ended_at)
        SELECT t.id, @job, {tasker_first} + ((t.n - 1) * {rpi} + k.seq) MOD {taskers}, 'submitted', j.bounty,
               @handed_in - INTERVAL 5 MINUTE, @handed_in + INTERVAL 5 MINUTE, @handed_in
          FROM (SELECT id, ROW_NUMBER() OVER (ORDER BY id) AS n FROM tasks WHERE job_id = @job) t
          JOIN seq_0_to_{rpi - 1} k JOIN jobs j ON j.id = @job
         ORDER BY t.id, k.seq;
        SELECT COALESCE(MAX(id), 0) INTO @trains_before FROM trains;
        INSERT INTO trains (lease_id, task_id, job_id, tasker_id, nothing_to_mark, coordinate_space, bounty, created_at)
        SELECT l.id, l.task_id, l.job_id, l.tasker_id, 0, 'image', l.bounty, l.ended_at
          FROM leases l WHERE l.id > @leases_before AND l.job_id = @job;
        INSERT INTO boxes (train_id, x, y, w, h, label)
        SELECT r.id, 10 + r.id MOD 400, 20 + r.id MOD 300, 100, 50, 'car'
          FROM trains r WHERE r.id > @trains_before AND r.job_id = @job;
        UPDATE tasks SET train_count = train_count + open_slots, open_slots = 0 WHERE job_id = @job;
    """)


def written(inst, job_id):
    """What the job's settlements wrote: transactions (one settlement row each), results,
    ledger entries; the settlements' time (the decision's) and the last ledger entry's."""
    fields = sql_values(inst, f"""
        SELECT COUNT(*), COALESCE(SUM(result_count), 0), MIN(created_at), MAX(created_at),
               (SELECT COUNT(*) FROM ledger_entries e JOIN settlements s ON s.id = e.settlement_id
                 WHERE s.job_id = {job_id}),
               (SELECT MAX(e.created_at) FROM ledger_entries e JOIN settlements s ON s.id = e.settlement_id
                 WHERE s.job_id = {job_id}),
               (SELECT COUNT(*) FROM trains WHERE job_id = {job_id} AND state = 'pending')
          FROM settlements WHERE job_id = {job_id};""")
    out = {"settlements": int(fields[0]), "results": int(fields[1]), "ledger_entries": int(fields[4]),
           "pending_left": int(fields[6]), "first_settlement_at": fields[2], "last_settlement_at": fields[3],
           "last_ledger_entry_at": fields[5]}
    if fields[2] != "NULL":
        out["settlements_created_at_spread_s"] = seconds_between(fields[2], fields[3])
    if fields[2] != "NULL" and fields[5] != "NULL":
        out["decided_to_last_entry_s"] = seconds_between(fields[2], fields[5])
    return out


def approve_through_api(base, token, job_id):
    """(i): one POST /api/jobs/{id}/review approving everything pending, timed by the client."""
    client = Client(base, token)
    t0 = time.perf_counter()
    status, raw = client.request("POST", f"/api/jobs/{job_id}/review", {"action": "approve", "state": "pending"})
    seconds = time.perf_counter() - t0
    answer = json.loads(raw) if raw.startswith(b"{") else {"body": raw[:300].decode(errors="replace")}
    return {"http_status": status, "request_s": round(seconds, 3), "answer": answer}


def approve_by_sweep(inst, job_id, timeout):
    """(ii): the job's review window set to 0 hours; polls until none of its results is
    pending, or `timeout` seconds. Times by the database's clock, as the settlements' and
    the ledger's times are."""
    session = Session(inst)
    try:
        changed = session.row(f"UPDATE jobs SET auto_approve_after_hours = 0 WHERE id = {job_id}; "
                              "SELECT UTC_TIMESTAMP(6)")[0]
        deadline = time.monotonic() + timeout
        first_seen, last_pending_at, done_at = None, changed, None
        while time.monotonic() < deadline:
            pending, settled, now = session.row(f"""
                SELECT EXISTS (SELECT 1 FROM trains WHERE job_id = {job_id} AND state = 'pending'),
                       (SELECT COUNT(*) FROM settlements WHERE job_id = {job_id}), UTC_TIMESTAMP(6)""")
            if int(settled) and first_seen is None:
                first_seen = now
            if pending == "0":
                done_at = now
                break
            last_pending_at = now
            time.sleep(0.02)
    finally:
        session.close()
    out = {"changed_at": changed, "first_settlement_seen_at": first_seen, "none_pending_at": done_at,
           "last_seen_pending_at": last_pending_at, "timed_out": done_at is None}
    if done_at:
        out["change_to_none_pending_s"] = seconds_between(changed, done_at)
    return out


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--base", required=True)
    parser.add_argument("--inst", required=True)
    parser.add_argument("--admin", required=True)
    parser.add_argument("--out", required=True)
    parser.add_argument("--results", type=int, default=100_000, help="pending results per job")
    parser.add_argument("--rpi", type=int, default=4, help="results per image")
    parser.add_argument("--taskers", type=int, default=1_000)
    parser.add_argument("--timeout", type=float, default=120, help="how long to wait for the sweep")
    args = parser.parse_args()
    if args.results % args.rpi or args.taskers < args.rpi:
        sys.exit("--results must be a multiple of --rpi, and --taskers at least --rpi")
    tasks = args.results // args.rpi
    result = {"results": args.results, "rpi": args.rpi, "tasks": tasks, "taskers": args.taskers,
              "bounty": BOUNTY}

    try:
        log(f"settlement: two jobs of {tasks:,} images x {args.rpi} results pending review, "
            f"{args.taskers:,} taskers")
        t0 = time.time()
        nonce = f"{int(t0)}"
        email = f"bench-settle-requester-{nonce}@example.com"
        requester_id, token = register(args.base, email, "requester", "settlereq")
        cost = slot_cost(tasks, args.rpi)
        run = subprocess.run([args.admin, "--config", os.path.join(args.inst, "config.json"), "credit", email,
                              f"{2 * decimal.Decimal(cost):.2f}", "--memo", "bench"], capture_output=True, text=True)
        if run.returncode != 0:
            raise RuntimeError(f"tasker-admin credit failed: {run.stdout} {run.stderr}")
        tasker_first = create_taskers(args.inst, args.taskers, f"settle{nonce}-", requester_id)
        requester = Client(args.base, token)
        jobs = {}
        for key in ("api", "sweep"):
            job = make_job(requester, f"settle-{key}-{nonce}", args.rpi, cost)
            insert_tasks(args.inst, job, tasks, args.rpi, 0)
            top_up(requester, job, args.results)
            fill_pending(args.inst, job, args.rpi, tasker_first, args.taskers)
            mark_assessed(args.inst)
            jobs[key] = job
        sql(args.inst, "ANALYZE TABLE trains, leases, boxes, tasks;")
        result["jobs"] = jobs
        result["setup_s"] = round(time.time() - t0, 1)
        log(f"  jobs {jobs['api']} and {jobs['sweep']} filled in {result['setup_s']}s; writing out dirty pages")
        result["write_out"] = write_out_dirty_pages(args.inst)

        result["audit_before"] = audit(args.admin, args.inst)
        log(f"  audit before: {'passed' if result['audit_before']['passed'] else 'FAILED'} "
            f"({result['audit_before']['seconds']}s)")

        log(f"  (i) POST /api/jobs/{jobs['api']}/review: approve every pending result")
        api = approve_through_api(args.base, token, jobs["api"])
        api.update(written(args.inst, jobs["api"]))
        result["api"] = api
        log(f"      HTTP {api['http_status']} in {api['request_s']:.2f}s: {api['results']:,} results, "
            f"{api['settlements']} transactions, {api['ledger_entries']:,} ledger entries")
        result["audit_after_api"] = audit(args.admin, args.inst)
        log(f"      audit: {'passed' if result['audit_after_api']['passed'] else 'FAILED'}")

        log(f"  (ii) the worker's sweep on job {jobs['sweep']} (review window set to 0 hours)")
        sweep = approve_by_sweep(args.inst, jobs["sweep"], args.timeout)
        sweep.update(written(args.inst, jobs["sweep"]))
        if sweep.get("first_settlement_at") not in (None, "NULL"):
            # The settlements' time is the sweep's `now`, taken as it starts.
            sweep["wait_for_sweep_s"] = seconds_between(sweep["changed_at"], sweep["first_settlement_at"])
            if sweep.get("none_pending_at"):
                sweep["sweep_to_none_pending_s"] = seconds_between(sweep["first_settlement_at"], sweep["none_pending_at"])
        result["sweep"] = sweep
        log(f"      {sweep.get('change_to_none_pending_s', 'n/a')}s from the change to none pending "
            f"(waiting for the sweep {sweep.get('wait_for_sweep_s', 'n/a')}s, the sweep "
            f"{sweep.get('decided_to_last_entry_s', 'n/a')}s to its last ledger entry): {sweep['results']:,} results, "
            f"{sweep['settlements']} transactions, {sweep['ledger_entries']:,} ledger entries")
        result["audit_after_sweep"] = audit(args.admin, args.inst)
        log(f"      audit: {'passed' if result['audit_after_sweep']['passed'] else 'FAILED'}")
    finally:
        with open(args.out, "w") as f:
            json.dump(result, f, indent=1)


if __name__ == "__main__":
    main()
