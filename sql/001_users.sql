-- People: taskers, requesters and admins. Email is unique whatever its case
-- (the column's collation is case-insensitive and the app stores it trimmed and lowered).
CREATE TABLE IF NOT EXISTS users (
    id BIGINT NOT NULL AUTO_INCREMENT PRIMARY KEY,
    email VARCHAR(254) NOT NULL COLLATE utf8mb4_unicode_ci,
    screen_name VARCHAR(64) NOT NULL,
    password_hash VARCHAR(255) NOT NULL,
    role ENUM('tasker', 'requester', 'admin') NOT NULL,
    account_id BIGINT NOT NULL,
    created_at DATETIME(6) NOT NULL DEFAULT CURRENT_TIMESTAMP(6),
    UNIQUE KEY users_email (email),
    UNIQUE KEY users_account (account_id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4;
