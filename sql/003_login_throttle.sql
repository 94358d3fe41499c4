-- Failed sign-ins per account ("email:...") and per client ("client:..."), to slow
-- down password guessing.
CREATE TABLE IF NOT EXISTS login_failures (
    throttle_key VARCHAR(300) NOT NULL PRIMARY KEY,
    failures INT NOT NULL,
    first_failure_at DATETIME(6) NOT NULL,
    blocked_until DATETIME(6) NULL
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4;
