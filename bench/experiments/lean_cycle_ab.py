#!/usr/bin/env python3
"""An experiment: MariaDB's CPU per one-request cycle on the lean schema of lean_cycle.sql,
against what the worker asks of MariaDB for that cycle, alternated.

    /usr/bin/python3 bench/experiments/lean_cycle_ab.py INST JOB [ROUNDS] [SECONDS] [CLIENTS]

INST is a throwaway instance made and migrated by scripts/stack.sh (never `make run`'s: it
adds tables and procedures); JOB an active job in it, which is copied (bench/db_cycle_cost.py's
copy_job). Variants, ROUNDS times in turn, CLIENTS (8) clients of fresh taskers with a
session each, SECONDS each:

  worker       what the worker sends for POST /api/leases/{id}/train?next=true once it knows
               the session (SessionHints): CALL tasker_cycle, which checks the session,
               submits and takes the next lease (one round trip, one transaction; the worker
               knows the lease it handed out). Before 2026-11-27 it read the session first.
  lean cycle   CALL lean_cycle: the same in one round trip on the lean tables (a lease and
               its train one row; the session and the box checks inside the procedure)

Prints cycles/s and mariadbd's CPU per cycle of every run, then the runs sorted per
variant, then checks that the money and the counts agree.
"""
import os
import sys
import time

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), ".."))
import db_cycle_cost as cost  # noqa: E402

VARIANTS = ("worker", "lean cycle")


def run_tasker(socket, variant, job, tasker, seconds, results):
    """One client (db_cycle_cost.run_tasker's signature): one tasker's one-request cycles."""
    cycles, error = 0, None
    try:
        cur = cost.connect(socket).cursor()
        if variant == "worker":
            lease = cost.take(cur, job["id"], tasker["id"])
        else:
            lease = cost.call(cur, "CALL lean_first_take(%s, %s, UTC_TIMESTAMP(6), 600)", (job["id"], tasker["id"]))[0]
        deadline = time.monotonic() + seconds
        while time.monotonic() < deadline:
            if variant == "worker":
                # The session checked inside the procedure, as the worker does once it knows
                # the session (SessionHints).
                lease = cost.submit(cur, tasker["id"], job["id"], lease, take_next=True, session=tasker["token_hash"])
            else:
                taken = cost.call(cur, "CALL lean_cycle(%s, %s, UTC_TIMESTAMP(6), 600, 0, 'image', %s)",
                                  (tasker["token_hash"], lease, cost.BOXES))
                if taken[0] != "new":
                    raise RuntimeError(f"lean_cycle answered {taken[0]}")
                lease = taken[2]
            cycles += 1
    except Exception as e:  # reported by the parent
        error = f"{type(e).__name__}: {e}"
    results.put((cycles, error))


def check_money(cur, job):
    """Both variants' money on the job agrees: every result (a train, or a submitted lean
    lease) paid once through the ledger, the escrow's balance down by those payments and its
    reserve equal to the live leases of both tables, the tasks' counts equal to the results."""
    def one(sql):
        cur.execute(sql, (job["id"],))
        return cur.fetchone()
    lean, lean_paid = one("SELECT COUNT(*), COALESCE(SUM(bounty), 0) FROM lean_leases WHERE job_id = %s AND state = 'submitted'")
    trains, trains_paid = one("SELECT COUNT(*), COALESCE(SUM(bounty), 0) FROM trains WHERE job_id = %s")
    entries, ledger = one("SELECT COUNT(*), COALESCE(SUM(amount), 0) FROM ledger_entries WHERE job_id = %s AND kind = 'bounty'")
    live = (one("SELECT COALESCE(SUM(bounty), 0) FROM lean_leases WHERE job_id = %s AND state = 'live'")[0]
            + one("SELECT COALESCE(SUM(bounty), 0) FROM leases WHERE job_id = %s AND state = 'live'")[0])
    counted = one("SELECT COALESCE(SUM(train_count), 0) FROM tasks WHERE job_id = %s")[0]
    cur.execute("SELECT balance, reserved FROM accounts WHERE id = %s", (job["escrow"],))
    balance, reserved = cur.fetchone()
    print(f"money: {lean} lean results + {trains} trains = {entries} ledger entries = {counted} counted; "
          f"paid {lean_paid + trains_paid} = ledger {ledger}; escrow {balance} = 1,000,000 - paid; "
          f"reserved {reserved} = live {live}")
    return (lean + trains == entries == counted and lean_paid + trains_paid == ledger
            and balance == 1000000 - ledger and reserved == live)


def main():
    run = cost.Experiment(__doc__, rounds=4)
    clients = int(sys.argv[5]) if len(sys.argv) > 5 else 8
    cost.run_sql_file(run.cur, os.path.join(os.path.dirname(os.path.abspath(__file__)), "lean_cycle.sql"))
    job = cost.copy_job(run.cur, run.job_id, clients * cost.STRIDE)
    for _ in range(run.rounds):
        for variant in VARIANTS:
            taskers = cost.signed_in(run.cur, cost.new_taskers(run.cur, clients))
            run.record(variant, cost.measure(run.socket, run.pid, variant, job, taskers, run.seconds, run_tasker))
    run.print_sorted()
    if not check_money(run.cur, job):
        raise SystemExit("the money does not agree")


if __name__ == "__main__":
    main()
