-- take_lease: one assignment (Leases.take) in one round trip. The worker calls
--   CALL take_lease(job, tasker, now, seconds)
-- and reads one row: `outcome` and, when there is a lease, its columns.
--   new / existing          a lease was handed out / the tasker's live lease in this job
--   not_found               no such job, or a draft (drafts do not exist for taskers)
--   paused / finished / not_started / ended    the job hands out no work now
--   no_work / budget_spent  nothing left for this tasker / the free budget is below a bounty
-- Only `new` changes anything, and ending the tasker's own expired lease in this job,
-- which happens whatever the outcome; everything else rolls back.
--
-- The rules it keeps under any concurrency (the same as before it was one procedure):
-- * the job row is read with a shared lock, so finishing a job waits for assignments
--   in flight and they for it;
-- * the tasker's user row is locked, so two requests of one tasker run one after the
--   other and a tasker holds at most one live lease per job;
-- * the task is the lowest-numbered one with an open slot that this tasker never had,
--   above the highest task they have had in the job: a tasker moves forward through the
--   job. Only when there is none above is the whole job searched, from its start, so a
--   slot given back behind a tasker (a skip, an expired lease) goes to those who have not
--   passed it yet, or to anyone at the end of the job. Found through the indexes
--   (tasker_id, job_id, task_id) and (job_id, is_open, id), skipping tasks other
--   transactions are assigning (FOR UPDATE SKIP LOCKED): the cost grows neither with
--   the job's size nor, until the tasker reaches the end of the job, with how many of
--   its open tasks the tasker has done;
-- * its slot is taken under `open_slots > 0` (and a CHECK), the lease is unique per
--   (task, tasker), and the bounty is reserved in the job's escrow last, because that
--   row is shared by every assignment and submission of the job.
-- A deadlock rolls everything back and reaches the worker as error 1213, which retries.
CREATE OR REPLACE PROCEDURE take_lease(
    IN p_job BIGINT, IN p_tasker BIGINT, IN p_now DATETIME(6), IN p_seconds INT)
MODIFIES SQL DATA
BEGIN
    DECLARE v_state VARCHAR(16) DEFAULT NULL;
    DECLARE v_start, v_end DATETIME(6) DEFAULT NULL;
    DECLARE v_bounty DECIMAL(14, 2);
    DECLARE v_escrow BIGINT;
    DECLARE v_labels TEXT CHARACTER SET utf8mb4;
    DECLARE v_tasker BIGINT DEFAULT NULL;
    DECLARE v_lease BIGINT DEFAULT NULL;
    DECLARE v_task BIGINT DEFAULT NULL;
    DECLARE v_width, v_height INT DEFAULT NULL;
    DECLARE v_created, v_expires DATETIME(6) DEFAULT NULL;
    DECLARE v_lease_bounty DECIMAL(14, 2);
    DECLARE v_ended INT DEFAULT 0;
    DECLARE v_outcome VARCHAR(16) DEFAULT NULL;
    DECLARE v_after BIGINT DEFAULT 0;
    DECLARE v_held BOOLEAN DEFAULT FALSE;
    -- A SELECT ... INTO that finds no row leaves its variables as they were: the search
    -- below sets v_task to NULL before each of its SELECTs.
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
        SELECT id INTO v_tasker FROM users WHERE id = p_tasker FOR UPDATE;
        SELECT l.id, l.task_id, l.bounty, l.created_at, l.expires_at, t.width, t.height
          INTO v_lease, v_task, v_lease_bounty, v_created, v_expires, v_width, v_height
          FROM leases l JOIN tasks t ON t.id = l.task_id
         WHERE l.tasker_id = p_tasker AND l.job_id = p_job AND l.state = 'live'
         ORDER BY l.expires_at DESC, l.id LIMIT 1;
        IF v_lease IS NOT NULL AND v_expires > p_now THEN
            SET v_outcome = 'existing';
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

    IF v_outcome IS NULL THEN
        SELECT COALESCE(MAX(task_id), 0) INTO v_after FROM leases WHERE tasker_id = p_tasker AND job_id = p_job;
        candidates: LOOP
            SET v_task = NULL, v_width = NULL, v_height = NULL;
            SELECT t.id, t.width, t.height INTO v_task, v_width, v_height FROM tasks t
             WHERE t.job_id = p_job AND t.is_open = 1 AND t.id > v_after
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
            -- tasker as last committed, this is not "no work": error 1213 makes the worker
            -- try again shortly, and answer 503 busy if it stays so.
            -- (A plain SELECT: a subquery in an IF condition reads with shared locks, and
            -- would wait for the very task it is asking about.)
            SELECT EXISTS (SELECT 1 FROM tasks t
                            WHERE t.job_id = p_job AND t.is_open = 1
                              AND NOT EXISTS (SELECT 1 FROM leases l WHERE l.task_id = t.id AND l.tasker_id = p_tasker))
              INTO v_held;
            IF v_held THEN
                SIGNAL SQLSTATE '40001' SET MYSQL_ERRNO = 1213, MESSAGE_TEXT = 'every free task is locked right now; retrying';
            END IF;
            SET v_outcome = 'no_work';
        END IF;
    END IF;

    IF v_outcome IS NULL THEN
        UPDATE tasks SET open_slots = open_slots - 1 WHERE id = v_task AND open_slots > 0;
        IF ROW_COUNT() <> 1 THEN
            -- The locked task had no slot left after all: run the whole assignment again.
            SIGNAL SQLSTATE '40001' SET MYSQL_ERRNO = 1213, MESSAGE_TEXT = 'task slot taken concurrently; retrying';
        END IF;
        SET v_created = p_now, v_expires = p_now + INTERVAL p_seconds SECOND, v_lease_bounty = v_bounty;
        INSERT INTO leases (task_id, job_id, tasker_id, bounty, created_at, expires_at)
        VALUES (v_task, p_job, p_tasker, v_bounty, v_created, v_expires);
        SET v_lease = LAST_INSERT_ID();
        UPDATE accounts SET reserved = reserved + v_bounty WHERE id = v_escrow AND balance - reserved >= v_bounty;
        SET v_outcome = IF(ROW_COUNT() = 1, 'new', 'budget_spent');
    END IF;

    IF v_outcome = 'new' THEN
        COMMIT;
    ELSEIF v_ended = 1 THEN
        -- Keep the end of the tasker's expired lease, drop the rest.
        ROLLBACK TO SAVEPOINT assignment;
        COMMIT;
    ELSE
        ROLLBACK;
    END IF;
    -- What was written or found, from the variables: no table is read again. The lease
    -- columns mean something only for `new` and `existing`.
    SELECT v_outcome AS outcome, v_lease AS id, v_task AS task_id, p_job AS job_id, p_tasker AS tasker_id,
           'live' AS state, v_lease_bounty AS bounty, v_created AS created_at, v_expires AS expires_at,
           v_width AS width, v_height AS height, v_labels AS labels;
END
