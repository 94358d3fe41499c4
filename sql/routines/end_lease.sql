-- end_lease: the one way a live lease ends without a result. Its slot goes back to its
-- task and its bounty back to the job's free budget (out of the escrow's reserved part).
--   CALL end_lease(lease, state, now)      state: 'released' or 'expired'
-- It runs inside the caller's transaction, and the caller must hold the lease's row lock
-- and have seen it live: Leases.release and Leases.reclaimExpired (Swift), Jobs.finish,
-- and tasker_cycle for the tasker's own expired lease. Locks, in this order: the lease,
-- the task, the job's escrow account (every writer of these rows locks the escrow last).
CREATE OR REPLACE PROCEDURE end_lease(
    IN p_lease BIGINT, IN p_state VARCHAR(16) CHARACTER SET utf8mb4, IN p_now DATETIME(6))
MODIFIES SQL DATA
BEGIN
    DECLARE v_task, v_escrow BIGINT;
    DECLARE v_bounty DECIMAL(14, 2);
    SELECT l.task_id, l.bounty, j.account_id INTO v_task, v_bounty, v_escrow
      FROM leases l JOIN jobs j ON j.id = l.job_id WHERE l.id = p_lease;
    UPDATE leases SET state = p_state, ended_at = p_now WHERE id = p_lease;
    UPDATE tasks SET open_slots = open_slots + 1 WHERE id = v_task;
    UPDATE accounts SET reserved = reserved - v_bounty WHERE id = v_escrow;
END
