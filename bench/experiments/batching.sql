-- An experiment, not part of the schema (bench/experiments/batching_ab.py loads it into a
-- throwaway instance): the cycle for eight taskers in one transaction, as a worker that
-- gathered the submissions of its threads would run it.
--
-- batch8_take + batch8_submit: only the row writes of bench/db_cycle_cost.py's 'writes'
-- variant, for eight cycles at once, one statement per kind of row. Tasker i of a batch
-- (taskers: a JSON array of [tasker_id, account_id]) takes task p_first_task + i - 1; the
-- eight leases, and then the eight trains, get consecutive ids (innodb_autoinc_lock_mode =
-- 1, MariaDB's default, gives an INSERT ... SELECT consecutive ids).
CREATE OR REPLACE PROCEDURE batch8_take(IN p_job BIGINT, IN p_first_task BIGINT, IN p_taskers JSON,
    IN p_escrow BIGINT, IN p_bounty DECIMAL(14, 2), IN p_now DATETIME(6))
MODIFIES SQL DATA BEGIN
    DECLARE EXIT HANDLER FOR SQLEXCEPTION BEGIN ROLLBACK; RESIGNAL; END;
    START TRANSACTION;
    UPDATE tasks SET open_slots = open_slots - 1 WHERE id BETWEEN p_first_task AND p_first_task + 7;
    INSERT INTO leases (task_id, job_id, tasker_id, bounty, created_at, expires_at)
    SELECT p_first_task + t.i - 1, p_job, t.tasker, p_bounty, p_now, p_now + INTERVAL 600 SECOND
      FROM JSON_TABLE(p_taskers, '$[*]' COLUMNS (i FOR ORDINALITY, tasker BIGINT PATH '$[0]')) AS t
     ORDER BY t.i;
    UPDATE accounts SET reserved = reserved + 8 * p_bounty WHERE id = p_escrow;
    COMMIT;
    SELECT 'new' AS outcome, LAST_INSERT_ID() AS first_lease;
END;
CREATE OR REPLACE PROCEDURE batch8_submit(IN p_job BIGINT, IN p_first_task BIGINT, IN p_first_lease BIGINT,
    IN p_taskers JSON, IN p_escrow BIGINT, IN p_bounty DECIMAL(14, 2), IN p_now DATETIME(6))
MODIFIES SQL DATA BEGIN
    DECLARE v_first_train BIGINT;
    DECLARE EXIT HANDLER FOR SQLEXCEPTION BEGIN ROLLBACK; RESIGNAL; END;
    START TRANSACTION;
    UPDATE leases SET state = 'submitted', ended_at = p_now WHERE id BETWEEN p_first_lease AND p_first_lease + 7;
    UPDATE tasks SET train_count = train_count + 1 WHERE id BETWEEN p_first_task AND p_first_task + 7;
    INSERT INTO trains (lease_id, task_id, job_id, tasker_id, nothing_to_mark, coordinate_space, bounty, created_at)
    SELECT p_first_lease + t.i - 1, p_first_task + t.i - 1, p_job, t.tasker, 0, 'image', p_bounty, p_now
      FROM JSON_TABLE(p_taskers, '$[*]' COLUMNS (i FOR ORDINALITY, tasker BIGINT PATH '$[0]')) AS t
     ORDER BY t.i;
    SET v_first_train = LAST_INSERT_ID();
    INSERT INTO boxes (train_id, x, y, w, h, label)
    SELECT v_first_train + seq - 1, 10, 20, 30, 40, 'car' FROM seq_1_to_8;
    UPDATE accounts a
      JOIN JSON_TABLE(p_taskers, '$[*]' COLUMNS (account BIGINT PATH '$[1]')) AS t ON a.id = t.account
       SET a.balance = a.balance + p_bounty;
    UPDATE accounts SET balance = balance - 8 * p_bounty, reserved = reserved - 8 * p_bounty WHERE id = p_escrow;
    INSERT INTO ledger_entries (kind, amount, from_account, to_account, job_id, train_id)
    SELECT 'bounty', p_bounty, p_escrow, t.account, p_job, v_first_train + t.i - 1
      FROM JSON_TABLE(p_taskers, '$[*]' COLUMNS (i FOR ORDINALITY, account BIGINT PATH '$[1]')) AS t;
    COMMIT;
    SELECT 'new' AS outcome, v_first_train AS first_train;
END;

-- batch_cycle: the whole one-request cycle for several taskers in one transaction. Per
-- tasker it runs the statements of tasker_cycle's submission and assignment (the lease ended only if
-- live and the tasker's, the task counted, the train and its boxes stored, the tasker
-- credited and the movement recorded; the tasker's row locked, the live lease looked up,
-- the highest task, the candidate search with SKIP LOCKED, the slot, the
-- lease). The job's escrow is locked once, first, and updated once, last, for the batch; a
-- take is refused when the free budget left in the batch is below a bounty.
-- Left out, because the measurement does not reach them: ending an expired lease, the
-- search from the start of the job, the "every free task is locked" check, deadlock
-- retries, and any outcome but a paid train with a next lease.
--   items: a JSON array of {"tasker", "lease", "task", "boxes"} (the procedures read the
--   tasker's account themselves, as tasker_cycle does)
--   returns one row: a JSON array of [train, next lease, next task] per item, in order
CREATE OR REPLACE PROCEDURE batch_cycle(IN p_job BIGINT, IN p_items LONGTEXT, IN p_now DATETIME(6), IN p_seconds INT)
MODIFIES SQL DATA
BEGIN
    DECLARE v_n, v_i INT DEFAULT 0;
    DECLARE v_bounty, v_free DECIMAL(14, 2);
    DECLARE v_escrow BIGINT;
    DECLARE v_paid, v_reserved INT DEFAULT 0;
    DECLARE v_tasker, v_account, v_lease, v_task, v_train, v_next, v_new_lease, v_live BIGINT;
    DECLARE v_after BIGINT;
    DECLARE v_out LONGTEXT DEFAULT '[]';
    DECLARE CONTINUE HANDLER FOR NOT FOUND BEGIN END;
    DECLARE EXIT HANDLER FOR SQLEXCEPTION BEGIN ROLLBACK; RESIGNAL; END;

    START TRANSACTION;
    SELECT bounty, account_id INTO v_bounty, v_escrow FROM jobs WHERE id = p_job LOCK IN SHARE MODE;
    SELECT balance - reserved INTO v_free FROM accounts WHERE id = v_escrow FOR UPDATE;
    SET v_n = JSON_LENGTH(p_items);
    WHILE v_i < v_n DO
        SET v_tasker = JSON_VALUE(p_items, CONCAT('$[', v_i, '].tasker')),
            v_lease = JSON_VALUE(p_items, CONCAT('$[', v_i, '].lease')),
            v_task = JSON_VALUE(p_items, CONCAT('$[', v_i, '].task')),
            v_train = NULL, v_next = NULL, v_new_lease = NULL, v_live = NULL;
        -- the submission
        UPDATE leases SET state = 'submitted', ended_at = p_now
         WHERE id = v_lease AND tasker_id = v_tasker AND task_id = v_task AND job_id = p_job AND bounty = v_bounty
           AND state = 'live' AND expires_at > p_now;
        IF ROW_COUNT() = 1 THEN
            UPDATE tasks SET train_count = train_count + 1 WHERE id = v_task;
            -- tasker_cycle reads the tasker's account this way
            SELECT u.account_id INTO v_account FROM jobs j JOIN users u ON u.id = v_tasker WHERE j.id = p_job;
            INSERT INTO trains (lease_id, task_id, job_id, tasker_id, nothing_to_mark, coordinate_space, bounty, created_at)
            VALUES (v_lease, v_task, p_job, v_tasker, 0, 'image', v_bounty, p_now);
            SET v_train = LAST_INSERT_ID();
            INSERT INTO boxes (train_id, x, y, w, h, label)
            SELECT v_train, b.x, b.y, b.w, b.h, b.label
              FROM JSON_TABLE(JSON_EXTRACT(p_items, CONCAT('$[', v_i, '].boxes')), '$[*]' COLUMNS (
                       position FOR ORDINALITY,
                       x DOUBLE PATH '$.x' ERROR ON EMPTY, y DOUBLE PATH '$.y' ERROR ON EMPTY,
                       w DOUBLE PATH '$.w' ERROR ON EMPTY, h DOUBLE PATH '$.h' ERROR ON EMPTY,
                       label VARCHAR(64) CHARACTER SET utf8mb4 PATH '$.label' ERROR ON EMPTY)) AS b
             ORDER BY b.position;
            UPDATE accounts SET balance = balance + v_bounty WHERE id = v_account;
            INSERT INTO ledger_entries (kind, amount, from_account, to_account, job_id, train_id)
            VALUES ('bounty', v_bounty, v_escrow, v_account, p_job, v_train);
            SET v_paid = v_paid + 1;
        END IF;
        -- the next lease
        IF v_free - v_reserved * v_bounty >= v_bounty THEN
            SELECT id INTO v_live FROM users WHERE id = v_tasker FOR UPDATE;
            SET v_live = NULL;
            SELECT l.id INTO v_live FROM leases l JOIN tasks t ON t.id = l.task_id
             WHERE l.tasker_id = v_tasker AND l.job_id = p_job AND l.state = 'live'
             ORDER BY l.expires_at DESC, l.id LIMIT 1;
            IF v_live IS NULL THEN
                SELECT COALESCE(MAX(task_id), 0) INTO v_after FROM leases WHERE tasker_id = v_tasker AND job_id = p_job;
                SELECT t.id INTO v_next FROM tasks t
                 WHERE t.job_id = p_job AND t.is_open = 1 AND t.id > v_after
                   AND NOT EXISTS (SELECT 1 FROM leases l WHERE l.task_id = t.id AND l.tasker_id = v_tasker)
                 ORDER BY t.id LIMIT 1
                 FOR UPDATE SKIP LOCKED;
                IF v_next IS NOT NULL THEN
                    UPDATE tasks SET open_slots = open_slots - 1 WHERE id = v_next AND open_slots > 0;
                    IF ROW_COUNT() = 1 THEN
                        INSERT INTO leases (task_id, job_id, tasker_id, bounty, created_at, expires_at)
                        VALUES (v_next, p_job, v_tasker, v_bounty, p_now, p_now + INTERVAL p_seconds SECOND);
                        SET v_new_lease = LAST_INSERT_ID(), v_reserved = v_reserved + 1;
                    END IF;
                END IF;
            END IF;
        END IF;
        SET v_out = JSON_ARRAY_APPEND(v_out, '$', JSON_ARRAY(v_train, v_new_lease, v_next));
        SET v_i = v_i + 1;
    END WHILE;
    UPDATE accounts SET balance = balance - v_paid * v_bounty,
                        reserved = reserved - v_paid * v_bounty + v_reserved * v_bounty
     WHERE id = v_escrow;
    COMMIT;
    SELECT v_out AS results;
END;

-- batch_cycle_set: batch_cycle with the submissions written once per kind of row for the
-- whole batch (as batch8_submit does), the takes still one tasker at a time. Two items of
-- one batch never belong to one tasker (a tasker has one request at a time), and every
-- item has at least one box (the NESTED PATH of "nothing to mark" is not handled). Its take
-- loop repeats batch_cycle's on purpose: each procedure is measured as one whole call.
CREATE OR REPLACE PROCEDURE batch_cycle_set(IN p_job BIGINT, IN p_items LONGTEXT, IN p_now DATETIME(6), IN p_seconds INT)
MODIFIES SQL DATA
BEGIN
    DECLARE v_n, v_i INT DEFAULT 0;
    DECLARE v_bounty, v_free DECIMAL(14, 2);
    DECLARE v_escrow BIGINT;
    DECLARE v_paid, v_reserved INT DEFAULT 0;
    DECLARE v_tasker, v_lease, v_train, v_next, v_new_lease, v_live BIGINT;
    DECLARE v_after BIGINT;
    DECLARE v_out LONGTEXT DEFAULT '[]';
    DECLARE CONTINUE HANDLER FOR NOT FOUND BEGIN END;
    DECLARE EXIT HANDLER FOR SQLEXCEPTION BEGIN ROLLBACK; RESIGNAL; END;

    START TRANSACTION;
    SELECT bounty, account_id INTO v_bounty, v_escrow FROM jobs WHERE id = p_job LOCK IN SHARE MODE;
    SELECT balance - reserved INTO v_free FROM accounts WHERE id = v_escrow FOR UPDATE;
    -- the submissions: the leases that are live and the tasker's end, and only those are paid
    UPDATE leases l
      JOIN JSON_TABLE(p_items, '$[*]' COLUMNS (lease BIGINT PATH '$.lease', tasker BIGINT PATH '$.tasker',
                                               task BIGINT PATH '$.task')) AS i ON l.id = i.lease
       SET l.state = 'submitted', l.ended_at = p_now
     WHERE l.tasker_id = i.tasker AND l.task_id = i.task AND l.job_id = p_job AND l.bounty = v_bounty
       AND l.state = 'live' AND l.expires_at > p_now;
    SET v_paid = ROW_COUNT();
    UPDATE tasks t
      JOIN (SELECT l.task_id, COUNT(*) AS n
              FROM JSON_TABLE(p_items, '$[*]' COLUMNS (lease BIGINT PATH '$.lease')) AS i
              JOIN leases l ON l.id = i.lease AND l.state = 'submitted' AND l.ended_at = p_now
             GROUP BY l.task_id) AS c ON t.id = c.task_id
       SET t.train_count = t.train_count + c.n;
    INSERT INTO trains (lease_id, task_id, job_id, tasker_id, nothing_to_mark, coordinate_space, bounty, created_at)
    SELECT l.id, l.task_id, p_job, l.tasker_id, 0, 'image', v_bounty, p_now
      FROM JSON_TABLE(p_items, '$[*]' COLUMNS (position FOR ORDINALITY, lease BIGINT PATH '$.lease')) AS i
      JOIN leases l ON l.id = i.lease AND l.state = 'submitted' AND l.ended_at = p_now
     ORDER BY i.position;
    INSERT INTO boxes (train_id, x, y, w, h, label)
    SELECT tr.id, b.x, b.y, b.w, b.h, b.label
      FROM JSON_TABLE(p_items, '$[*]' COLUMNS (
               lease BIGINT PATH '$.lease',
               NESTED PATH '$.boxes[*]' COLUMNS (
                   position FOR ORDINALITY,
                   x DOUBLE PATH '$.x' ERROR ON EMPTY, y DOUBLE PATH '$.y' ERROR ON EMPTY,
                   w DOUBLE PATH '$.w' ERROR ON EMPTY, h DOUBLE PATH '$.h' ERROR ON EMPTY,
                   label VARCHAR(64) CHARACTER SET utf8mb4 PATH '$.label' ERROR ON EMPTY))) AS b
      JOIN trains tr ON tr.lease_id = b.lease AND tr.created_at = p_now
     ORDER BY tr.id, b.position;
    UPDATE accounts a
      JOIN users u ON u.account_id = a.id
      JOIN trains tr ON tr.tasker_id = u.id AND tr.created_at = p_now
      JOIN JSON_TABLE(p_items, '$[*]' COLUMNS (lease BIGINT PATH '$.lease')) AS i ON tr.lease_id = i.lease
       SET a.balance = a.balance + v_bounty;
    INSERT INTO ledger_entries (kind, amount, from_account, to_account, job_id, train_id)
    SELECT 'bounty', v_bounty, v_escrow, u.account_id, p_job, tr.id
      FROM JSON_TABLE(p_items, '$[*]' COLUMNS (lease BIGINT PATH '$.lease')) AS i
      JOIN trains tr ON tr.lease_id = i.lease AND tr.created_at = p_now
      JOIN users u ON u.id = tr.tasker_id;
    -- the next leases, one tasker at a time, as in batch_cycle
    SET v_n = JSON_LENGTH(p_items);
    WHILE v_i < v_n DO
        SET v_tasker = JSON_VALUE(p_items, CONCAT('$[', v_i, '].tasker')),
            v_lease = JSON_VALUE(p_items, CONCAT('$[', v_i, '].lease')),
            v_train = NULL, v_next = NULL, v_new_lease = NULL, v_live = NULL;
        SELECT id INTO v_train FROM trains WHERE lease_id = v_lease AND created_at = p_now;
        IF v_free - v_reserved * v_bounty >= v_bounty THEN
            SELECT id INTO v_live FROM users WHERE id = v_tasker FOR UPDATE;
            SET v_live = NULL;
            SELECT l.id INTO v_live FROM leases l JOIN tasks t ON t.id = l.task_id
             WHERE l.tasker_id = v_tasker AND l.job_id = p_job AND l.state = 'live'
             ORDER BY l.expires_at DESC, l.id LIMIT 1;
            IF v_live IS NULL THEN
                SELECT COALESCE(MAX(task_id), 0) INTO v_after FROM leases WHERE tasker_id = v_tasker AND job_id = p_job;
                SELECT t.id INTO v_next FROM tasks t
                 WHERE t.job_id = p_job AND t.is_open = 1 AND t.id > v_after
                   AND NOT EXISTS (SELECT 1 FROM leases l WHERE l.task_id = t.id AND l.tasker_id = v_tasker)
                 ORDER BY t.id LIMIT 1
                 FOR UPDATE SKIP LOCKED;
                IF v_next IS NOT NULL THEN
                    UPDATE tasks SET open_slots = open_slots - 1 WHERE id = v_next AND open_slots > 0;
                    IF ROW_COUNT() = 1 THEN
                        INSERT INTO leases (task_id, job_id, tasker_id, bounty, created_at, expires_at)
                        VALUES (v_next, p_job, v_tasker, v_bounty, p_now, p_now + INTERVAL p_seconds SECOND);
                        SET v_new_lease = LAST_INSERT_ID(), v_reserved = v_reserved + 1;
                    END IF;
                END IF;
            END IF;
        END IF;
        SET v_out = JSON_ARRAY_APPEND(v_out, '$', JSON_ARRAY(v_train, v_new_lease, v_next));
        SET v_i = v_i + 1;
    END WHILE;
    UPDATE accounts SET balance = balance - v_paid * v_bounty,
                        reserved = reserved - v_paid * v_bounty + v_reserved * v_bounty
     WHERE id = v_escrow;
    COMMIT;
    SELECT v_out AS results;
END;
