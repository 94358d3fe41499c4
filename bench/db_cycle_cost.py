#!/usr/bin/env python3
"""MariaDB's own CPU per tasker cycle, and the part of it that the cycle's writes alone need.

    /usr/bin/python3 bench/db_cycle_cost.py --inst DIR --job JOB --out FILE \
        [--clients 8] [--seconds 10] [--rounds 2]

bench/run.sh calls it on its throwaway stack after the load phases. There is no nginx and
no worker here: CLIENTS processes (as many as the worker has threads), each one tasker on
its own connection, call MariaDB directly for SECONDS, and these variants take turns,
ROUNDS times:

  procedures   CALL tasker_cycle to take a lease, then to submit a train with one box, as
               the worker does in the two-request cycle
  one call     CALL tasker_cycle to submit and take the next lease at once, as the worker
               does in the one-request cycle (POST /api/leases/{id}/train?next=true)
               Both pass the tasker's session to be checked inside the procedure, as the
               worker does once it knows the session (SessionHints).
  writes       two procedures that make the same row writes as those two (a task's slot, a
               lease; the lease's end, the task's count, a train, a box; two commits: a
               cycle moves no money, the escrow paid for the slot when it was opened), each
               by primary key, with no look-up, search, locking read or check: the least a
               cycle that writes these rows costs MariaDB in a transaction of its own
  empty calls  two CALLs that return one row each (what a round trip and a CALL cost)

It writes, per variant and round, cycles/s and mariadbd's CPU per cycle (utime + stime of
the process, so InnoDB's background threads too), with what was measured so far if a run
fails. Its data never meets the load phases': every round runs on a fresh copy of JOB with
5,000 fresh tasks per client, their slots paid into an escrow of its own by JOB's
requester (as a top-up would, so that the ledger still accounts for every balance), and
every run has taskers of its own. Its procedures are dropped at the end; the rows stay
(the stack is thrown away). Reports only.
"""
import argparse
import json
import multiprocessing
import os
import queue
import sys
import time

import pymysql

from ttbench import CLK, proc_stat, read_pid

RESULTS_PER_IMAGE = 32
# 'writes' clients walk the copied job's tasks from this far apart, and the copy has this
# many tasks per client (a client makes fewer than 5,000 cycles in a round at the rates
# seen on this machine, about 2,000/s in all). Every round copies the job afresh: the
# 'writes' variants take slots without looking whether any are left.
STRIDE = 5_000
# How long past its SECONDS a client may take to report before the run is given up.
GRACE_SECONDS = 60
BOXES = '[{"x": 10, "y": 20, "w": 30, "h": 40, "label": "car"}]'

WRITE_PROCEDURES = {
    "bench_writes_take": """
        CREATE OR REPLACE PROCEDURE bench_writes_take(IN p_job BIGINT, IN p_tasker BIGINT, IN p_task BIGINT,
            IN p_bounty DECIMAL(14, 2), IN p_now DATETIME(6))
        MODIFIES SQL DATA BEGIN
            DECLARE EXIT HANDLER FOR SQLEXCEPTION BEGIN ROLLBACK; RESIGNAL; END;
            START TRANSACTION;
            UPDATE tasks SET open_slots = open_slots - 1 WHERE id = p_task;
            INSERT INTO leases (task_id, job_id, tasker_id, bounty, created_at, expires_at)
            VALUES (p_task, p_job, p_tasker, p_bounty, p_now, p_now + INTERVAL 600 SECOND);
            COMMIT;
            SELECT 'new' AS outcome, LAST_INSERT_ID() AS id;
        END""",
    "bench_writes_submit": """
        CREATE OR REPLACE PROCEDURE bench_writes_submit(IN p_lease BIGINT, IN p_tasker BIGINT, IN p_task BIGINT,
            IN p_job BIGINT, IN p_bounty DECIMAL(14, 2), IN p_now DATETIME(6))
        MODIFIES SQL DATA BEGIN
            DECLARE v_train BIGINT;
            DECLARE EXIT HANDLER FOR SQLEXCEPTION BEGIN ROLLBACK; RESIGNAL; END;
            START TRANSACTION;
            UPDATE leases SET state = 'submitted', ended_at = p_now WHERE id = p_lease;
            UPDATE tasks SET train_count = train_count + 1 WHERE id = p_task;
            INSERT INTO trains (lease_id, task_id, job_id, tasker_id, nothing_to_mark, coordinate_space, bounty, created_at)
            VALUES (p_lease, p_task, p_job, p_tasker, 0, 'image', p_bounty, p_now);
            SET v_train = LAST_INSERT_ID();
            INSERT INTO boxes (train_id, x, y, w, h, label) VALUES (v_train, 10, 20, 30, 40, 'car');
            COMMIT;
            SELECT 'new' AS outcome, v_train AS train_id;
        END""",
    "bench_empty_call": """
        CREATE OR REPLACE PROCEDURE bench_empty_call(IN p_a BIGINT, IN p_b BIGINT)
        MODIFIES SQL DATA BEGIN
            SELECT 'new' AS outcome, p_a AS id;
        END""",
}

# Variant -> what the summary (bench/ttbench.py) calls it.
VARIANTS = {
    "procedures": "the procedure (tasker_cycle: take, then submit)",
    "one call": "the same, one call per cycle (submit + next)",
    "writes": "their row writes alone, by primary key",
    "empty calls": "two CALLs that do nothing",
}


def connect(socket):
    db = pymysql.connect(unix_socket=socket, user="root", database=os.environ.get("TT_DB_NAME", "traintasker"),
                         autocommit=True)
    # What the worker sets on its connections (Sources/MariaStore/Core/Connection.swift).
    db.cursor().execute("SET time_zone = '+00:00', tx_isolation = 'READ-COMMITTED', "
                        "optimizer_switch = 'exists_to_in=off'")
    return db


def call(cursor, statement, args):
    """Runs a CALL and returns its first row, reading every result it sends. A deadlock
    (1213: the transaction was rolled back whole; tasker_cycle also signals it when every free
    task is locked for a moment) is retried, as the worker does."""
    while True:
        try:
            cursor.execute(statement, args)
            row = cursor.fetchone()
            while cursor.nextset():
                pass
            return row
        except pymysql.err.OperationalError as e:
            if e.args[0] != 1213:
                raise


# sql/routines/tasker_cycle.sql as the worker calls it (Leases.take, Trains.submit and
# Trains.submitAndTakeNext), for a lease held 600 s and one box. The second argument is the
# hash of the session to check, or None (the worker read it itself).
# The last argument, want_gold, is NULL: the bench's jobs have no gold images.
TAKE = "CALL tasker_cycle(%s, %s, UTC_TIMESTAMP(6), 600, NULL, NULL, NULL, NULL, NULL, NULL, NULL, %s, NULL)"
SUBMIT = "CALL tasker_cycle(%s, %s, UTC_TIMESTAMP(6), 0, %s, %s, %s, %s, 0, 'image', %s, NULL, NULL)"
SUBMIT_AND_TAKE = "CALL tasker_cycle(%s, %s, UTC_TIMESTAMP(6), 600, %s, %s, %s, %s, 0, 'image', %s, %s, NULL)"


def answer(row):
    """tasker_cycle's row as a dict: the submission's outcome, the assignment's, the lease."""
    return {"submitted": row[0], "train": row[1], "taken": row[2], "lease": row[3], "task": row[4], "bounty": row[8]}


def take(cur, job_id, tasker_id, session=None):
    """A new lease for the tasker in the job, or RuntimeError."""
    taken = answer(call(cur, TAKE, (tasker_id, session, job_id)))
    if taken["taken"] != "new":
        raise RuntimeError(f"the take answered {taken['taken']}")
    return taken


def submit(cur, tasker_id, job_id, lease, boxes=BOXES, take_next=False, session=None):
    """Submits `boxes` for `lease` (a dict from `take`), and takes the next lease in the same
    call when `take_next`; RuntimeError unless the submission (and the take) answered new."""
    args = (tasker_id, session, lease["lease"], lease["task"], job_id, lease["bounty"], boxes)
    done = answer(call(cur, SUBMIT_AND_TAKE, args + (job_id,)) if take_next else call(cur, SUBMIT, args))
    if done["submitted"] != "new" or (take_next and done["taken"] != "new"):
        raise RuntimeError(f"the submission answered {done['submitted']}, the take {done['taken']}")
    return done


def expect_new(row):
    """A submission's row, unless it answered anything but `new`."""
    if row[0] != "new":
        raise RuntimeError(f"the submission answered {row[0]}")
    return row


def run_tasker(socket, variant, job, tasker, seconds, results):
    """One client: cycles of `variant` for `seconds`; puts (cycles, error) on `results`.
    The 'writes' variants take the job's tasks in order from tasker["first_task"]."""
    cycles, error = 0, None
    try:
        cur = connect(socket).cursor()
        task = tasker.get("first_task")
        session = tasker.get("token_hash")
        lease = take(cur, job["id"], tasker["id"], session) if variant == "one call" else None
        deadline = time.monotonic() + seconds
        while time.monotonic() < deadline:
            # take and submit raise unless the database answered `new`; the other variants'
            # procedures are checked below.
            if variant == "procedures":
                submit(cur, tasker["id"], job["id"], take(cur, job["id"], tasker["id"], session), session=session)
            elif variant == "one call":
                lease = submit(cur, tasker["id"], job["id"], lease, take_next=True, session=session)
            elif variant == "empty calls":
                call(cur, "CALL bench_empty_call(%s, %s)", (job["id"], tasker["id"]))
                expect_new(call(cur, "CALL bench_empty_call(%s, %s)", (job["id"], tasker["id"])))
            else:
                lease = call(cur, "CALL bench_writes_take(%s, %s, %s, %s, UTC_TIMESTAMP(6))",
                             (job["id"], tasker["id"], task, job["bounty"]))[1]
                expect_new(call(cur, "CALL bench_writes_submit(%s, %s, %s, %s, %s, UTC_TIMESTAMP(6))",
                                (lease, tasker["id"], task, job["id"], job["bounty"])))
                task += 1
            cycles += 1
    except Exception as e:  # reported by the parent, which fails the whole measurement
        error = f"{type(e).__name__}: {e}"
    results.put((cycles, error))


def copy_job(cur, job_id, tasks):
    """A copy of the job, active, with `tasks` fresh tasks whose slots are all open and paid
    for: their bounties moved from the job's requester into an escrow of the copy's own,
    with the ledger entry, as a top-up moves them."""
    slots = tasks * RESULTS_PER_IMAGE
    cur.execute("SELECT j.bounty, u.account_id FROM jobs j JOIN users u ON u.id = j.requester_id WHERE j.id = %s",
                (job_id,))
    bounty, payer = cur.fetchone()
    cost = bounty * slots
    cur.execute("INSERT INTO accounts (kind) VALUES ('job')")
    escrow = cur.lastrowid
    cur.execute("""INSERT INTO jobs (requester_id, name, title, description, instructions, type, labels, bounty,
                                     budget, results_per_image, state, start_time, end_time, account_id, escrowed_slots)
                   SELECT requester_id, CONCAT('db cycle cost ', %s), title, description, instructions, type,
                          labels, bounty, %s, %s, 'active', NULL, NULL, %s, %s
                     FROM jobs WHERE id = %s""", (escrow, cost, RESULTS_PER_IMAGE, escrow, slots, job_id))
    job = cur.lastrowid
    cur.execute(f"""INSERT INTO tasks (job_id, sha256, mime_type, width, height, byte_count, filename,
                                      results_wanted, train_count, open_slots)
                    SELECT %s, UNHEX(CONCAT(LPAD(HEX(%s), 16, '0'), LPAD(HEX(seq), 48, '0'))), 'image/png',
                           640, 480, 1, 'cost.png', %s, 0, %s
                      FROM seq_1_to_{tasks}""", (job, job, RESULTS_PER_IMAGE, RESULTS_PER_IMAGE))
    cur.execute("UPDATE accounts SET balance = balance - %s WHERE id = %s", (cost, payer))
    cur.execute("UPDATE accounts SET balance = balance + %s WHERE id = %s", (cost, escrow))
    cur.execute("INSERT INTO ledger_entries (kind, amount, from_account, to_account, job_id) "
                "VALUES ('escrow', %s, %s, %s, %s)", (cost, payer, escrow, job))
    cur.execute("SELECT MIN(id) FROM tasks WHERE job_id = %s", (job,))
    first_task = cur.fetchone()[0]
    return {"id": job, "escrow": escrow, "bounty": bounty, "first_task": first_task}


def new_taskers(cur, count):
    """`count` taskers made in SQL (they never sign in: their password hash matches nothing)."""
    taskers = []
    for _ in range(count):
        cur.execute("INSERT INTO accounts (kind) VALUES ('user')")
        account = cur.lastrowid
        cur.execute("INSERT INTO users (email, screen_name, password_hash, role, account_id) "
                    "VALUES (CONCAT('db-cycle-cost-', %s, '@bench.invalid'), 'cost', '!', 'tasker', %s)",
                    (account, account))
        taskers.append({"id": cur.lastrowid, "account": account})
    return taskers


def signed_in(cur, taskers):
    """Gives each tasker a session, as signing in would (the token's hash only), in
    tasker["token_hash"]."""
    for tasker in taskers:
        tasker["token_hash"] = os.urandom(32)
        cur.execute("INSERT INTO sessions (user_id, token_hash, expires_at) "
                    "VALUES (%s, %s, UTC_TIMESTAMP(6) + INTERVAL 1 DAY)", (tasker["id"], tasker["token_hash"]))
    return taskers


def measure(socket, pid, variant, job, taskers, seconds, client=run_tasker):
    """Runs `client` (run_tasker's signature) once per tasker, each in a process of its own,
    and returns the cycles they made and mariadbd's CPU per cycle."""
    results = multiprocessing.Queue()
    processes = [multiprocessing.Process(target=client, args=(socket, variant, job, tasker, seconds, results))
                 for tasker in taskers]
    cpu_before, started = proc_stat(pid)[2], time.monotonic()
    for process in processes:
        process.start()
    try:
        outcomes = [results.get(timeout=seconds + GRACE_SECONDS) for _ in processes]
    except queue.Empty:
        for process in processes:
            process.terminate()
        raise SystemExit(f"{variant}: a client neither finished nor failed within {seconds + GRACE_SECONDS:.0f} s")
    for process in processes:
        process.join()
    wall, cpu = time.monotonic() - started, (proc_stat(pid)[2] - cpu_before) / CLK
    errors = [error for _, error in outcomes if error]
    if errors:
        raise SystemExit(f"{variant}: {errors[0]}")
    cycles = sum(n for n, _ in outcomes)
    return {"variant": variant, "label": VARIANTS.get(variant, variant), "cycles": cycles, "cycles_per_s": cycles / wall,
            "mariadbd_percent": 100 * cpu / wall, "ms_per_cycle": 1000 * cpu / cycles if cycles else None}


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--inst", required=True)
    parser.add_argument("--job", type=int, required=True)
    parser.add_argument("--out", required=True)
    parser.add_argument("--clients", type=int, default=8)
    parser.add_argument("--seconds", type=float, default=10)
    parser.add_argument("--rounds", type=int, default=2)
    args = parser.parse_args()
    socket = os.path.join(args.inst, "run", "mysqld.sock")
    pid = read_pid(os.path.join(args.inst, "run", "mysqld.pid"))

    cur = connect(socket).cursor()
    for statement in WRITE_PROCEDURES.values():
        cur.execute(statement)
    runs = []
    try:
        for round_ in range(1, args.rounds + 1):
            job = copy_job(cur, args.job, args.clients * STRIDE)
            for variant in VARIANTS:
                # Fresh taskers for every run: none of them has had a task of the job yet.
                taskers = signed_in(cur, new_taskers(cur, args.clients))
                for i, tasker in enumerate(taskers):
                    tasker["first_task"] = job["first_task"] + i * STRIDE
                run = measure(socket, pid, variant, job, taskers, args.seconds)
                run["round"] = round_
                runs.append(run)
                print(f"    round {round_}  {variant:<22} {run['cycles_per_s']:8,.0f} cycles/s   mariadbd "
                      f"{run['mariadbd_percent']:4.0f}%   {run['ms_per_cycle']:.3f} ms of its CPU per cycle",
                      file=sys.stderr, flush=True)
    finally:
        for name in WRITE_PROCEDURES:
            cur.execute(f"DROP PROCEDURE IF EXISTS {name}")
        with open(args.out, "w") as f:
            json.dump({"clients": args.clients, "seconds": args.seconds, "runs": runs}, f)


if __name__ == "__main__":
    main()
