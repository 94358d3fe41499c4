-- An image's quality: `is_gold` with its known answer (`gold_answer`: {"boxes": [...],
-- "nothingToMark": bool}); `held_slots`: slots paid into escrow but not offered yet
-- (adaptive redundancy), so that open_slots + held_slots + live leases + counted results
-- = results_wanted; `agreement` of its counted results with their consensus, over
-- `assessed_results` of them, and `quality_done` once it needs no more results.
ALTER TABLE tasks
    ADD COLUMN IF NOT EXISTS is_gold TINYINT NOT NULL DEFAULT 0,
    ADD COLUMN IF NOT EXISTS gold_answer LONGTEXT CHARACTER SET utf8mb4 NULL,
    ADD COLUMN IF NOT EXISTS held_slots INT NOT NULL DEFAULT 0,
    ADD COLUMN IF NOT EXISTS agreement DECIMAL(5, 4) NULL,
    ADD COLUMN IF NOT EXISTS assessed_results INT NOT NULL DEFAULT 0,
    ADD COLUMN IF NOT EXISTS quality_done TINYINT NOT NULL DEFAULT 0,
    ADD CONSTRAINT IF NOT EXISTS tasks_held_slots CHECK (held_slots >= 0);
