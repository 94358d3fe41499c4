-- An experiment, not part of the schema (bench/experiments/lean_cycle_ab.py loads it into a
-- throwaway instance): the schema redesign the notes on issue 2 left untried, as its
-- cheapest form for MariaDB, so that what it would cost is measured instead of guessed.
-- One request per cycle (submit with ?next=true) is one CALL and one transaction:
--
--   CALL lean_cycle(token_hash, lease, now, seconds, nothing_to_mark, coordinate_space, boxes_json)
--
-- What is lean about it, against the worker's four round trips today (the session, the
-- lease with its task and job, submit_train, take_lease):
-- * the session, the lease and the box checks are inside the procedure (the checks of a
--   box written in SQL: in a real change they would move here from the worker);
-- * a lease and its train are one row of `lean_leases` (the boxes a JSON column): no
--   `trains` row with four secondary indexes and no `boxes` rows;
-- * `lean_leases` has two secondary indexes: (task_id, tasker_id), which keeps a task from
--   going twice to one tasker and lists a task's results, and (job_id, state, id), which
--   lists a job's results and finds its live leases for the reaper;
-- * one row per (tasker, job), `lean_progress`, holds the tasker's live lease and highest
--   task and is locked instead of the tasker's user row (bench/experiments/progress_row.sql);
-- * the job's escrow row is updated once per cycle: the payment of the submitted lease and
--   the reserve of the next one in one UPDATE, last; the ledger entry after it.
-- Kept: the session's expiry; the lease must be the tasker's, live and in time; the boxes
-- inside the image and with the job's labels; the job's state and time window; forward
-- search with SKIP LOCKED, and the whole job when nothing is ahead; the slot under
-- `open_slots > 0`; the reserve only while the free budget covers a bounty (else the
-- payment alone); one ledger entry per payment; one commit.
-- Left out, because the measurement does not reach them: ending the tasker's own expired
-- lease, the "every free task is locked" retry, and outcomes other than `new` and
-- `no_work` beyond a plain refusal.
CREATE TABLE IF NOT EXISTS lean_leases (
    id BIGINT NOT NULL AUTO_INCREMENT PRIMARY KEY,
    task_id BIGINT NOT NULL,
    job_id BIGINT NOT NULL,
    tasker_id BIGINT NOT NULL,
    state ENUM('live', 'submitted', 'released', 'expired') NOT NULL DEFAULT 'live',
    bounty DECIMAL(14, 2) NOT NULL,
    created_at DATETIME(6) NOT NULL,
    expires_at DATETIME(6) NOT NULL,
    ended_at DATETIME(6) NULL,
    nothing_to_mark TINYINT NULL,
    coordinate_space ENUM('image', 'legacy-canvas') NULL,
    boxes JSON NULL,
    UNIQUE KEY lean_leases_task_tasker (task_id, tasker_id),
    KEY lean_leases_job_state (job_id, state, id)
) ENGINE=InnoDB;

CREATE TABLE IF NOT EXISTS lean_progress (
    tasker_id BIGINT NOT NULL,
    job_id BIGINT NOT NULL,
    live_lease_id BIGINT NULL,
    last_task_id BIGINT NOT NULL DEFAULT 0,
    PRIMARY KEY (tasker_id, job_id)
) ENGINE=InnoDB;

-- The first lease of a tasker in a job (the cycle needs one to submit): take_lease's path
-- for a fresh tasker, on the lean tables.
CREATE OR REPLACE PROCEDURE lean_first_take(IN p_job BIGINT, IN p_tasker BIGINT, IN p_now DATETIME(6), IN p_seconds INT)
MODIFIES SQL DATA
BEGIN
    DECLARE v_bounty DECIMAL(14, 2);
    DECLARE v_escrow, v_task BIGINT DEFAULT NULL;
    DECLARE EXIT HANDLER FOR SQLEXCEPTION BEGIN ROLLBACK; RESIGNAL; END;
    START TRANSACTION;
    SELECT bounty, account_id INTO v_bounty, v_escrow FROM jobs WHERE id = p_job LOCK IN SHARE MODE;
    INSERT INTO lean_progress (tasker_id, job_id) VALUES (p_tasker, p_job);
    SELECT id INTO v_task FROM tasks WHERE job_id = p_job AND is_open = 1 ORDER BY id LIMIT 1 FOR UPDATE SKIP LOCKED;
    UPDATE tasks SET open_slots = open_slots - 1 WHERE id = v_task AND open_slots > 0;
    INSERT INTO lean_leases (task_id, job_id, tasker_id, bounty, created_at, expires_at)
    VALUES (v_task, p_job, p_tasker, v_bounty, p_now, p_now + INTERVAL p_seconds SECOND);
    UPDATE lean_progress SET live_lease_id = LAST_INSERT_ID(), last_task_id = v_task
     WHERE tasker_id = p_tasker AND job_id = p_job;
    UPDATE accounts SET reserved = reserved + v_bounty WHERE id = v_escrow AND balance - reserved >= v_bounty;
    COMMIT;
    SELECT LAST_INSERT_ID() AS id;
END;

CREATE OR REPLACE PROCEDURE lean_cycle(
    IN p_token_hash BINARY(32), IN p_lease BIGINT, IN p_now DATETIME(6), IN p_seconds INT,
    IN p_nothing_to_mark TINYINT, IN p_space VARCHAR(16) CHARACTER SET utf8mb4,
    IN p_boxes LONGTEXT CHARACTER SET utf8mb4)
MODIFIES SQL DATA
BEGIN
    DECLARE v_tasker, v_earnings BIGINT DEFAULT NULL;
    DECLARE v_job, v_task, v_escrow BIGINT DEFAULT NULL;
    DECLARE v_paid, v_bounty DECIMAL(14, 2) DEFAULT NULL;
    DECLARE v_width, v_height INT DEFAULT NULL;
    DECLARE v_job_state VARCHAR(16) DEFAULT NULL;
    DECLARE v_start, v_end DATETIME(6) DEFAULT NULL;
    DECLARE v_labels TEXT CHARACTER SET utf8mb4;
    DECLARE v_last BIGINT DEFAULT NULL;
    DECLARE v_bad INT DEFAULT 0;
    DECLARE v_next, v_next_task BIGINT DEFAULT NULL;
    DECLARE v_next_width, v_next_height INT DEFAULT NULL;
    DECLARE v_expires DATETIME(6) DEFAULT NULL;
    DECLARE v_outcome VARCHAR(16) DEFAULT NULL;
    DECLARE CONTINUE HANDLER FOR NOT FOUND BEGIN END;
    DECLARE EXIT HANDLER FOR SQLEXCEPTION BEGIN ROLLBACK; RESIGNAL; END;

    START TRANSACTION;
    -- Who is asking: the session, unexpired, and the tasker's account.
    SELECT u.id, u.account_id INTO v_tasker, v_earnings
      FROM sessions s JOIN users u ON u.id = s.user_id
     WHERE s.token_hash = p_token_hash AND s.expires_at > p_now AND u.role = 'tasker';
    -- The lease as committed, without a lock: it names the job, whose progress row is
    -- locked first (the order every take and submission of a tasker keeps).
    SELECT job_id INTO v_job FROM lean_leases WHERE id = p_lease AND tasker_id = v_tasker;
    SELECT last_task_id INTO v_last FROM lean_progress
     WHERE tasker_id = v_tasker AND job_id = v_job FOR UPDATE;
    SELECT l.task_id, l.bounty, l.expires_at, t.width, t.height
      INTO v_task, v_paid, v_expires, v_width, v_height
      FROM lean_leases l JOIN tasks t ON t.id = l.task_id
     WHERE l.id = p_lease AND l.state = 'live' FOR UPDATE;
    IF v_tasker IS NULL OR v_last IS NULL OR v_task IS NULL OR v_expires <= p_now THEN
        SET v_outcome = 'refused';
    END IF;

    IF v_outcome IS NULL THEN
        SELECT state, start_time, end_time, bounty, account_id, labels
          INTO v_job_state, v_start, v_end, v_bounty, v_escrow, v_labels
          FROM jobs WHERE id = v_job LOCK IN SHARE MODE;
        -- Every box inside the image and with one of the job's labels.
        SELECT COUNT(*) INTO v_bad
          FROM JSON_TABLE(p_boxes, '$[*]' COLUMNS (
                   x DOUBLE PATH '$.x' ERROR ON EMPTY, y DOUBLE PATH '$.y' ERROR ON EMPTY,
                   w DOUBLE PATH '$.w' ERROR ON EMPTY, h DOUBLE PATH '$.h' ERROR ON EMPTY,
                   label VARCHAR(64) CHARACTER SET utf8mb4 PATH '$.label' ERROR ON EMPTY)) AS b
         WHERE NOT (b.x >= 0 AND b.y >= 0 AND b.w > 0 AND b.h > 0
                    AND b.x + b.w <= v_width AND b.y + b.h <= v_height
                    AND JSON_CONTAINS(v_labels, JSON_QUOTE(b.label)));
        IF v_bad > 0 OR (p_nothing_to_mark = 1) = (JSON_LENGTH(p_boxes) > 0) THEN
            SET v_outcome = 'refused';
        END IF;
    END IF;

    IF v_outcome IS NULL THEN
        -- The submission: the lease becomes the train, counted on its task, paid to the tasker.
        UPDATE lean_leases SET state = 'submitted', ended_at = p_now, nothing_to_mark = p_nothing_to_mark,
                               coordinate_space = p_space, boxes = p_boxes
         WHERE id = p_lease;
        UPDATE tasks SET train_count = train_count + 1 WHERE id = v_task;
        UPDATE accounts SET balance = balance + v_paid WHERE id = v_earnings;
        UPDATE lean_progress SET live_lease_id = NULL WHERE tasker_id = v_tasker AND job_id = v_job;

        -- The next lease, while the job hands out work.
        IF v_job_state = 'active' AND (v_start IS NULL OR v_start <= p_now) AND (v_end IS NULL OR v_end > p_now) THEN
            SAVEPOINT next_lease;
            search: LOOP
                SET v_next_task = NULL;
                SELECT t.id, t.width, t.height INTO v_next_task, v_next_width, v_next_height FROM tasks t
                 WHERE t.job_id = v_job AND t.is_open = 1 AND t.id > v_last
                   AND NOT EXISTS (SELECT 1 FROM lean_leases l WHERE l.task_id = t.id AND l.tasker_id = v_tasker)
                 ORDER BY t.id LIMIT 1 FOR UPDATE SKIP LOCKED;
                IF v_next_task IS NOT NULL OR v_last = 0 THEN
                    LEAVE search;
                END IF;
                SET v_last = 0;
            END LOOP;
            IF v_next_task IS NOT NULL THEN
                UPDATE tasks SET open_slots = open_slots - 1 WHERE id = v_next_task AND open_slots > 0;
                SET v_expires = p_now + INTERVAL p_seconds SECOND;
                INSERT INTO lean_leases (task_id, job_id, tasker_id, bounty, created_at, expires_at)
                VALUES (v_next_task, v_job, v_tasker, v_bounty, p_now, v_expires);
                SET v_next = LAST_INSERT_ID();
                UPDATE lean_progress SET live_lease_id = v_next, last_task_id = v_next_task
                 WHERE tasker_id = v_tasker AND job_id = v_job;
            END IF;
        END IF;

        -- The escrow, last: the payment and the next reserve in one UPDATE.
        IF v_next IS NOT NULL THEN
            UPDATE accounts SET balance = balance - v_paid, reserved = reserved - v_paid + v_bounty
             WHERE id = v_escrow AND reserved >= v_paid AND balance - reserved >= v_bounty;
            IF ROW_COUNT() <> 1 THEN
                ROLLBACK TO SAVEPOINT next_lease;
                SET v_next = NULL;
            END IF;
        END IF;
        IF v_next IS NULL THEN
            UPDATE accounts SET balance = balance - v_paid, reserved = reserved - v_paid
             WHERE id = v_escrow AND reserved >= v_paid;
        END IF;
        INSERT INTO ledger_entries (kind, amount, from_account, to_account, job_id, train_id)
        VALUES ('bounty', v_paid, v_escrow, v_earnings, v_job, p_lease);
        SET v_outcome = IF(v_next IS NULL, 'no_work', 'new');
    END IF;

    IF v_outcome = 'refused' THEN ROLLBACK; ELSE COMMIT; END IF;
    SELECT v_outcome AS outcome, p_lease AS train_id, v_next AS id, v_next_task AS task_id,
           v_job AS job_id, v_bounty AS bounty, v_expires AS expires_at,
           v_next_width AS width, v_next_height AS height, v_labels AS labels;
END;
