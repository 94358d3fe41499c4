#!/usr/bin/env python3
"""An experiment: MariaDB's CPU per cycle when a worker runs the cycles of eight taskers in
one transaction, against one cycle at a time, alternated.

    /usr/bin/python3 bench/experiments/batching_ab.py INST JOB [ROUNDS] [SECONDS]

INST is a throwaway instance made and migrated by scripts/stack.sh (never `make run`'s: it
adds procedures and rows); JOB an active job in it, which is copied with 200,000 tasks
for every round (bench/db_cycle_cost.py's copy_job). Variants, ROUNDS times in turn, SECONDS each, fresh
taskers every time:

  writes, one at a time    db_cycle_cost.py's 'writes': 8 clients, one cycle per two CALLs
  writes, batches of 8     batching.sql's batch8_take + batch8_submit: 2 clients, each
                           making the cycles of 8 taskers per two CALLs
  cycle, one at a time     tasker_cycle submitting and taking the next lease in one CALL,
                           as the worker runs a one-request cycle: 8 clients
  cycle, batches of 8      batching.sql's batch_cycle: 2 clients, each submitting for 8
                           taskers and taking their next leases in one CALL (again after
                           a deadlock, as every CALL here: batch_cycle locks the escrow
                           first, tasker_cycle last, and the two clients' first takes meet it)
  cycle, batches of 8, set the same with batch_cycle_set, which writes the submissions once
                           per kind of row for the batch
  request, one at a time   what MariaDB saw of a one-request cycle through the worker before
                           SessionHints: the session read (text protocol here, a prepared
                           statement in the worker), then the one CALL; 8 clients
  request, batches of 8    the session read per tasker, one at a time as each request would
                           make it, then batch_cycle for the eight: 2 clients
(Until 2026-11-27 the worker also read the lease back for every submission, and the cycle
was two procedures, take_lease and submit_train; the figures in bench/README.md from before
then were measured so.)

Prints cycles/s and mariadbd's CPU per cycle of every run, then the runs sorted per variant.
"""
import json
import os
import sys
import time


sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), ".."))
import db_cycle_cost as cost  # noqa: E402

BATCH = 8
BATCH_CLIENTS = 2
# Every round copies the job afresh, with many more tasks than db_cycle_cost.py's: a batch of
# writes takes eight tasks, one per tasker, without looking whether they are full. The
# batching writers start at tasks 0 and 70,000 of the copy, the one-at-a-time writers at
# 150,000 (5,000 apart); the cycles search from the start, as taskers do.
TASKS = 200_000
BATCH_STRIDE = 70_000
WRITES_START = 150_000
BOX = [{"x": 10, "y": 20, "w": 30, "h": 40, "label": "car"}]
VARIANTS = ("writes, one at a time", "writes, batches of 8", "cycle, one at a time", "cycle, batches of 8",
            "cycle, batches of 8, set", "request, one at a time", "request, batches of 8")


def run_write_batches(socket, variant, job, group, seconds, results):
    """One client for the eight taskers of `group`: batches of their cycles' writes."""
    cycles, error = 0, None
    try:
        cur = cost.connect(socket).cursor()
        taskers = json.dumps([[t["id"], t["account"]] for t in group["taskers"]])
        task = group["first_task"]
        deadline = time.monotonic() + seconds
        while time.monotonic() < deadline:
            first_lease = cost.call(cur, "CALL batch8_take(%s, %s, %s, %s, %s, UTC_TIMESTAMP(6))",
                                    (job["id"], task, taskers, job["escrow"], job["bounty"]))[1]
            done = cost.call(cur, "CALL batch8_submit(%s, %s, %s, %s, %s, %s, UTC_TIMESTAMP(6))",
                             (job["id"], task, first_lease, taskers, job["escrow"], job["bounty"]))
            if done[0] != "new":
                raise RuntimeError(f"batch8_submit answered {done[0]}")
            task += BATCH
            cycles += BATCH
    except Exception as e:  # reported by the parent
        error = f"{type(e).__name__}: {e}"
    results.put((cycles, error))


def run_requests(socket, variant, job, tasker, seconds, results):
    """One client, one tasker: what MariaDB saw of one-request cycles through the worker
    before SessionHints: the session read, then tasker_cycle submitting and taking the next
    lease. (The worker now checks a session it knows inside that CALL; the batches below
    read the sessions outside, so both variants keep doing so.)"""
    cycles, error = 0, None
    try:
        cur = cost.connect(socket).cursor()
        lease = cost.take(cur, job["id"], tasker["id"])
        deadline = time.monotonic() + seconds
        while time.monotonic() < deadline:
            cost.read_session(cur, tasker)
            lease = cost.submit(cur, tasker["id"], job["id"], lease, take_next=True)
            cycles += 1
    except Exception as e:  # reported by the parent
        error = f"{type(e).__name__}: {e}"
    results.put((cycles, error))


def run_cycle_batches(socket, variant, job, group, seconds, results):
    """One client for the eight taskers of `group`: each takes a first lease, then every
    batch_cycle submits a train for each of them and hands each their next lease. In the
    'request' variant, each tasker's session and lease are read first, one at a time, as
    the worker's threads would before handing their submissions to a batch."""
    procedure = "batch_cycle_set" if variant.endswith(", set") else "batch_cycle"
    reads = variant.startswith("request")
    cycles, error = 0, None
    try:
        cur = cost.connect(socket).cursor()
        items = []
        for tasker in group["taskers"]:
            taken = cost.take(cur, job["id"], tasker["id"])
            items.append({"tasker": tasker["id"], "lease": taken["lease"], "task": taken["task"], "boxes": BOX})
        deadline = time.monotonic() + seconds
        while time.monotonic() < deadline:
            if reads:
                for tasker, item in zip(group["taskers"], items):
                    cost.read_session(cur, tasker)
            answers = json.loads(cost.call(cur, f"CALL {procedure}(%s, %s, UTC_TIMESTAMP(6), 600)",
                                               (job["id"], json.dumps(items)))[0])
            for item, (train, lease, task) in zip(items, answers):
                if train is None or lease is None:
                    raise RuntimeError(f"batch_cycle answered {answers}")
                item["lease"], item["task"] = lease, task
            cycles += len(items)
    except Exception as e:  # reported by the parent
        error = f"{type(e).__name__}: {e}"
    results.put((cycles, error))


def groups_of(taskers, job):
    return [{"taskers": taskers[i * BATCH:(i + 1) * BATCH], "first_task": job["first_task"] + i * BATCH_STRIDE}
            for i in range(len(taskers) // BATCH)]


def measure(socket, pid, variant, job, cur, seconds):
    if variant == "writes, one at a time":
        taskers = cost.new_taskers(cur, 8)
        for i, tasker in enumerate(taskers):
            tasker["first_task"] = job["first_task"] + WRITES_START + i * cost.STRIDE
        return cost.measure(socket, pid, "writes", job, taskers, seconds)
    if variant == "cycle, one at a time":
        return cost.measure(socket, pid, "one call", job, cost.new_taskers(cur, 8), seconds)
    if variant == "request, one at a time":
        return cost.measure(socket, pid, variant, job, cost.signed_in(cur, cost.new_taskers(cur, 8)), seconds,
                            run_requests)
    client = run_write_batches if variant.startswith("writes") else run_cycle_batches
    groups = groups_of(cost.signed_in(cur, cost.new_taskers(cur, BATCH_CLIENTS * BATCH)), job)
    return cost.measure(socket, pid, variant, job, groups, seconds, client)


def main():
    run = cost.Experiment(__doc__, rounds=3)
    cost.run_sql_file(run.cur, os.path.join(os.path.dirname(os.path.abspath(__file__)), "batching.sql"))
    for statement in cost.WRITE_PROCEDURES.values():
        run.cur.execute(statement)
    for _ in range(run.rounds):
        job = cost.copy_job(run.cur, run.job_id, TASKS)
        for variant in VARIANTS:
            run.record(variant, measure(run.socket, run.pid, variant, job, run.cur, run.seconds))
    run.print_sorted()


if __name__ == "__main__":
    main()
