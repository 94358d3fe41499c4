import Foundation

/// Hands out work. A lease holds one slot of one task for one tasker for a limited time.
///
/// What holds under any concurrency:
/// - a task never has more finished trains plus live leases than results wanted
///   (`tasks.open_slots` is taken and given back in the same transactions as the leases,
///   under a CHECK that it never goes below zero);
/// - a tasker never gets the same task twice (UNIQUE (task_id, tasker_id) on leases);
/// - a tasker holds at most one live lease per job (the tasker's user row is locked while
///   a lease is taken, so two requests of one tasker run one after the other, and a
///   lease of theirs that ran out is ended before they get another);
/// - no money moves: the job's escrow paid for every open slot when it was opened.
public struct Leases {
    let db: Connection

    /// One assignment of the tasker's next lease in the job, as `TaskerCycle` answers it:
    /// the lowest-numbered task with an open slot that this tasker has never had, above the
    /// highest task they have had in the job, or, when there is none above, the lowest in
    /// the whole job. One round trip; no money moves (the escrow paid for the slot when it
    /// was opened). On a gold image of the job, when `wantGold` and one is free for the
    /// tasker (nil: the job has no gold image). `session`: see `TaskerCycle`.
    public func assign(
        jobID: Int64, taskerID: Int64, seconds: Int, session: [UInt8]? = nil, now: Date = Date(), wantGold: Bool? = nil
    ) throws -> TaskerCycle.Take {
        try TaskerCycle(db: db).take(
            job: jobID, tasker: taskerID, session: session, now: now, seconds: seconds, wantGold: wantGold)
    }

    public func find(id: Int64) throws -> Lease? {
        try db.fetchOne(Lease.withID(id))
    }

    /// A lease of this tasker, or `not_found` (also for someone else's lease).
    public func owned(id: Int64, by taskerID: Int64) throws -> Lease {
        guard let lease = try find(id: id), lease.taskerID == taskerID else { throw MarketError.notFound("lease") }
        return lease
    }

    /// The tasker gives the lease back (skips the image): the slot returns to the task and
    /// the bounty to the job's free budget. The tasker will not get this task again.
    public func release(id: Int64, taskerID: Int64, now: Date = Date()) throws {
        try db.transaction {
            guard let lease = try db.row("SELECT tasker_id, state FROM leases WHERE id = ? FOR UPDATE", id),
                try lease["tasker_id"] as Int64 == taskerID
            else { throw MarketError.notFound("lease") }
            guard try lease["state"] as String == LeaseState.live.rawValue else {
                throw MarketError(.conflict, "lease_not_live", "This lease has already ended.")
            }
            try end(leaseID: id, as: .released, now: now)
        }
    }

    /// Ends the live leases of a job whose time is up, giving their slots back. Returns
    /// how many ended. Each one in its own short transaction.
    @discardableResult
    public func reclaimExpired(jobID: Int64, now: Date = Date(), limit: Int = 100) throws -> Int {
        let expired = try db.rows(
            """
            SELECT id FROM leases WHERE job_id = ? AND state = 'live' AND expires_at <= ? ORDER BY expires_at LIMIT ?
            """, jobID, now, limit)
        var count = 0
        for row in expired {
            let id: Int64 = try row["id"]
            count += try db.transaction { () -> Int in
                guard let lease = try db.row("SELECT state FROM leases WHERE id = ? FOR UPDATE", id),
                    try lease["state"] as String == LeaseState.live.rawValue
                else { return 0 }
                try end(leaseID: id, as: .expired, now: now)
                return 1
            }
        }
        return count
    }

    /// The jobs that can have live leases (active or paused), for the housekeeper.
    public func jobsWithLiveLeases() throws -> [Int64] {
        try db.rows("SELECT id FROM jobs WHERE state IN ('active', 'paused') ORDER BY id").map { try $0["id"] }
    }

    /// Ends a live lease that the caller has locked: gives its slot and its bounty back,
    /// through the procedure every end of a lease goes through
    /// (sql/routines/end_lease.sql). Runs in the caller's transaction.
    func end(leaseID: Int64, as state: LeaseState, now: Date) throws {
        try db.execute("CALL end_lease(?, ?, ?)", leaseID, state.rawValue, now)
    }
}

extension Leases {
    /// The lease a tasker holds or held on a task (at most one, ever: UNIQUE (task_id,
    /// tasker_id)), or nil. The legacy protocol finds a train's lease this way when the
    /// client sends back only the task.
    public func find(taskID: Int64, taskerID: Int64) throws -> Lease? {
        try db.fetchOne(Lease.of(task: taskID, tasker: taskerID))
    }
}

extension Leases {
    /// How many leases a tasker has had in a job, and how many of them on gold images.
    public func goldCount(taskerID: Int64, jobID: Int64) throws -> GoldCount {
        let row = try db.row(
            """
            SELECT COUNT(*) AS taken, COALESCE(SUM(t.is_gold), 0) AS gold
            FROM leases l JOIN tasks t ON t.id = l.task_id WHERE l.tasker_id = ? AND l.job_id = ?
            """, taskerID, jobID)
        return GoldCount(taken: try row?["taken"] ?? 0, gold: try row?["gold"] ?? 0)
    }
}
