-- submit_train: storing and paying one result (Trains.submit) in one round trip. The
-- worker has already read the lease and checked the boxes against its image and labels;
-- this ends the lease as submitted only if it is still what the worker read (the
-- tasker's, live, in time) and does every write in the same transaction:
--   CALL submit_train(lease, tasker, task, job, bounty, now, nothing_to_mark,
--                     coordinate_space, boxes_json)
-- `boxes_json` is a JSON array of {"x", "y", "w", "h", "label"}, stored in its order.
-- It returns one row: `outcome` and `train_id`.
--   new          stored and paid
--   not_found    no such lease, or not this tasker's
--   submitted / released / expired    the lease is no longer live (expired also when
--                its time is up but nobody reclaimed it yet)
--   escrow_short the escrow does not hold the reserved bounty (never expected: a backstop)
-- Only `new` changes anything. The caller passes the signed-in tasker as `tasker`: a
-- lease of anybody else is `not_found`.
--
-- The lease row is locked by the UPDATE that ends it; the job and the tasker rows are
-- read without locks. Submissions of one job still queue on its escrow row (and those
-- of one task on the task's row), each for as short a time as the order of the writes
-- allows; see the comments below. The bounty's movement follows Ledger.move's rules
-- (Sources/MariaStore/Queries/Ledger.swift): a change to those belongs in both places.
CREATE OR REPLACE PROCEDURE submit_train(
    IN p_lease BIGINT, IN p_tasker BIGINT, IN p_task BIGINT, IN p_job BIGINT, IN p_bounty DECIMAL(14, 2),
    IN p_now DATETIME(6), IN p_nothing_to_mark TINYINT, IN p_space VARCHAR(16) CHARACTER SET utf8mb4,
    IN p_boxes LONGTEXT CHARACTER SET utf8mb4)
MODIFIES SQL DATA
BEGIN
    DECLARE v_train BIGINT DEFAULT NULL;
    DECLARE v_escrow, v_earnings BIGINT DEFAULT NULL;
    DECLARE v_owner BIGINT DEFAULT NULL;
    DECLARE v_state VARCHAR(16);
    DECLARE v_outcome VARCHAR(16) DEFAULT NULL;
    DECLARE CONTINUE HANDLER FOR NOT FOUND BEGIN END;
    DECLARE EXIT HANDLER FOR SQLEXCEPTION BEGIN ROLLBACK; RESIGNAL; END;

    START TRANSACTION;
    -- Ends the lease as submitted if, and only if, it is this tasker's, still live and in
    -- time, and is the lease the worker read (task, job and bounty never change).
    UPDATE leases SET state = 'submitted', ended_at = p_now
     WHERE id = p_lease AND tasker_id = p_tasker AND task_id = p_task AND job_id = p_job AND bounty = p_bounty
       AND state = 'live' AND expires_at > p_now;

    IF ROW_COUNT() <> 1 THEN
        SELECT tasker_id, IF(state = 'live', 'expired', state) INTO v_owner, v_state FROM leases WHERE id = p_lease;
        SET v_outcome = IF(v_owner <=> p_tasker, v_state, 'not_found');
    ELSE
        -- The task first: the train's foreign key to it then finds this transaction's own
        -- exclusive lock instead of taking a shared one that two submissions to the same
        -- task would both hold and both try to upgrade (a deadlock).
        UPDATE tasks SET train_count = train_count + 1 WHERE id = p_task;
        INSERT INTO trains (lease_id, task_id, job_id, tasker_id, nothing_to_mark, coordinate_space, bounty, created_at)
        VALUES (p_lease, p_task, p_job, p_tasker, p_nothing_to_mark, p_space, p_bounty, p_now);
        SET v_train = LAST_INSERT_ID();
        INSERT INTO boxes (train_id, x, y, w, h, label)
        SELECT v_train, b.x, b.y, b.w, b.h, b.label
          FROM JSON_TABLE(p_boxes, '$[*]' COLUMNS (
                   position FOR ORDINALITY,
                   x DOUBLE PATH '$.x' ERROR ON EMPTY,
                   y DOUBLE PATH '$.y' ERROR ON EMPTY,
                   w DOUBLE PATH '$.w' ERROR ON EMPTY,
                   h DOUBLE PATH '$.h' ERROR ON EMPTY,
                   label VARCHAR(64) CHARACTER SET utf8mb4 PATH '$.label' ERROR ON EMPTY)) AS b
         ORDER BY b.position;
        -- The bounty moves last, and the job's escrow, the row every assignment and
        -- submission of the job updates, is locked last: credit the tasker, debit the
        -- escrow's reserved part, record the movement (its foreign keys find both
        -- accounts already locked by this transaction).
        SELECT j.account_id, u.account_id INTO v_escrow, v_earnings
          FROM jobs j JOIN users u ON u.id = p_tasker WHERE j.id = p_job;
        UPDATE accounts SET balance = balance + p_bounty WHERE id = v_earnings;
        UPDATE accounts SET balance = balance - p_bounty, reserved = reserved - p_bounty
         WHERE id = v_escrow AND reserved >= p_bounty;
        IF ROW_COUNT() = 1 THEN
            INSERT INTO ledger_entries (kind, amount, from_account, to_account, job_id, train_id)
            VALUES ('bounty', p_bounty, v_escrow, v_earnings, p_job, v_train);
            SET v_outcome = 'new';
        ELSE
            SET v_outcome = 'escrow_short';
        END IF;
    END IF;

    IF v_outcome = 'new' THEN
        COMMIT;
    ELSE
        ROLLBACK;
        SET v_train = NULL;
    END IF;
    SELECT v_outcome AS outcome, v_train AS train_id;
END
