-- One review decision over a set of a job's pending results: approved or rejected by the
-- requester, or approved by the worker when the job's review window ran out. The results
-- it decided name it (trains.settlement_id), and so does each ledger entry that paid them
-- (ledger_entries.settlement_id, one entry per tasker): every settled result is accounted
-- for in the ledger.
CREATE TABLE IF NOT EXISTS settlements (
    id BIGINT NOT NULL AUTO_INCREMENT PRIMARY KEY,
    job_id BIGINT NOT NULL,
    action ENUM('approve', 'reject', 'auto_approve') NOT NULL,
    decided_by BIGINT NULL,
    reason VARCHAR(500) CHARACTER SET utf8mb4 NULL,
    result_count INT NOT NULL,
    amount DECIMAL(14, 2) NOT NULL,
    created_at DATETIME(6) NOT NULL DEFAULT CURRENT_TIMESTAMP(6),
    KEY settlements_job (job_id, id),
    CONSTRAINT settlements_job_fk FOREIGN KEY (job_id) REFERENCES jobs (id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4;
