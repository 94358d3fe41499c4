-- Where the housekeeper's rounds stopped: `quality` is the last result whose image was
-- assessed (consensus, gold score), so a round reads only the results that came since.
CREATE TABLE IF NOT EXISTS housekeeping_cursors (
    name VARCHAR(32) NOT NULL PRIMARY KEY,
    last_id BIGINT NOT NULL
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4;
