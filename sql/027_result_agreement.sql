-- How well a result agrees with its image's consensus (f1 of its boxes against the
-- consensus boxes, weighted by their overlap), and what it missed or added, in words.
ALTER TABLE trains
    ADD COLUMN IF NOT EXISTS agreement DECIMAL(5, 4) NULL,
    ADD COLUMN IF NOT EXISTS agreement_note VARCHAR(200) CHARACTER SET utf8mb4 NULL;
