-- A tasker's results are found through trains_tasker_state (tasker_id, state, id), which
-- 017 added for their history and earnings: the older (tasker_id, created_at) is one more
-- index that every result handed in would write for nothing.
ALTER TABLE trains DROP INDEX IF EXISTS trains_tasker;
