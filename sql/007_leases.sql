-- A tasker's hold on one slot of a task. A tasker has at most one lease per task, ever
-- (the UNIQUE key): that is what guarantees nobody gets the same task twice.
CREATE TABLE IF NOT EXISTS leases (
    id BIGINT NOT NULL AUTO_INCREMENT PRIMARY KEY,
    task_id BIGINT NOT NULL,
    job_id BIGINT NOT NULL,
    tasker_id BIGINT NOT NULL,
    state ENUM('live', 'submitted', 'released', 'expired') NOT NULL DEFAULT 'live',
    bounty DECIMAL(14, 2) NOT NULL,
    created_at DATETIME(6) NOT NULL DEFAULT CURRENT_TIMESTAMP(6),
    expires_at DATETIME(6) NOT NULL,
    ended_at DATETIME(6) NULL,
    UNIQUE KEY leases_task_tasker (task_id, tasker_id),
    KEY leases_job_state_expiry (job_id, state, expires_at),
    KEY leases_tasker_job_state (tasker_id, job_id, state),
    CONSTRAINT leases_task_fk FOREIGN KEY (task_id) REFERENCES tasks (id),
    CONSTRAINT leases_tasker_fk FOREIGN KEY (tasker_id) REFERENCES users (id)
) ENGINE=InnoDB;
