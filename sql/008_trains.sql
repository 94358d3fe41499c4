-- A result: the boxes one tasker drew on one task, in the image's own pixels.
CREATE TABLE IF NOT EXISTS trains (
    id BIGINT NOT NULL AUTO_INCREMENT PRIMARY KEY,
    lease_id BIGINT NOT NULL,
    task_id BIGINT NOT NULL,
    job_id BIGINT NOT NULL,
    tasker_id BIGINT NOT NULL,
    nothing_to_mark TINYINT NOT NULL DEFAULT 0,
    coordinate_space ENUM('image', 'legacy-canvas') NOT NULL DEFAULT 'image',
    bounty DECIMAL(14, 2) NOT NULL,
    created_at DATETIME(6) NOT NULL DEFAULT CURRENT_TIMESTAMP(6),
    UNIQUE KEY trains_lease (lease_id),
    KEY trains_task (task_id, id),
    KEY trains_job (job_id, id),
    KEY trains_tasker (tasker_id, created_at),
    CONSTRAINT trains_lease_fk FOREIGN KEY (lease_id) REFERENCES leases (id),
    CONSTRAINT trains_task_fk FOREIGN KEY (task_id) REFERENCES tasks (id)
) ENGINE=InnoDB;

CREATE TABLE IF NOT EXISTS boxes (
    id BIGINT NOT NULL AUTO_INCREMENT PRIMARY KEY,
    train_id BIGINT NOT NULL,
    x DOUBLE NOT NULL,
    y DOUBLE NOT NULL,
    w DOUBLE NOT NULL,
    h DOUBLE NOT NULL,
    label VARCHAR(64) NOT NULL,
    KEY boxes_train (train_id, id),
    CONSTRAINT boxes_train_fk FOREIGN KEY (train_id) REFERENCES trains (id),
    CONSTRAINT boxes_positive CHECK (x >= 0 AND y >= 0 AND w > 0 AND h > 0)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4;
