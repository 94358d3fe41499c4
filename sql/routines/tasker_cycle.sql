-- tasker_cycle: a tasker's work on one job in one round trip and one transaction: hand in
-- a result, take the next lease, or both (POST /api/leases/{id}/train?next=true).
--   CALL tasker_cycle(tasker, session, now, seconds,
--                     lease, task, job, bounty, nothing_to_mark, coordinate_space, boxes_json,
--                     take_job, want_gold)
-- The submission's seven arguments are NULL when there is none; `take_job` is NULL when
-- no lease is to be taken, and after a submission it is the lease's job. With `want_gold`
-- the next lease is on a gold image of the job when one is free for this tasker (the
-- caller's gold schedule decides when: Marketplace's GoldSchedule); it is NULL for a job
-- without gold images. The caller
-- (Swift's TaskerCycle) has read the lease and checked the boxes against its image and
-- labels; `boxes_json` is a JSON array of {"x", "y", "w", "h", "label"}. `session` is the
-- SHA-256 of the request's session token when the caller has not read the session itself.
--
-- It writes no money and no row that every tasker of a job writes: the job's row is only
-- read, and the escrow already holds the bounty of every open slot (see 020).
--
-- Its one row: `submitted`, `train_id`, `taken`, the lease's columns when one was
-- taken or found, and when one was taken, `leases_in_job` (how many leases this tasker has
-- had in the job, the new one included; NULL when `want_gold` was) and `gold` (the new
-- lease is on a gold image). The outcome words are decoded in one place, TaskerCycle.swift:
--   submitted: new | not_found | submitted | released | expired
--   taken:     new | existing | not_found | paused | finished | not_started | ended
--              | no_work | escrow_short | blocked | busy
-- `busy`: every free task was held by another transaction; the caller tries again.
-- `blocked`: the job's requester blocked this tasker from the job or from all their jobs
-- (tasker_blocks, read with a lock after the tasker's row: a block, which locks that row
-- first, is either seen or waits for the lease it then ends).
-- A session that is not live, or a user who is not a tasker, changes nothing and fails
-- with SQLSTATE 28000.
CREATE OR REPLACE PROCEDURE tasker_cycle(
    IN p_tasker BIGINT, IN p_session BINARY(32), IN p_now DATETIME(6), IN p_seconds INT,
    IN p_lease BIGINT, IN p_task BIGINT, IN p_job BIGINT, IN p_bounty DECIMAL(14, 2),
    IN p_nothing_to_mark TINYINT, IN p_space VARCHAR(16) CHARACTER SET utf8mb4,
    IN p_boxes LONGTEXT CHARACTER SET utf8mb4,
    IN p_take_job BIGINT, IN p_want_gold TINYINT)
MODIFIES SQL DATA
BEGIN
    DECLARE v_tasker, v_owner, v_train, v_escrow, v_lease, v_task, v_requester, v_count, v_gold_task BIGINT DEFAULT NULL;
    DECLARE v_blocks INT DEFAULT 0;
    DECLARE v_submitted, v_taken, v_state, v_lease_state VARCHAR(16) DEFAULT NULL;
    DECLARE v_start, v_end, v_created, v_expires DATETIME(6) DEFAULT NULL;
    DECLARE v_bounty, v_lease_bounty, v_escrow_balance DECIMAL(14, 2) DEFAULT NULL;
    DECLARE v_escrowed_slots, v_width, v_height INT DEFAULT NULL;
    DECLARE v_labels TEXT CHARACTER SET utf8mb4;
    DECLARE v_ended, v_held, v_gold BOOLEAN DEFAULT FALSE;
    DECLARE v_after BIGINT DEFAULT 0;
    -- A SELECT ... INTO that finds no row leaves its variables as they were.
    DECLARE CONTINUE HANDLER FOR NOT FOUND BEGIN END;
    DECLARE EXIT HANDLER FOR SQLEXCEPTION BEGIN ROLLBACK; RESIGNAL; END;

    START TRANSACTION;
    -- 1. The job, read with a shared lock (finishing a job waits for assignments in flight,
    --    and they for it), and its escrow, read without one: it must hold the bounty of
    --    every slot the job has open, or no lease is handed out.
    IF p_take_job IS NOT NULL THEN
        SELECT state, start_time, end_time, bounty, account_id, labels, escrowed_slots, requester_id
          INTO v_state, v_start, v_end, v_bounty, v_escrow, v_labels, v_escrowed_slots, v_requester
          FROM jobs WHERE id = p_take_job LOCK IN SHARE MODE;
        SELECT balance INTO v_escrow_balance FROM accounts WHERE id = v_escrow;
        SET v_taken = CASE
            WHEN v_state IS NULL OR v_state = 'draft' THEN 'not_found'
            WHEN v_state <> 'active' THEN v_state
            WHEN v_start > p_now THEN 'not_started'
            WHEN v_end <= p_now THEN 'ended'
            WHEN v_escrow_balance < v_bounty * v_escrowed_slots THEN 'escrow_short'
            ELSE NULL END;
    END IF;

    -- 2. The tasker, locked, so that two requests of one tasker run one after the other;
    --    and the request's session, when the caller passed it to be checked.
    SELECT u.id INTO v_tasker FROM users u
     WHERE u.id = p_tasker AND u.role IN ('tasker', 'admin')
       AND (p_session IS NULL OR EXISTS (SELECT 1 FROM sessions s
                                          WHERE s.token_hash = p_session AND s.user_id = u.id AND s.expires_at > p_now))
       FOR UPDATE;
    IF v_tasker IS NULL THEN
        SIGNAL SQLSTATE '28000' SET MESSAGE_TEXT = 'tasker_cycle: no such tasker, or the session has ended';
    END IF;
    IF p_take_job IS NOT NULL AND v_taken IS NULL THEN
        SELECT COUNT(*) INTO v_blocks FROM tasker_blocks
         WHERE tasker_id = p_tasker AND requester_id = v_requester AND job_key IN (0, p_take_job)
          LOCK IN SHARE MODE;
        IF v_blocks > 0 THEN
            SET v_taken = 'blocked';
        END IF;
    END IF;

    -- 3. The submission: the lease ends if it is this tasker's, live and in time; the
    --    result is stored pending review and counted on its task (the task is locked before
    --    the result's row, whose foreign key would otherwise take a shared lock on it).
    IF p_lease IS NOT NULL THEN
        UPDATE leases SET state = 'submitted', ended_at = p_now
         WHERE id = p_lease AND tasker_id = p_tasker AND task_id = p_task AND job_id = p_job AND bounty = p_bounty
           AND state = 'live' AND expires_at > p_now;
        IF ROW_COUNT() = 1 THEN
            UPDATE tasks SET train_count = train_count + 1 WHERE id = p_task;
            INSERT INTO trains (lease_id, task_id, job_id, tasker_id, nothing_to_mark, coordinate_space, bounty, created_at)
            VALUES (p_lease, p_task, p_job, p_tasker, p_nothing_to_mark, p_space, p_bounty, p_now);
            SET v_train = LAST_INSERT_ID(), v_submitted = 'new';
            INSERT INTO boxes (train_id, x, y, w, h, label)
            SELECT v_train, b.x, b.y, b.w, b.h, b.label
              FROM JSON_TABLE(p_boxes, '$[*]' COLUMNS (
                       position FOR ORDINALITY,
                       x DOUBLE PATH '$.x' ERROR ON EMPTY, y DOUBLE PATH '$.y' ERROR ON EMPTY,
                       w DOUBLE PATH '$.w' ERROR ON EMPTY, h DOUBLE PATH '$.h' ERROR ON EMPTY,
                       label VARCHAR(64) CHARACTER SET utf8mb4 PATH '$.label' ERROR ON EMPTY)) AS b
             ORDER BY b.position;
        ELSE
            SELECT tasker_id, IF(state = 'live', 'expired', state) INTO v_owner, v_lease_state FROM leases WHERE id = p_lease;
            SET v_submitted = IF(v_owner <=> p_tasker, v_lease_state, 'not_found'), v_taken = NULL;
        END IF;
    END IF;

    -- 4. The tasker's live lease in this job, when not just handing one in: still in time,
    --    it is the answer; run out, it ends here (the housekeeper may not have come by yet).
    IF p_take_job IS NOT NULL AND p_lease IS NULL AND v_taken IS NULL THEN
        SELECT l.id, l.task_id, l.bounty, l.created_at, l.expires_at, t.width, t.height
          INTO v_lease, v_task, v_lease_bounty, v_created, v_expires, v_width, v_height
          FROM leases l JOIN tasks t ON t.id = l.task_id
         WHERE l.tasker_id = p_tasker AND l.job_id = p_take_job AND l.state = 'live'
         ORDER BY l.expires_at DESC, l.id LIMIT 1;
        IF v_lease IS NOT NULL AND v_expires > p_now THEN
            SET v_taken = 'existing';
        ELSEIF v_lease IS NOT NULL THEN
            -- Locked, and ended only if still live (the housekeeper may be ending it too).
            SELECT state = 'live' INTO v_ended FROM leases WHERE id = v_lease FOR UPDATE;
            IF v_ended THEN
                CALL end_lease(v_lease, 'expired', p_now);
            END IF;
            SET v_lease = NULL, v_task = NULL;
        END IF;
    END IF;

    -- 5. The next task: the lowest-numbered one with an open slot that this tasker never
    --    had, above the highest they have had in the job; when there is none above, the
    --    whole job from its start (a slot given back behind the tasker). Through the
    --    indexes (tasker_id, job_id, task_id) and (job_id, is_open, id), passing over tasks
    --    that other transactions hold (SKIP LOCKED). A gold image, when the caller wants one,
    --    through (job_id, is_gold, id), in the tasker's own order.
    IF p_take_job IS NOT NULL AND v_taken IS NULL AND (p_lease IS NULL OR v_submitted = 'new') THEN
        SELECT COALESCE(MAX(task_id), 0) INTO v_after FROM leases WHERE tasker_id = p_tasker AND job_id = p_take_job;
        -- The count the gold schedule goes by, only for a job with gold images (`want_gold`
        -- not NULL): it reads every lease of the tasker in the job, the maximum only the last.
        IF p_want_gold IS NOT NULL THEN
            SELECT COUNT(*) INTO v_count FROM leases WHERE tasker_id = p_tasker AND job_id = p_take_job;
        END IF;
        IF p_want_gold THEN
            -- Each tasker meets the job's gold images in an order of their own (so that no
            -- few of them answer for all, and taskers comparing notes learn little): the
            -- first in that order, chosen without locking (from this transaction's snapshot),
            -- then locked if still free for the tasker as last committed.
            SELECT t.id INTO v_gold_task FROM tasks t
             WHERE t.job_id = p_take_job AND t.is_gold = 1 AND t.open_slots > 0
               AND NOT EXISTS (SELECT 1 FROM leases l WHERE l.task_id = t.id AND l.tasker_id = p_tasker)
             ORDER BY MD5(CONCAT(p_tasker, ':', t.id)), t.id LIMIT 1;
            IF v_gold_task IS NOT NULL THEN
                SELECT t.id, t.width, t.height, TRUE INTO v_task, v_width, v_height, v_gold FROM tasks t
                 WHERE t.id = v_gold_task AND t.open_slots > 0
                   AND NOT EXISTS (SELECT 1 FROM leases l WHERE l.task_id = t.id AND l.tasker_id = p_tasker)
                   FOR UPDATE SKIP LOCKED;
            END IF;
        END IF;
        candidates: LOOP
            IF v_task IS NOT NULL THEN
                LEAVE candidates;
            END IF;
            SET v_task = NULL;
            SELECT t.id, t.width, t.height INTO v_task, v_width, v_height FROM tasks t
             WHERE t.job_id = p_take_job AND t.is_open = 1 AND t.id > v_after
               AND NOT EXISTS (SELECT 1 FROM leases l WHERE l.task_id = t.id AND l.tasker_id = p_tasker)
             ORDER BY t.id LIMIT 1
               FOR UPDATE SKIP LOCKED;
            IF v_task IS NOT NULL OR v_after = 0 THEN
                LEAVE candidates;
            END IF;
            SET v_after = 0;
        END LOOP;
        IF v_task IS NULL THEN
            -- Is a task that SKIP LOCKED passed over free for this tasker, as last committed?
            -- (A plain SELECT: a subquery in an IF condition would read with shared locks.)
            SELECT EXISTS (SELECT 1 FROM tasks t
                            WHERE t.job_id = p_take_job AND t.is_open = 1
                              AND NOT EXISTS (SELECT 1 FROM leases l WHERE l.task_id = t.id AND l.tasker_id = p_tasker))
              INTO v_held;
            SET v_taken = IF(v_held, 'busy', 'no_work');
        END IF;
    END IF;

    -- 6. Its slot, taken under open_slots > 0 (and a CHECK), and the lease, unique per
    --    (task, tasker): nobody gets a task twice, and no task more results than its slots.
    IF v_task IS NOT NULL AND v_taken IS NULL THEN
        UPDATE tasks SET open_slots = open_slots - 1 WHERE id = v_task AND open_slots > 0;
        IF ROW_COUNT() = 1 THEN
            SET v_created = p_now, v_expires = p_now + INTERVAL p_seconds SECOND, v_lease_bounty = v_bounty;
            INSERT INTO leases (task_id, job_id, tasker_id, bounty, created_at, expires_at)
            VALUES (v_task, p_take_job, p_tasker, v_bounty, v_created, v_expires);
            SET v_lease = LAST_INSERT_ID(), v_taken = 'new', v_count = v_count + 1;  -- NULL stays NULL
        ELSE
            SET v_taken = 'busy';
        END IF;
    END IF;

    -- 7. Kept when anything was written; the answer comes from the variables.
    IF v_submitted = 'new' OR v_taken = 'new' OR v_ended THEN
        COMMIT;
    ELSE
        ROLLBACK;
    END IF;
    IF NOT (v_taken <=> 'new' OR v_taken <=> 'existing') THEN
        SET v_lease = NULL;
    END IF;
    SELECT v_submitted AS submitted, v_train AS train_id,
           v_taken AS taken, v_lease AS id, v_task AS task_id, p_take_job AS job_id, p_tasker AS tasker_id,
           'live' AS state, v_lease_bounty AS bounty, v_created AS created_at, v_expires AS expires_at,
           v_width AS width, v_height AS height, v_labels AS labels,
           IF(v_taken = 'new', v_count, NULL) AS leases_in_job, IF(v_taken = 'new', v_gold, NULL) AS gold;
END
