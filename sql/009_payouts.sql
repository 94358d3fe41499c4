-- A tasker's request to be paid part of their balance to a wallet address. The amount
-- sits in the `payouts` account until an admin marks it paid or rejects it.
CREATE TABLE IF NOT EXISTS payouts (
    id BIGINT NOT NULL AUTO_INCREMENT PRIMARY KEY,
    user_id BIGINT NOT NULL,
    amount DECIMAL(14, 2) NOT NULL,
    address VARCHAR(200) NOT NULL,
    state ENUM('requested', 'paid', 'rejected') NOT NULL DEFAULT 'requested',
    reference VARCHAR(200) NULL,
    created_at DATETIME(6) NOT NULL DEFAULT CURRENT_TIMESTAMP(6),
    decided_at DATETIME(6) NULL,
    KEY payouts_user (user_id, id),
    KEY payouts_state (state, id),
    CONSTRAINT payouts_user_fk FOREIGN KEY (user_id) REFERENCES users (id),
    CONSTRAINT payouts_positive CHECK (amount > 0)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4;
