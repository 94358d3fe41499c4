import Foundation

/// Hands out work. A lease holds one slot of one task for one tasker for a limited time.
///
/// What holds under any concurrency:
/// - a task never has more finished trains plus live leases than results wanted
///   (`tasks.open_slots` is taken and given back in the same transactions as the leases,
///   under a CHECK that it never goes below zero);
/// - a tasker never gets the same task twice (UNIQUE (task_id, tasker_id) on leases);
/// - a tasker holds at most one live lease per job (the tasker's user row is locked while
///   a lease is taken, so two requests of one tasker run one after the other);
/// - every live lease's bounty is reserved in the job's escrow, so the bounties of all
///   live leases plus all paid trains never exceed the budget.
public struct Leases {
    let db: Connection

    static let columns = """
        l.id, l.task_id, l.job_id, l.tasker_id, l.state, l.bounty, l.created_at, l.expires_at,
        t.width, t.height, j.labels
        FROM leases l JOIN tasks t ON t.id = l.task_id JOIN jobs j ON j.id = l.job_id
        """

    public enum Taken {
        /// A new lease.
        case new(Lease)
        /// The live lease the tasker already held in this job.
        case existing(Lease)
    }

    /// Gives the tasker a lease on the next task of the job: the lowest-numbered task with
    /// an open slot that this tasker has never had, skipping tasks that other transactions
    /// are assigning right now (`FOR UPDATE SKIP LOCKED`), found through the index
    /// (job_id, is_open, id), so the cost does not grow with the number of tasks.
    public func take(jobID: Int64, taskerID: Int64, seconds: Int, now: Date = Date()) throws -> Taken {
        try reclaimExpired(jobID: jobID, now: now)
        let taken = try db.transaction { () -> Taken in
            // A shared lock on the job: finishing the job (which locks it exclusively)
            // waits for assignments in flight, and they for it.
            guard let job = try db.row("""
                SELECT state, start_time, end_time, bounty, account_id, labels FROM jobs WHERE id = ? LOCK IN SHARE MODE
                """, jobID) else { throw MarketError.notFound("job") }
            try Leases.checkOpen(job, now: now)
            _ = try db.row("SELECT id FROM users WHERE id = ? FOR UPDATE", taskerID)

            if let held = try db.row("""
                SELECT \(Leases.columns) WHERE l.tasker_id = ? AND l.job_id = ? AND l.state = 'live' AND l.expires_at > ?
                ORDER BY l.id LIMIT 1
                """, taskerID, jobID, now) {
                return .existing(try Lease(row: held))
            }

            guard let candidate = try db.row("""
                SELECT t.id, t.width, t.height FROM tasks t
                WHERE t.job_id = ? AND t.is_open = 1
                  AND NOT EXISTS (SELECT 1 FROM leases l WHERE l.task_id = t.id AND l.tasker_id = ?)
                ORDER BY t.id LIMIT 1
                FOR UPDATE SKIP LOCKED
                """, jobID, taskerID) else {
                throw MarketError(.notFound, "no_work", "There is no image left for you in this job.")
            }
            let taskID: Int64 = try candidate["id"]
            let bounty: Money = try job["bounty"]
            let taken = try db.execute("UPDATE tasks SET open_slots = open_slots - 1 WHERE id = ? AND open_slots > 0",
                                       taskID).affectedRows
            guard taken == 1 else {
                throw DatabaseError(code: UInt32(1213), message: "task slot taken concurrently; retrying")
            }
            let expiresAt = now.addingTimeInterval(TimeInterval(seconds))
            let leaseID = try db.execute("""
                INSERT INTO leases (task_id, job_id, tasker_id, bounty, created_at, expires_at) VALUES (?, ?, ?, ?, ?, ?)
                """, taskID, jobID, taskerID, bounty, now, expiresAt).lastInsertID
            // The bounty is reserved last: the job's escrow row is shared by every
            // assignment and submission of the job, so its lock is held for the shortest time.
            let reserved = try db.execute("""
                UPDATE accounts SET reserved = reserved + ? WHERE id = ? AND balance - reserved >= ?
                """, bounty, try job["account_id"] as Int64, bounty).affectedRows
            guard reserved == 1 else {
                throw MarketError(.notFound, "no_work", "The job's budget is spent; there is no more paid work in it.")
            }
            // What was just written, without reading it back.
            return .new(Lease(id: leaseID, taskID: taskID, jobID: jobID, taskerID: taskerID, state: .live,
                              bounty: bounty, createdAt: now, expiresAt: expiresAt,
                              imageWidth: try candidate["width"], imageHeight: try candidate["height"],
                              labels: Jobs.decodeLabels(try job["labels"])))
        }
        return taken
    }

    public func find(id: Int64) throws -> Lease? {
        try db.row("SELECT \(Leases.columns) WHERE l.id = ?", id).map(Lease.init(row:))
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
                  try lease["tasker_id"] as Int64 == taskerID else { throw MarketError.notFound("lease") }
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
        let expired = try db.rows("""
            SELECT id FROM leases WHERE job_id = ? AND state = 'live' AND expires_at <= ? ORDER BY expires_at LIMIT ?
            """, jobID, now, limit)
        var count = 0
        for row in expired {
            let id: Int64 = try row["id"]
            count += try db.transaction { () -> Int in
                guard let lease = try db.row("SELECT state FROM leases WHERE id = ? FOR UPDATE", id),
                      try lease["state"] as String == LeaseState.live.rawValue else { return 0 }
                try end(leaseID: id, as: .expired, now: now)
                return 1
            }
        }
        return count
    }

    /// Ends a live lease that the caller has locked: gives its slot and its bounty back.
    private func end(leaseID: Int64, as state: LeaseState, now: Date) throws {
        guard let lease = try db.row("""
            SELECT l.task_id, l.bounty, j.account_id FROM leases l JOIN jobs j ON j.id = l.job_id WHERE l.id = ?
            """, leaseID) else { return }
        try db.execute("UPDATE leases SET state = ?, ended_at = ? WHERE id = ?", state.rawValue, now, leaseID)
        try db.execute("UPDATE tasks SET open_slots = open_slots + 1 WHERE id = ?", try lease["task_id"] as Int64)
        try db.execute("UPDATE accounts SET reserved = reserved - ? WHERE id = ?",
                       try lease["bounty"] as Money, try lease["account_id"] as Int64)
    }

    /// Throws `job_not_open` unless the job hands out work at `now`.
    static func checkOpen(_ job: Row, now: Date) throws {
        let state: String = try job["state"]
        // A draft is nobody's business but its requester's: it does not exist for taskers.
        guard state != JobState.draft.rawValue else { throw MarketError.notFound("job") }
        guard state == JobState.active.rawValue else {
            throw MarketError(.conflict, "job_not_open", "This job is \(state), not open for work.")
        }
        if let start: Date = try job["start_time"], start > now {
            throw MarketError(.conflict, "job_not_open", "This job has not started yet.")
        }
        if let end: Date = try job["end_time"], end <= now {
            throw MarketError(.conflict, "job_not_open", "This job has ended.")
        }
    }
}

extension Lease {
    init(row: Row) throws {
        id = try row["id"]
        taskID = try row["task_id"]
        jobID = try row["job_id"]
        taskerID = try row["tasker_id"]
        state = LeaseState(rawValue: try row["state"]) ?? .expired
        bounty = try row["bounty"]
        createdAt = try row["created_at"]
        expiresAt = try row["expires_at"]
        imageWidth = try row["width"]
        imageHeight = try row["height"]
        labels = Jobs.decodeLabels(try row["labels"])
    }
}

extension Leases {
    /// The lease a tasker holds or held on a task (at most one, ever: UNIQUE (task_id,
    /// tasker_id)), or nil. The legacy protocol finds a train's lease this way when the
    /// client sends back only the task.
    public func find(taskID: Int64, taskerID: Int64) throws -> Lease? {
        try db.row("SELECT \(Leases.columns) WHERE l.task_id = ? AND l.tasker_id = ?", taskID, taskerID).map(Lease.init(row:))
    }
}
