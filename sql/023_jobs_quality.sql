-- A job's quality control (Marketplace's Quality):
-- `iou_threshold`: boxes overlap enough to be the same object (consensus and gold scoring).
-- `min_results_per_image`: adaptive redundancy; NULL (or equal to results_per_image) is a
--   fixed number. An image is offered to this many taskers first; while their agreement
--   is below `agreement_threshold` it is offered to one more, up to results_per_image
--   (the maximum, which activation pays into escrow; the unused rest is refunded at finish).
-- `auto_review`: 'off'; 'hold' approves the results that agree with the image's consensus
--   and leaves the others for the requester; 'reject' rejects those with a reason.
-- Gold images (tasks.is_gold): handed to a tasker at one of every `gold_rate_early` of
--   their first `gold_early_images` images in the job, then one of every `gold_rate_later`,
--   at positions drawn from `gold_seed` (random, never shown); each gold image has
--   `gold_answers_per_image` slots. A tasker whose accuracy on them is below
--   `accuracy_threshold` after at least `min_gold_answers` is blocked from the job.
ALTER TABLE jobs
    ADD COLUMN IF NOT EXISTS iou_threshold DECIMAL(3, 2) NOT NULL DEFAULT 0.50,
    ADD COLUMN IF NOT EXISTS min_results_per_image INT NULL,
    ADD COLUMN IF NOT EXISTS agreement_threshold DECIMAL(3, 2) NOT NULL DEFAULT 0.70,
    ADD COLUMN IF NOT EXISTS auto_review VARCHAR(8) NOT NULL DEFAULT 'off',
    ADD COLUMN IF NOT EXISTS gold_rate_early INT NOT NULL DEFAULT 10,
    ADD COLUMN IF NOT EXISTS gold_early_images INT NOT NULL DEFAULT 20,
    ADD COLUMN IF NOT EXISTS gold_rate_later INT NOT NULL DEFAULT 20,
    ADD COLUMN IF NOT EXISTS gold_answers_per_image INT NOT NULL DEFAULT 30,
    ADD COLUMN IF NOT EXISTS accuracy_threshold DECIMAL(3, 2) NOT NULL DEFAULT 0.70,
    ADD COLUMN IF NOT EXISTS min_gold_answers INT NOT NULL DEFAULT 3,
    ADD COLUMN IF NOT EXISTS gold_seed BIGINT NOT NULL DEFAULT 0;
