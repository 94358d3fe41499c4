-- One task per distinct image of a job. `open_slots` is the number of results still to
-- hand out: results wanted minus finished trains minus live leases. The assignment query
-- walks the index (job_id, is_open, id), so its cost does not grow with the job's size.
CREATE TABLE IF NOT EXISTS tasks (
    id BIGINT NOT NULL AUTO_INCREMENT PRIMARY KEY,
    job_id BIGINT NOT NULL,
    sha256 BINARY(32) NOT NULL,
    mime_type VARCHAR(32) NOT NULL,
    width INT NOT NULL,
    height INT NOT NULL,
    byte_count INT NOT NULL,
    filename VARCHAR(255) NULL,
    results_wanted INT NOT NULL,
    train_count INT NOT NULL DEFAULT 0,
    open_slots INT NOT NULL,
    is_open TINYINT AS (open_slots > 0) STORED,
    created_at DATETIME(6) NOT NULL DEFAULT CURRENT_TIMESTAMP(6),
    UNIQUE KEY tasks_job_image (job_id, sha256),
    KEY tasks_assignable (job_id, is_open, id),
    KEY tasks_image (sha256),
    CONSTRAINT tasks_job_fk FOREIGN KEY (job_id) REFERENCES jobs (id),
    CONSTRAINT tasks_slots CHECK (open_slots >= 0 AND train_count >= 0 AND train_count <= results_wanted)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4;
