-- An experiment, not part of the schema (bench/experiments/progress_row_ab.py loads it into
-- a throwaway instance): the assignment and the submission with one row per (tasker, job)
-- that holds the tasker's live lease and the highest task they have had. It replaces the
-- tasker's user-row lock, the look-up of the live lease (a join with an ORDER BY) and the
-- MAX over the tasker's leases, and lets the index leases_tasker_job_state go.
-- Left out, because the measurement does not reach them: ending the tasker's own expired
-- lease, the search from the start of the job when nothing is ahead, the "every free task
-- is locked" check, and the outcomes other than `new`. The submission takes the escrow and
-- the tasker's account from the caller instead of reading them.
CREATE TABLE IF NOT EXISTS tasker_jobs (
    tasker_id BIGINT NOT NULL,
    job_id BIGINT NOT NULL,
    live_lease_id BIGINT NULL,
    last_task_id BIGINT NOT NULL DEFAULT 0,
    PRIMARY KEY (tasker_id, job_id)
) ENGINE=InnoDB;
CREATE OR REPLACE PROCEDURE lean_take(IN p_job BIGINT, IN p_tasker BIGINT, IN p_now DATETIME(6), IN p_seconds INT)
MODIFIES SQL DATA
BEGIN
    DECLARE v_state VARCHAR(16) DEFAULT NULL;
    DECLARE v_start, v_end DATETIME(6) DEFAULT NULL;
    DECLARE v_bounty DECIMAL(14, 2);
    DECLARE v_escrow BIGINT;
    DECLARE v_labels TEXT CHARACTER SET utf8mb4;
    DECLARE v_live, v_lease, v_task BIGINT DEFAULT NULL;
    DECLARE v_last BIGINT DEFAULT NULL;
    DECLARE v_width, v_height INT DEFAULT NULL;
    DECLARE v_created, v_expires DATETIME(6) DEFAULT NULL;
    DECLARE v_outcome VARCHAR(16) DEFAULT NULL;
    DECLARE CONTINUE HANDLER FOR NOT FOUND BEGIN END;
    DECLARE EXIT HANDLER FOR SQLEXCEPTION BEGIN ROLLBACK; RESIGNAL; END;
    START TRANSACTION;
    SELECT state, start_time, end_time, bounty, account_id, labels
      INTO v_state, v_start, v_end, v_bounty, v_escrow, v_labels
      FROM jobs WHERE id = p_job LOCK IN SHARE MODE;
    SET v_outcome = CASE
        WHEN v_state IS NULL OR v_state = 'draft' THEN 'not_found'
        WHEN v_state <> 'active' THEN v_state
        WHEN v_start > p_now THEN 'not_started'
        WHEN v_end <= p_now THEN 'ended'
        ELSE NULL END;
    IF v_outcome IS NULL THEN
        SELECT live_lease_id, last_task_id INTO v_live, v_last FROM tasker_jobs
         WHERE tasker_id = p_tasker AND job_id = p_job FOR UPDATE;
        IF v_last IS NULL THEN
            INSERT INTO tasker_jobs (tasker_id, job_id) VALUES (p_tasker, p_job);
            SET v_last = 0;
        END IF;
        IF v_live IS NOT NULL THEN
            SELECT expires_at INTO v_expires FROM leases WHERE id = v_live;
            IF v_expires > p_now THEN SET v_outcome = 'existing'; END IF;
            -- (the real thing would end an expired one here)
        END IF;
    END IF;
    IF v_outcome IS NULL THEN
        SELECT t.id, t.width, t.height INTO v_task, v_width, v_height FROM tasks t
         WHERE t.job_id = p_job AND t.is_open = 1 AND t.id > v_last
         ORDER BY t.id LIMIT 1 FOR UPDATE SKIP LOCKED;
        IF v_task IS NULL THEN SET v_outcome = 'no_work'; END IF;
    END IF;
    IF v_outcome IS NULL THEN
        UPDATE tasks SET open_slots = open_slots - 1 WHERE id = v_task AND open_slots > 0;
        SET v_created = p_now, v_expires = p_now + INTERVAL p_seconds SECOND;
        INSERT INTO leases (task_id, job_id, tasker_id, bounty, created_at, expires_at)
        VALUES (v_task, p_job, p_tasker, v_bounty, v_created, v_expires);
        SET v_lease = LAST_INSERT_ID();
        UPDATE tasker_jobs SET live_lease_id = v_lease, last_task_id = v_task WHERE tasker_id = p_tasker AND job_id = p_job;
        UPDATE accounts SET reserved = reserved + v_bounty WHERE id = v_escrow AND balance - reserved >= v_bounty;
        SET v_outcome = IF(ROW_COUNT() = 1, 'new', 'budget_spent');
    END IF;
    IF v_outcome = 'new' THEN COMMIT; ELSE ROLLBACK; END IF;
    SELECT v_outcome AS outcome, v_lease AS id, v_task AS task_id, p_job AS job_id, p_tasker AS tasker_id,
           'live' AS state, v_bounty AS bounty, v_created AS created_at, v_expires AS expires_at,
           v_width AS width, v_height AS height, v_labels AS labels;
END;
CREATE OR REPLACE PROCEDURE lean_submit(
    IN p_lease BIGINT, IN p_tasker BIGINT, IN p_task BIGINT, IN p_job BIGINT, IN p_bounty DECIMAL(14, 2),
    IN p_now DATETIME(6), IN p_nothing_to_mark TINYINT, IN p_space VARCHAR(16) CHARACTER SET utf8mb4,
    IN p_boxes LONGTEXT CHARACTER SET utf8mb4, IN p_escrow BIGINT, IN p_earnings BIGINT)
MODIFIES SQL DATA
BEGIN
    DECLARE v_train BIGINT DEFAULT NULL;
    DECLARE v_outcome VARCHAR(16) DEFAULT NULL;
    DECLARE CONTINUE HANDLER FOR NOT FOUND BEGIN END;
    DECLARE EXIT HANDLER FOR SQLEXCEPTION BEGIN ROLLBACK; RESIGNAL; END;
    START TRANSACTION;
    UPDATE leases SET state = 'submitted', ended_at = p_now
     WHERE id = p_lease AND tasker_id = p_tasker AND task_id = p_task AND job_id = p_job AND bounty = p_bounty
       AND state = 'live' AND expires_at > p_now;
    IF ROW_COUNT() <> 1 THEN
        SET v_outcome = 'gone';
    ELSE
        UPDATE tasks SET train_count = train_count + 1 WHERE id = p_task;
        INSERT INTO trains (lease_id, task_id, job_id, tasker_id, nothing_to_mark, coordinate_space, bounty, created_at)
        VALUES (p_lease, p_task, p_job, p_tasker, p_nothing_to_mark, p_space, p_bounty, p_now);
        SET v_train = LAST_INSERT_ID();
        INSERT INTO boxes (train_id, x, y, w, h, label)
        SELECT v_train, b.x, b.y, b.w, b.h, b.label
          FROM JSON_TABLE(p_boxes, '$[*]' COLUMNS (
                   position FOR ORDINALITY,
                   x DOUBLE PATH '$.x' ERROR ON EMPTY, y DOUBLE PATH '$.y' ERROR ON EMPTY,
                   w DOUBLE PATH '$.w' ERROR ON EMPTY, h DOUBLE PATH '$.h' ERROR ON EMPTY,
                   label VARCHAR(64) CHARACTER SET utf8mb4 PATH '$.label' ERROR ON EMPTY)) AS b
         ORDER BY b.position;
        UPDATE tasker_jobs SET live_lease_id = NULL WHERE tasker_id = p_tasker AND job_id = p_job AND live_lease_id = p_lease;
        UPDATE accounts SET balance = balance + p_bounty WHERE id = p_earnings;
        UPDATE accounts SET balance = balance - p_bounty, reserved = reserved - p_bounty
         WHERE id = p_escrow AND reserved >= p_bounty;
        INSERT INTO ledger_entries (kind, amount, from_account, to_account, job_id, train_id)
        VALUES ('bounty', p_bounty, p_escrow, p_earnings, p_job, v_train);
        SET v_outcome = 'new';
    END IF;
    IF v_outcome = 'new' THEN COMMIT; ELSE ROLLBACK; SET v_train = NULL; END IF;
    SELECT v_outcome AS outcome, v_train AS train_id;
END;
