-- Where a tasker is in a job: the highest task they have had there, one index dive for
-- the assignment (sql/routines/tasker_cycle.sql), which hands out the next task above it.
-- (Numbered 013: 010-012 were the stored procedures before they moved to sql/routines/,
-- and databases made before the move have those numbers recorded as applied.)
ALTER TABLE leases ADD INDEX IF NOT EXISTS leases_tasker_job_task (tasker_id, job_id, task_id);
