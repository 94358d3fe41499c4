-- A tasker blocked from one job of a requester (`job_id`), or from all of that requester's
-- jobs (`job_id` NULL): tasker_cycle hands them no lease there. `blocked_by`: 'auto' (gold
-- accuracy below the job's threshold) or 'requester'.
CREATE TABLE IF NOT EXISTS tasker_blocks (
    id BIGINT NOT NULL AUTO_INCREMENT PRIMARY KEY,
    requester_id BIGINT NOT NULL,
    tasker_id BIGINT NOT NULL,
    job_id BIGINT NULL,
    job_key BIGINT AS (COALESCE(job_id, 0)) STORED,
    reason VARCHAR(500) CHARACTER SET utf8mb4 NOT NULL,
    blocked_by VARCHAR(16) NOT NULL,
    created_at DATETIME(6) NOT NULL DEFAULT CURRENT_TIMESTAMP(6),
    UNIQUE KEY tasker_blocks_scope (tasker_id, requester_id, job_key),
    CONSTRAINT tasker_blocks_requester_fk FOREIGN KEY (requester_id) REFERENCES users (id),
    CONSTRAINT tasker_blocks_tasker_fk FOREIGN KEY (tasker_id) REFERENCES users (id),
    CONSTRAINT tasker_blocks_job_fk FOREIGN KEY (job_id) REFERENCES jobs (id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4;
