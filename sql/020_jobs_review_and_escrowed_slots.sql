-- `auto_approve_after_hours`: pending results older than this are approved by the worker.
-- `escrowed_slots`: the slots whose bounty the job's escrow holds (open, leased, or with a
-- pending result). Slots are paid for when they are opened (activation, a top-up, images
-- added to an open job), so the escrow's balance is always bounty x escrowed_slots; a
-- take and a submission write no money. `tasks.results_wanted` is from now on the task's
-- opened slots (at most the job's results per image).
ALTER TABLE jobs
    ADD COLUMN IF NOT EXISTS auto_approve_after_hours INT NOT NULL DEFAULT 72,
    ADD COLUMN IF NOT EXISTS escrowed_slots INT NOT NULL DEFAULT 0;
