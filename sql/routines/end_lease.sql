-- end_lease: the one way a live lease ends without a result: its slot goes back to its
-- task. No money moves: the slot's bounty stays in the job's escrow for its next result.
--   CALL end_lease(lease, state, now)      state: 'released' or 'expired'
-- It runs inside the caller's transaction, and the caller must hold the lease's row lock
-- and have seen it live: Leases.release and Leases.reclaimExpired (Swift), Jobs.finish,
-- and tasker_cycle for the tasker's own expired lease. Locks, in this order: the lease,
-- then its task.
CREATE OR REPLACE PROCEDURE end_lease(
    IN p_lease BIGINT, IN p_state VARCHAR(16) CHARACTER SET utf8mb4, IN p_now DATETIME(6))
MODIFIES SQL DATA
BEGIN
    UPDATE leases SET state = p_state, ended_at = p_now WHERE id = p_lease;
    UPDATE tasks t JOIN leases l ON l.task_id = t.id SET t.open_slots = t.open_slots + 1 WHERE l.id = p_lease;
END
