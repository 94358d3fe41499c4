-- tasker_cycle: a tasker's work on one job in one round trip and one transaction. It
-- hands in a result (Trains.submit), takes the next lease (Leases.take), or both
-- (Trains.submitAndTakeNext, for POST /api/leases/{id}/train?next=true):
--   CALL tasker_cycle(tasker, session, now, seconds,
--                     lease, task, job, bounty, nothing_to_mark, coordinate_space, boxes_json,
--                     take_job)
-- The submission's seven arguments are NULL when there is none to hand in; `take_job` is
-- NULL when no lease is to be taken, and after a submission it must be the lease's job. `boxes_json` is a JSON array of
-- {"x", "y", "w", "h", "label"}, stored in its order. The caller passes the signed-in
-- tasker, has read the lease (Leases.toSubmit) and checked the boxes against its image
-- and labels. It reads one row: `submitted` and `train_id`, `taken` and, when a lease was
-- taken or found, its columns.
-- `session` is the SHA-256 of the request's session token when the caller has not read
-- the session itself (it knew the tasker from a hint, SessionHints): the session must then
-- still be live and the tasker's. NULL when the caller read the session in the same
-- request. A session that is not, or a user who is not a tasker (or an admin), changes
-- nothing and fails with SQLSTATE 28000 (MariaDB's errno for a SIGNAL, 1644).
--
-- `submitted`, the submission's outcome (NULL when there was none):
--   new          stored and paid
--   not_found    no such lease, or not this tasker's
--   submitted / released / expired    the lease is no longer live (expired also when its
--                time is up but nobody reclaimed it yet)
--   escrow_short the escrow does not hold the reserved bounty (never expected: a backstop)
-- Anything but `new` changes nothing, and no lease is taken then.
--
-- `taken`, the assignment's outcome (NULL when none was asked for, or the submission
-- failed):
--   new / existing          a lease was handed out / the tasker's live lease in this job
--   not_found               no such job, or a draft (drafts do not exist for taskers)
--   paused / finished / not_started / ended    the job hands out no work now
--   no_work / budget_spent  nothing left for this tasker / the free budget is below a bounty
--   busy                    after a submission only: every free task was locked by other
--                           transactions, or the slot went to one of them; the caller takes
--                           the next lease on its own (Leases.take retries that)
-- Only `new` changes anything, besides ending the tasker's own expired lease in this job
-- (which happens whatever the outcome) and the submission, which a failed assignment
-- never undoes.
--
-- The rules it keeps under any concurrency:
-- * when a lease is to be taken, the job row is read with a shared lock first, so finishing
--   a job waits for assignments in flight and they for it; then, in every call, the
--   tasker's user row is locked, so two requests of one tasker run one after the other and
--   a tasker holds at most one live lease per job;
-- * the submission ends the lease as submitted if, and only if, it is this tasker's, still
--   live and in time, and is the lease the caller read (task, job and bounty never change);
--   the task is locked (its count) before the train is inserted, so the train's foreign key
--   finds this transaction's own lock instead of taking a shared one that two submissions
--   to the same task would both hold and both try to upgrade (a deadlock);
-- * the next task is the lowest-numbered one with an open slot that this tasker never had,
--   above the highest task they have had in the job; only when there is none above is the
--   whole job searched, from its start, so a slot given back behind a tasker (a skip, an
--   expired lease) goes to those who have not passed it yet, or to anyone at the end of
--   the job. Found through the indexes (tasker_id, job_id, task_id) and (job_id, is_open,
--   id), skipping tasks other transactions are assigning (FOR UPDATE SKIP LOCKED): the
--   cost grows neither with the job's size nor, until the tasker reaches the end of the
--   job, with how many of its open tasks the tasker has done;
-- * its slot is taken under `open_slots > 0` (and a CHECK), the lease is unique per (task,
--   tasker);
-- * the money moves last, because the job's escrow row is shared by every assignment and
--   submission of the job: one UPDATE of it pays the submitted lease's bounty and reserves
--   the new lease's, then the ledger entry is written (its foreign keys find both accounts
--   already locked by this transaction; written before the escrow's UPDATE it would take a
--   shared lock on that row, and two transactions would deadlock upgrading it). The
--   bounty's movement follows Ledger.move's rules (Sources/MariaStore/Queries/Ledger.swift):
--   a change to those belongs in both places.
-- A deadlock rolls everything back and reaches the worker as error 1213, which retries.
-- Without a submission, "every free task is locked" and "the slot went to another" are
-- signalled as 1213 too, so that the worker tries again shortly and answers 503 busy if it
-- stays so; after a submission they are the outcome `busy` instead, so the stored result
-- stands.
CREATE OR REPLACE PROCEDURE tasker_cycle(
    IN p_tasker BIGINT, IN p_session BINARY(32), IN p_now DATETIME(6), IN p_seconds INT,
    IN p_lease BIGINT, IN p_task BIGINT, IN p_job BIGINT, IN p_bounty DECIMAL(14, 2),
    IN p_nothing_to_mark TINYINT, IN p_space VARCHAR(16) CHARACTER SET utf8mb4,
    IN p_boxes LONGTEXT CHARACTER SET utf8mb4,
    IN p_take_job BIGINT)
MODIFIES SQL DATA
BEGIN
    -- The tasker.
    DECLARE v_tasker BIGINT DEFAULT NULL;
    DECLARE v_earnings BIGINT DEFAULT NULL;
    -- The submission.
    DECLARE v_submitted VARCHAR(16) DEFAULT NULL;
    DECLARE v_train BIGINT DEFAULT NULL;
    DECLARE v_owner BIGINT DEFAULT NULL;
    DECLARE v_lease_state VARCHAR(16);
    DECLARE v_paid DECIMAL(14, 2) DEFAULT 0;
    -- The job.
    DECLARE v_state VARCHAR(16) DEFAULT NULL;
    DECLARE v_start, v_end DATETIME(6) DEFAULT NULL;
    DECLARE v_bounty DECIMAL(14, 2);
    DECLARE v_escrow BIGINT DEFAULT NULL;
    DECLARE v_labels TEXT CHARACTER SET utf8mb4;
    -- The assignment.
    DECLARE v_taken VARCHAR(16) DEFAULT NULL;
    DECLARE v_lease BIGINT DEFAULT NULL;
    DECLARE v_task BIGINT DEFAULT NULL;
    DECLARE v_width, v_height INT DEFAULT NULL;
    DECLARE v_created, v_expires DATETIME(6) DEFAULT NULL;
    DECLARE v_lease_bounty DECIMAL(14, 2);
    DECLARE v_reserved DECIMAL(14, 2) DEFAULT 0;
    DECLARE v_ended INT DEFAULT 0;
    DECLARE v_after BIGINT DEFAULT 0;
    DECLARE v_held BOOLEAN DEFAULT FALSE;
    DECLARE v_assigning BOOLEAN DEFAULT FALSE;
    -- A SELECT ... INTO that finds no row leaves its variables as they were: the search
    -- below sets v_task to NULL before each of its SELECTs.
    DECLARE CONTINUE HANDLER FOR NOT FOUND BEGIN END;
    DECLARE EXIT HANDLER FOR SQLEXCEPTION BEGIN ROLLBACK; RESIGNAL; END;

    IF p_lease IS NOT NULL AND p_take_job <> p_job THEN
        SIGNAL SQLSTATE '45000' SET MESSAGE_TEXT = 'tasker_cycle: the next lease must be in the submitted lease''s job';
    END IF;

    START TRANSACTION;
    IF p_take_job IS NOT NULL THEN
        SELECT state, start_time, end_time, bounty, account_id, labels
          INTO v_state, v_start, v_end, v_bounty, v_escrow, v_labels
          FROM jobs WHERE id = p_take_job LOCK IN SHARE MODE;
        SET v_taken = CASE
            WHEN v_state IS NULL OR v_state = 'draft' THEN 'not_found'
            WHEN v_state <> 'active' THEN v_state
            WHEN v_start > p_now THEN 'not_started'
            WHEN v_end <= p_now THEN 'ended'
            ELSE NULL END;
    END IF;

    -- The tasker, locked, with their earnings account: a user who may take work, and the
    -- request's session still theirs and live when the caller passed it to be checked.
    SELECT u.id, u.account_id INTO v_tasker, v_earnings FROM users u
     WHERE u.id = p_tasker AND u.role IN ('tasker', 'admin')
       AND (p_session IS NULL OR EXISTS (SELECT 1 FROM sessions s
                                          WHERE s.token_hash = p_session AND s.user_id = u.id AND s.expires_at > p_now))
       FOR UPDATE;
    IF v_tasker IS NULL THEN
        SIGNAL SQLSTATE '28000' SET MESSAGE_TEXT = 'tasker_cycle: no such tasker, or the session has ended';
    END IF;

    -- The submission: the lease ends, the train and its boxes are stored and counted on the
    -- task, and the tasker is credited; the escrow is debited with the money below.
    IF p_lease IS NOT NULL THEN
        UPDATE leases SET state = 'submitted', ended_at = p_now
         WHERE id = p_lease AND tasker_id = p_tasker AND task_id = p_task AND job_id = p_job AND bounty = p_bounty
           AND state = 'live' AND expires_at > p_now;
        IF ROW_COUNT() <> 1 THEN
            SELECT tasker_id, IF(state = 'live', 'expired', state) INTO v_owner, v_lease_state FROM leases WHERE id = p_lease;
            SET v_submitted = IF(v_owner <=> p_tasker, v_lease_state, 'not_found'), v_taken = NULL;
        ELSE
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
            UPDATE accounts SET balance = balance + p_bounty WHERE id = v_earnings;
            SET v_submitted = 'new', v_paid = p_bounty;
            IF v_escrow IS NULL THEN
                SELECT account_id INTO v_escrow FROM jobs WHERE id = p_job;
            END IF;
            SAVEPOINT assignment;
        END IF;
    END IF;

    -- The assignment: when a lease is asked for and the submission, if any, was stored; and
    -- while the job gives work (v_taken is its outcome from here on).
    SET v_assigning = p_take_job IS NOT NULL AND (p_lease IS NULL OR v_submitted <=> 'new');
    IF v_assigning AND v_taken IS NULL THEN
        -- The tasker's live lease in this job. After a submission there is none: a tasker
        -- holds at most one per job, and it has just ended.
        IF v_submitted IS NULL THEN
            SELECT l.id, l.task_id, l.bounty, l.created_at, l.expires_at, t.width, t.height
              INTO v_lease, v_task, v_lease_bounty, v_created, v_expires, v_width, v_height
              FROM leases l JOIN tasks t ON t.id = l.task_id
             WHERE l.tasker_id = p_tasker AND l.job_id = p_take_job AND l.state = 'live'
             ORDER BY l.expires_at DESC, l.id LIMIT 1;
        END IF;
        IF v_lease IS NOT NULL AND v_expires > p_now THEN
            SET v_taken = 'existing';
        ELSEIF v_lease IS NOT NULL THEN
            -- The tasker's own lease ran out and the reaper has not ended it yet: end it
            -- here (sql/routines/end_lease.sql), so that the tasker never holds two
            -- live leases in one job. Locked first, and ended only if still live.
            SELECT IF(state = 'live', 1, 0) INTO v_ended FROM leases WHERE id = v_lease FOR UPDATE;
            IF v_ended = 1 THEN
                CALL end_lease(v_lease, 'expired', p_now);
            END IF;
            SET v_lease = NULL, v_task = NULL, v_width = NULL, v_height = NULL,
                v_created = NULL, v_expires = NULL, v_lease_bounty = NULL;
            IF v_ended = 1 THEN
                SAVEPOINT assignment;
            END IF;
        END IF;
    END IF;

    IF v_assigning AND v_taken IS NULL THEN
        SELECT COALESCE(MAX(task_id), 0) INTO v_after FROM leases WHERE tasker_id = p_tasker AND job_id = p_take_job;
        candidates: LOOP
            SET v_task = NULL, v_width = NULL, v_height = NULL;
            SELECT t.id, t.width, t.height INTO v_task, v_width, v_height FROM tasks t
             WHERE t.job_id = p_take_job AND t.is_open = 1 AND t.id > v_after
               AND NOT EXISTS (SELECT 1 FROM leases l WHERE l.task_id = t.id AND l.tasker_id = p_tasker)
             ORDER BY t.id LIMIT 1
             FOR UPDATE SKIP LOCKED;
            IF v_task IS NOT NULL OR v_after = 0 THEN
                LEAVE candidates;
            END IF;
            -- Nothing ahead of the tasker: the whole job, from its start.
            SET v_after = 0;
        END LOOP;
        IF v_task IS NULL THEN
            -- SKIP LOCKED passes over tasks that other transactions hold right now (a take
            -- or a submission on the same task). If such a task has a free slot for this
            -- tasker as last committed, this is not "no work".
            -- (A plain SELECT: a subquery in an IF condition reads with shared locks, and
            -- would wait for the very task it is asking about.)
            SELECT EXISTS (SELECT 1 FROM tasks t
                            WHERE t.job_id = p_take_job AND t.is_open = 1
                              AND NOT EXISTS (SELECT 1 FROM leases l WHERE l.task_id = t.id AND l.tasker_id = p_tasker))
              INTO v_held;
            IF v_held AND p_lease IS NULL THEN
                SIGNAL SQLSTATE '40001' SET MYSQL_ERRNO = 1213, MESSAGE_TEXT = 'every free task is locked right now; retrying';
            END IF;
            SET v_taken = IF(v_held, 'busy', 'no_work');
        END IF;
    END IF;

    IF v_assigning AND v_taken IS NULL THEN
        UPDATE tasks SET open_slots = open_slots - 1 WHERE id = v_task AND open_slots > 0;
        IF ROW_COUNT() <> 1 THEN
            -- The locked task had no slot left after all.
            IF p_lease IS NULL THEN
                SIGNAL SQLSTATE '40001' SET MYSQL_ERRNO = 1213, MESSAGE_TEXT = 'task slot taken concurrently; retrying';
            END IF;
            SET v_taken = 'busy';
        ELSE
            SET v_created = p_now, v_expires = p_now + INTERVAL p_seconds SECOND, v_lease_bounty = v_bounty;
            INSERT INTO leases (task_id, job_id, tasker_id, bounty, created_at, expires_at)
            VALUES (v_task, p_take_job, p_tasker, v_bounty, v_created, v_expires);
            SET v_lease = LAST_INSERT_ID(), v_reserved = v_bounty, v_taken = 'new';
        END IF;
    END IF;

    -- The money, last: one UPDATE of the escrow pays the submitted bounty and reserves the
    -- new lease's. When the free budget cannot cover the reserve, the assignment is undone
    -- and the payment made alone.
    IF v_taken = 'new' AND v_escrow IS NOT NULL THEN
        UPDATE accounts SET balance = balance - v_paid, reserved = reserved - v_paid + v_reserved
         WHERE id = v_escrow AND reserved >= v_paid AND balance - reserved >= v_reserved;
        IF ROW_COUNT() <> 1 THEN
            SET v_taken = 'budget_spent', v_reserved = 0;
        END IF;
    END IF;
    IF v_submitted = 'new' AND NOT (v_taken <=> 'new') THEN
        -- Nothing reserved (or the reserve did not fit): undo what the assignment wrote,
        -- keep the submission, and pay alone.
        IF v_taken IS NOT NULL THEN
            ROLLBACK TO SAVEPOINT assignment;
            SET v_lease = NULL, v_task = NULL, v_width = NULL, v_height = NULL,
                v_created = NULL, v_expires = NULL, v_lease_bounty = NULL;
        END IF;
        UPDATE accounts SET balance = balance - v_paid, reserved = reserved - v_paid
         WHERE id = v_escrow AND reserved >= v_paid;
        IF ROW_COUNT() <> 1 THEN
            SET v_submitted = 'escrow_short', v_taken = NULL;
        END IF;
    END IF;
    IF v_submitted = 'new' THEN
        INSERT INTO ledger_entries (kind, amount, from_account, to_account, job_id, train_id)
        VALUES ('bounty', v_paid, v_escrow, v_earnings, p_job, v_train);
    END IF;

    IF v_submitted = 'new' OR v_taken = 'new' THEN
        COMMIT;
    ELSEIF v_ended = 1 AND v_submitted IS NULL THEN
        -- Keep the end of the tasker's expired lease, drop the rest.
        ROLLBACK TO SAVEPOINT assignment;
        COMMIT;
    ELSE
        ROLLBACK;
        SET v_train = NULL;
    END IF;
    IF v_submitted IS NOT NULL AND v_submitted <> 'new' THEN
        SET v_train = NULL;
    END IF;
    IF NOT (v_taken <=> 'new' OR v_taken <=> 'existing') THEN
        SET v_lease = NULL;
    END IF;
    -- What was written or found, from the variables: no table is read again. The lease
    -- columns mean something only for `new` and `existing`.
    SELECT v_submitted AS submitted, v_train AS train_id,
           v_taken AS taken, v_lease AS id, v_task AS task_id, p_take_job AS job_id, p_tasker AS tasker_id,
           'live' AS state, v_lease_bounty AS bounty, v_created AS created_at, v_expires AS expires_at,
           v_width AS width, v_height AS height, v_labels AS labels;
END
