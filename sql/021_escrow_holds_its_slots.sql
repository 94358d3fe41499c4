-- Jobs made before slots were paid for when opened: their escrow held the whole budget,
-- and a lease reserved its bounty. Now an open job keeps open only the slots its free
-- escrow pays for (the lowest-numbered tasks first), holds bounty x escrowed_slots, and
-- gives the rest back to its requester; a draft has no slot open, a finished job none
-- left. One transaction; run again, it changes nothing.
START TRANSACTION;

UPDATE tasks t
  JOIN (SELECT t.id, t.open_slots,
               SUM(t.open_slots) OVER (PARTITION BY t.job_id ORDER BY t.id) - t.open_slots AS before_it,
               FLOOR((a.balance - a.reserved) / j.bounty) AS fundable
          FROM tasks t JOIN jobs j ON j.id = t.job_id JOIN accounts a ON a.id = j.account_id
         WHERE j.state IN ('active', 'paused')) f ON f.id = t.id
   SET t.results_wanted = t.results_wanted - (f.open_slots - LEAST(f.open_slots, GREATEST(0, f.fundable - f.before_it))),
       t.open_slots = LEAST(f.open_slots, GREATEST(0, f.fundable - f.before_it));

UPDATE tasks t JOIN jobs j ON j.id = t.job_id
   SET t.results_wanted = t.train_count, t.open_slots = 0
 WHERE j.state IN ('draft', 'finished');

UPDATE jobs j
   SET j.escrowed_slots = (SELECT COALESCE(SUM(t.results_wanted), 0) FROM tasks t WHERE t.job_id = j.id)
                        - (SELECT COUNT(*) FROM trains r WHERE r.job_id = j.id AND r.state = 'approved');

INSERT INTO ledger_entries (kind, amount, from_account, to_account, job_id, memo)
SELECT 'refund', a.balance - j.bounty * j.escrowed_slots, a.id, u.account_id, j.id, 'escrow beyond its open slots'
  FROM jobs j JOIN accounts a ON a.id = j.account_id JOIN users u ON u.id = j.requester_id
 WHERE a.balance > j.bounty * j.escrowed_slots;

UPDATE accounts r
  JOIN (SELECT u.account_id, SUM(a.balance - j.bounty * j.escrowed_slots) AS surplus
          FROM jobs j JOIN accounts a ON a.id = j.account_id JOIN users u ON u.id = j.requester_id
         WHERE a.balance > j.bounty * j.escrowed_slots GROUP BY u.account_id) s ON s.account_id = r.id
   SET r.balance = r.balance + s.surplus;

UPDATE accounts a JOIN jobs j ON j.account_id = a.id
   SET a.balance = LEAST(a.balance, j.bounty * j.escrowed_slots), a.reserved = 0;

COMMIT;
