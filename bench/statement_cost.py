#!/usr/bin/env python3
"""What a statement costs MariaDB by itself, one row at a time against in batches of 8.

    /usr/bin/python3 bench/statement_cost.py SOCKET [PID]

SOCKET is a running instance's socket (as root, e.g. var/run/mysqld.sock after `make run`);
PID that of its mariadbd (found with pgrep otherwise). It creates a scratch database
`tt_statement_cost`, and in stored procedures (no round trips) runs 8,000 times a
primary-key UPDATE plus a one-row INSERT, committing every 8, against 1,000 times an 8-row
UPDATE ... WHERE id IN (...) plus an 8-row INSERT ... SELECT, one commit each. It prints the
CPU mariadbd used per pair of rows, three rounds, and drops the database. Reports only.
"""
import subprocess
import sys

import pymysql

from ttbench import CLK, proc_stat

ROWS = 8000


def main():
    if len(sys.argv) < 2:
        sys.exit(__doc__)
    socket = sys.argv[1]
    pid = int(sys.argv[2]) if len(sys.argv) > 2 else int(
        subprocess.check_output(["pgrep", "-o", "mariadbd"]).split()[0])

    def cpu_seconds():
        return proc_stat(pid)[2] / CLK

    db = pymysql.connect(unix_socket=socket, user="root", autocommit=True).cursor()
    db.execute("CREATE OR REPLACE DATABASE tt_statement_cost")
    db.execute("USE tt_statement_cost")
    db.execute("CREATE TABLE counted (id BIGINT PRIMARY KEY, n INT NOT NULL) ENGINE=InnoDB")
    db.execute(f"INSERT INTO counted SELECT seq, 0 FROM seq_1_to_{ROWS}")
    db.execute("CREATE TABLE entries (id BIGINT AUTO_INCREMENT PRIMARY KEY, counted_id BIGINT, "
               "amount DECIMAL(14, 2)) ENGINE=InnoDB")
    db.execute("""CREATE PROCEDURE one_at_a_time(n INT) BEGIN
        DECLARE i INT DEFAULT 0;
        WHILE i < n DO
            IF i MOD 8 = 0 THEN START TRANSACTION; END IF;
            UPDATE counted SET n = n + 1 WHERE id = 1 + i;
            INSERT INTO entries (counted_id, amount) VALUES (1 + i, 0.10);
            IF i MOD 8 = 7 THEN COMMIT; END IF;
            SET i = i + 1;
        END WHILE; END""")
    db.execute("""CREATE PROCEDURE eight_at_a_time(n INT) BEGIN
        DECLARE i INT DEFAULT 0;
        WHILE i < n DO
            START TRANSACTION;
            UPDATE counted SET n = n + 1 WHERE id IN (1 + i, 2 + i, 3 + i, 4 + i, 5 + i, 6 + i, 7 + i, 8 + i);
            INSERT INTO entries (counted_id, amount) SELECT i + seq, 0.10 FROM seq_1_to_8;
            COMMIT;
            SET i = i + 8;
        END WHILE; END""")
    try:
        for round_ in range(1, 4):
            for procedure in ("one_at_a_time", "eight_at_a_time"):
                before = cpu_seconds()
                db.execute(f"CALL {procedure}({ROWS})")
                used = cpu_seconds() - before
                print(f"round {round_}  {procedure:16s} {used / ROWS * 1e6:6.1f} us of mariadbd CPU per pair of rows")
    finally:
        db.execute("DROP DATABASE tt_statement_cost")


if __name__ == "__main__":
    main()
