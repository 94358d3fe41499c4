#!/usr/bin/env python3
"""An experiment: MariaDB's CPU per cycle with a progress row per (tasker, job), against the
procedures of the schema, alternated.

    /usr/bin/python3 bench/experiments/progress_row_ab.py INST JOB [ROUNDS] [SECONDS]

INST is a throwaway instance made and migrated by scripts/stack.sh (never `make run`'s: it
adds a table and procedures, and drops and re-adds an index of `leases`); JOB an active job
in it, which is copied (bench/db_cycle_cost.py's copy_job). Variants, ROUNDS times in turn,
8 clients of fresh taskers, SECONDS each:

  procedures     tasker_cycle, a take and then a submission, as the worker calls it in the
                 two-request cycle
  progress row   progress_row.sql's lean_take + lean_submit, without leases_tasker_job_state
  progress row, index kept   the same with that index still there (what the index costs)

Prints cycles/s and mariadbd's CPU per cycle of every run, then the runs sorted per variant.
"""
import os
import sys
import time

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), ".."))
import db_cycle_cost as cost  # noqa: E402

CLIENTS = 8
VARIANTS = ("procedures", "progress row", "progress row, index kept")
DROP_INDEX = "ALTER TABLE leases DROP INDEX leases_tasker_job_state"
ADD_INDEX = "ALTER TABLE leases ADD INDEX leases_tasker_job_state (tasker_id, job_id, state)"


def run_tasker(socket, variant, job, tasker, seconds, results):
    """One client (db_cycle_cost.run_tasker's signature): the procedures, or the progress row's."""
    if variant == "procedures":
        return cost.run_tasker(socket, variant, job, tasker, seconds, results)
    cycles, error = 0, None
    try:
        cur = cost.connect(socket).cursor()
        deadline = time.monotonic() + seconds
        while time.monotonic() < deadline:
            taken = cost.call(cur, "CALL lean_take(%s, %s, UTC_TIMESTAMP(6), 600)", (job["id"], tasker["id"]))
            if taken[0] != "new":
                raise RuntimeError(f"lean_take answered {taken[0]}")
            done = cost.call(cur, "CALL lean_submit(%s, %s, %s, %s, %s, UTC_TIMESTAMP(6), 0, 'image', %s, %s, %s)",
                             (taken[1], tasker["id"], taken[2], job["id"], taken[6], cost.BOXES,
                              job["escrow"], tasker["account"]))
            if done[0] != "new":
                raise RuntimeError(f"lean_submit answered {done[0]}")
            cycles += 1
    except Exception as e:  # reported by the parent
        error = f"{type(e).__name__}: {e}"
    results.put((cycles, error))


def main():
    run = cost.Experiment(__doc__, rounds=4)
    cost.run_sql_file(run.cur, os.path.join(os.path.dirname(os.path.abspath(__file__)), "progress_row.sql"))
    job = cost.copy_job(run.cur, run.job_id, CLIENTS * cost.STRIDE)
    indexed = True
    try:
        for _ in range(run.rounds):
            for variant in VARIANTS:
                wanted = variant != "progress row"
                if wanted != indexed:
                    run.cur.execute(ADD_INDEX if wanted else DROP_INDEX)
                    indexed = wanted
                    time.sleep(2)
                taskers = cost.new_taskers(run.cur, CLIENTS)
                run.record(variant, cost.measure(run.socket, run.pid, variant, job, taskers, run.seconds, run_tasker))
    finally:
        if not indexed:
            run.cur.execute(ADD_INDEX)
    run.print_sorted()


if __name__ == "__main__":
    main()
