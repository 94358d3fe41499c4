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
    var handedOut: (any LeaseMemory)? = nil
    var sessionMemory: (any SessionMemory)? = nil

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
    /// an open slot that this tasker has never had, above the highest task they have had
    /// in the job, or, when there is none above, the lowest in the whole job. The
    /// assignment is the procedure `tasker_cycle` (sql/routines/tasker_cycle.sql), one
    /// round trip; it writes no money (the escrow paid for the slot when it was opened).
    ///
    /// When every free task is held by other transactions for a moment (`busy`), it asks
    /// again a few times, then refuses with `busy`. When the job seems to have no work
    /// left, which slots held by expired leases would cause, it ends the job's expired
    /// leases (up to 100) and asks once more, so that the tasker is not sent away while the
    /// housekeeper has yet to come by.
    ///
    /// `session`: the hash of the request's session token, for the procedure to check,
    /// when the caller knows the tasker from the process's memory of sessions (see
    /// `TaskerCycle`).
    public func take(
        jobID: Int64, taskerID: Int64, seconds: Int, session: [UInt8]? = nil,
        now: Date = Date()
    ) throws -> Taken {
        var outcome = try assign(jobID: jobID, taskerID: taskerID, seconds: seconds, session: session, now: now)
        if case .noWork = outcome {
            // Asked again even when none ended here: the housekeeper may have ended one since.
            try reclaimExpired(jobID: jobID, now: now)
            outcome = try assign(jobID: jobID, taskerID: taskerID, seconds: seconds, session: session, now: now)
        }
        switch outcome {
        case .new(let lease):
            handedOut?.remember(lease)
            return .new(lease)
        case .existing(let lease):
            handedOut?.remember(lease)
            return .existing(lease)
        case .refused, .noWork, .busy:
            throw outcome.refusal!
        }
    }

    /// One assignment, asked again while the answer is `busy` (up to `busyAttempts`).
    private func assign(
        jobID: Int64, taskerID: Int64, seconds: Int, session: [UInt8]?,
        now: Date
    ) throws -> TaskerCycle.Take {
        let cycle = TaskerCycle(db: db, sessionMemory: sessionMemory)
        var attempt = 1
        while true {
            let answer = try cycle.call(tasker: taskerID, session: session, now: now, seconds: seconds, takeJob: jobID)
            guard let take = answer.take else { throw DatabaseError.usage("tasker_cycle answered no assignment") }
            guard case .busy = take, attempt < Leases.busyAttempts else { return take }
            attempt += 1
            usleep(UInt32.random(in: 500...3_000) * UInt32(attempt))
        }
    }

    static let busyAttempts = 5

    public func find(id: Int64) throws -> Lease? {
        try db.row("SELECT \(Leases.columns) WHERE l.id = ?", id).map(Lease.init(row:))
    }

    /// A lease of this tasker, or `not_found` (also for someone else's lease).
    public func owned(id: Int64, by taskerID: Int64) throws -> Lease {
        guard let lease = try find(id: id), lease.taskerID == taskerID else { throw MarketError.notFound("lease") }
        return lease
    }

    /// The lease a submission names, as `owned` finds it, but from the leases this process
    /// handed out when it is one of them (`LeaseMemory`): its state there is the state
    /// it was handed out in, which `Trains.submit` leaves to `tasker_cycle` to check.
    public func toSubmit(id: Int64, by taskerID: Int64) throws -> Lease {
        if let lease = handedOut?.lease(id: id) {
            guard lease.taskerID == taskerID else { throw MarketError.notFound("lease") }
            return lease
        }
        return try owned(id: id, by: taskerID)
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
        handedOut?.forget(id: id)
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
