-- Review: a result is `pending` when handed in, then `approved` (its bounty paid to the
-- tasker) or `rejected` (with a reason the tasker sees; its slot is offered again).
-- `settlement_id` is the settlement that decided it (018). Results stored before review
-- existed were paid when handed in: they are approved, settled when they were made. The
-- column is added with that default and the default then changed, so that running this
-- file again changes nothing.
ALTER TABLE trains
    ADD COLUMN IF NOT EXISTS state ENUM('pending', 'approved', 'rejected') NOT NULL DEFAULT 'approved',
    ADD COLUMN IF NOT EXISTS reject_reason VARCHAR(500) CHARACTER SET utf8mb4 NULL,
    ADD COLUMN IF NOT EXISTS settled_at DATETIME(6) NULL,
    ADD COLUMN IF NOT EXISTS settlement_id BIGINT NULL,
    ADD INDEX IF NOT EXISTS trains_job_state (job_id, state, created_at),
    ADD INDEX IF NOT EXISTS trains_tasker_state (tasker_id, state, id),
    ADD INDEX IF NOT EXISTS trains_settlement (settlement_id);
ALTER TABLE trains ALTER COLUMN state SET DEFAULT 'pending';
UPDATE trains SET settled_at = created_at WHERE state = 'approved' AND settled_at IS NULL AND settlement_id IS NULL;
