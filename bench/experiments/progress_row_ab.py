#!/usr/bin/env python3
"""An experiment: MariaDB's CPU per cycle with a progress row per (tasker, job), against the
procedures of the schema, alternated.

    /usr/bin/python3 bench/experiments/progress_row_ab.py INST JOB [ROUNDS] [SECONDS]

INST is a throwaway instance made and migrated by scripts/stack.sh (never `make run`'s: it
adds a table and procedures, and drops and re-adds an index of `leases`); JOB an active job
in it, which is copied (bench/db_cycle_cost.py's copy_job). Variants, ROUNDS times in turn,
8 clients of fresh taskers, SECONDS each:

  procedures     take_lease + submit_train, as the worker calls them
  progress row   progress_row.sql's lean_take + lean_submit, without leases_tasker_job_state
  progress row, index kept   the same with that index still there (what the index costs)

Prints cycles/s and mariadbd's CPU per cycle of every run, then the runs sorted per variant.
"""
import os
import re
import sys
import time

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), ".."))
import db_cycle_cost as cost  # noqa: E402
from ttbench import read_pid  # noqa: E402

CLIENTS = 8
VARIANTS = ("procedures", "progress row", "progress row, index kept")
DROP_INDEX = "ALTER TABLE leases DROP INDEX leases_tasker_job_state"
ADD_INDEX = "ALTER TABLE leases ADD INDEX leases_tasker_job_state (tasker_id, job_id, state)"


def run_tasker(socket, variant, job, tasker, seconds, results):
    cycles, error = 0, None
    try:
        cur = cost.connect(socket).cursor()
        deadline = time.monotonic() + seconds
        while time.monotonic() < deadline:
            if variant == "procedures":
                taken = cost.call(cur, "CALL take_lease(%s, %s, UTC_TIMESTAMP(6), 600)", (job["id"], tasker["id"]))
                if taken[0] != "new":
                    raise RuntimeError(f"take_lease answered {taken[0]}")
                done = cost.call(cur, "CALL submit_train(%s, %s, %s, %s, %s, UTC_TIMESTAMP(6), 0, 'image', %s)",
                                 (taken[1], tasker["id"], taken[2], job["id"], taken[6], cost.BOXES))
            else:
                taken = cost.call(cur, "CALL lean_take(%s, %s, UTC_TIMESTAMP(6), 600)", (job["id"], tasker["id"]))
                if taken[0] != "new":
                    raise RuntimeError(f"lean_take answered {taken[0]}")
                done = cost.call(cur, "CALL lean_submit(%s, %s, %s, %s, %s, UTC_TIMESTAMP(6), 0, 'image', %s, %s, %s)",
                                 (taken[1], tasker["id"], taken[2], job["id"], taken[6], cost.BOXES,
                                  job["escrow"], tasker["account"]))
            if done[0] != "new":
                raise RuntimeError(f"the submission answered {done[0]}")
            cycles += 1
    except Exception as e:  # reported by the parent
        error = f"{type(e).__name__}: {e}"
    results.put((cycles, error))


def main():
    if len(sys.argv) < 3:
        sys.exit(__doc__)
    inst, job_id = sys.argv[1], int(sys.argv[2])
    rounds = int(sys.argv[3]) if len(sys.argv) > 3 else 4
    seconds = float(sys.argv[4]) if len(sys.argv) > 4 else 10
    socket = os.path.join(inst, "run", "mysqld.sock")
    pid = read_pid(os.path.join(inst, "run", "mysqld.pid"))
    cur = cost.connect(socket).cursor()
    with open(os.path.join(os.path.dirname(os.path.abspath(__file__)), "progress_row.sql")) as f:
        text = re.sub(r"^--.*\n", "", f.read(), flags=re.M)
    for statement in re.split(r";\n(?=CREATE )", text):
        cur.execute(statement.strip().rstrip(";"))
    job = cost.copy_job(cur, job_id)
    indexed, runs = True, {v: [] for v in VARIANTS}
    try:
        for _ in range(rounds):
            for variant in VARIANTS:
                wanted = variant != "progress row"
                if wanted != indexed:
                    cur.execute(ADD_INDEX if wanted else DROP_INDEX)
                    indexed = wanted
                    time.sleep(2)
                run = cost.measure(socket, pid, variant, job, cost.new_taskers(cur, CLIENTS), seconds, run_tasker)
                rate, ms = run["cycles_per_s"], run["ms_per_cycle"]
                runs[variant].append(ms)
                print(f"{variant:<26} {rate:7,.0f} cycles/s   {ms:.3f} ms of mariadbd CPU per cycle", flush=True)
    finally:
        if not indexed:
            cur.execute(ADD_INDEX)
    for variant in VARIANTS:
        print(f"{variant:<26} " + " ".join(f"{ms:.3f}" for ms in sorted(runs[variant])))


if __name__ == "__main__":
    main()
