-- A gold image is handed out only when the tasker's gold schedule says so (tasker_cycle
-- looks for one through tasks_gold); the ordinary assignment passes over it.
ALTER TABLE tasks
    MODIFY COLUMN is_open TINYINT AS (open_slots > 0 AND is_gold = 0) STORED,
    ADD KEY IF NOT EXISTS tasks_gold (job_id, is_gold, id);
