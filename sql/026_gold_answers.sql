-- A tasker's answer on a gold image, scored against the known boxes at the job's IoU
-- threshold: the tasker's accuracy in a job is the mean f1 of their gold answers there.
-- `missed` and `extra` (JSON arrays of boxes) are shown to the tasker.
CREATE TABLE IF NOT EXISTS gold_answers (
    train_id BIGINT NOT NULL PRIMARY KEY,
    job_id BIGINT NOT NULL,
    task_id BIGINT NOT NULL,
    tasker_id BIGINT NOT NULL,
    true_positives INT NOT NULL,
    false_positives INT NOT NULL,
    false_negatives INT NOT NULL,
    f1 DECIMAL(5, 4) NOT NULL,
    passed TINYINT NOT NULL,
    missed LONGTEXT CHARACTER SET utf8mb4 NOT NULL,
    extra LONGTEXT CHARACTER SET utf8mb4 NOT NULL,
    created_at DATETIME(6) NOT NULL DEFAULT CURRENT_TIMESTAMP(6),
    KEY gold_answers_tasker (tasker_id, job_id),
    KEY gold_answers_job (job_id, tasker_id),
    CONSTRAINT gold_answers_train_fk FOREIGN KEY (train_id) REFERENCES trains (id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4;
