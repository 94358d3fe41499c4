-- A bounty entry pays a tasker for the results of one settlement (018) at once.
ALTER TABLE ledger_entries
    ADD COLUMN IF NOT EXISTS settlement_id BIGINT NULL,
    ADD INDEX IF NOT EXISTS ledger_settlement (settlement_id);
