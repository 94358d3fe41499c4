-- Money. Every balance lives in an account; every movement between two accounts is a
-- ledger entry written in the same transaction as the two balance changes, so that
-- each balance equals what its entries add up to.
--   user:     a tasker's earnings or a requester's funds
--   job:      a job's escrow; `reserved` is the part promised to live leases
--   payouts:  the one account holding payout requests until paid or rejected
--   external: the world outside (credits come from it, paid payouts go to it)
CREATE TABLE IF NOT EXISTS accounts (
    id BIGINT NOT NULL AUTO_INCREMENT PRIMARY KEY,
    kind ENUM('user', 'job', 'payouts', 'external') NOT NULL,
    balance DECIMAL(14, 2) NOT NULL DEFAULT 0,
    reserved DECIMAL(14, 2) NOT NULL DEFAULT 0,
    CONSTRAINT accounts_not_negative CHECK (kind = 'external' OR balance >= 0),
    CONSTRAINT accounts_reserve_covered CHECK (reserved >= 0 AND (kind = 'external' OR reserved <= balance))
) ENGINE=InnoDB;

CREATE TABLE IF NOT EXISTS ledger_entries (
    id BIGINT NOT NULL AUTO_INCREMENT PRIMARY KEY,
    kind ENUM('credit', 'escrow', 'bounty', 'refund', 'payout_hold', 'payout_paid', 'payout_return') NOT NULL,
    amount DECIMAL(14, 2) NOT NULL,
    from_account BIGINT NOT NULL,
    to_account BIGINT NOT NULL,
    job_id BIGINT NULL,
    train_id BIGINT NULL,
    payout_id BIGINT NULL,
    memo VARCHAR(255) NULL,
    created_at DATETIME(6) NOT NULL DEFAULT CURRENT_TIMESTAMP(6),
    KEY ledger_from (from_account, id),
    KEY ledger_to (to_account, id),
    KEY ledger_job (job_id),
    CONSTRAINT ledger_positive CHECK (amount > 0),
    CONSTRAINT ledger_from_fk FOREIGN KEY (from_account) REFERENCES accounts (id),
    CONSTRAINT ledger_to_fk FOREIGN KEY (to_account) REFERENCES accounts (id)
) ENGINE=InnoDB;

INSERT IGNORE INTO accounts (id, kind) VALUES (1, 'external'), (2, 'payouts');
