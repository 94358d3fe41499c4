import Foundation

/// Taskers a requester no longer takes work from: in one job, or in all their jobs.
/// `tasker_cycle` hands a blocked tasker no lease there. A block is made with the tasker's
/// row locked (as the cycle locks it), and ends the tasker's live leases there, so a lease
/// taken before it ends with it and one asked for after it is refused.
public struct TaskerBlocks {
    let db: Connection

    public enum Scope: Sendable, Equatable {
        case job(Int64)
        case allJobs

        /// The job of a one-job block; nil for all jobs.
        var jobID: Int64? {
            if case .job(let id) = self { return id }
            return nil
        }
    }

    public enum BlockedBy: String, Sendable {
        /// The marketplace: the tasker's accuracy on the job's gold images fell below its threshold.
        case auto
        case requester
    }

    /// Blocks the tasker and ends their live leases in the scope; returns how many ended. A
    /// block already there keeps its reason. `jobID` must be a job of the requester.
    @discardableResult
    public func block(
        taskerID: Int64, requesterID: Int64, _ scope: Scope, reason: String, by: BlockedBy, now: Date = Date()
    ) throws -> Int {
        try db.transaction {
            guard try db.row("SELECT id FROM users WHERE id = ? AND role = 'tasker' FOR UPDATE", taskerID) != nil else {
                throw MarketError.notFound("tasker")
            }
            let jobID = scope.jobID
            try db.execute(
                """
                INSERT IGNORE INTO tasker_blocks (requester_id, tasker_id, job_id, reason, blocked_by, created_at)
                VALUES (?, ?, ?, ?, ?, ?)
                """, requesterID, taskerID, jobID, reason, by.rawValue, now)
            let live = try db.rows(
                """
                SELECT l.id FROM leases l JOIN jobs j ON j.id = l.job_id
                WHERE l.tasker_id = ? AND l.state = 'live' AND j.requester_id = ? AND (? IS NULL OR l.job_id = ?)
                FOR UPDATE
                """, taskerID, requesterID, jobID, jobID)
            for lease in live {
                try Leases(db: db).end(leaseID: try lease["id"], as: .released, now: now)
            }
            return live.count
        }
    }

    /// Lifts the block of this scope (a block of the other scope stays).
    public func unblock(taskerID: Int64, requesterID: Int64, _ scope: Scope) throws {
        try db.execute(
            "DELETE FROM tasker_blocks WHERE tasker_id = ? AND requester_id = ? AND job_key = ?", taskerID, requesterID,
            scope.jobID ?? 0)
    }

    /// The blocks of a tasker by a requester that hold in this job (its own and the
    /// all-jobs one).
    public func blocks(taskerID: Int64, requesterID: Int64, jobID: Int64) throws -> [TaskerBlock] {
        try db.rows(
            """
            SELECT tasker_id, job_id, reason, blocked_by, created_at FROM tasker_blocks
            WHERE tasker_id = ? AND requester_id = ? AND job_key IN (0, ?)
            """, taskerID, requesterID, jobID
        ).map(TaskerBlock.init(row:))
    }

    /// The jobs of the requester where the tasker has results pending, in the scope.
    public func jobsWithPending(taskerID: Int64, requesterID: Int64, _ scope: Scope) throws -> [Int64] {
        let jobID = scope.jobID
        return try db.rows(
            """
            SELECT DISTINCT r.job_id FROM trains r JOIN jobs j ON j.id = r.job_id
            WHERE r.tasker_id = ? AND r.state = 'pending' AND j.requester_id = ? AND (? IS NULL OR r.job_id = ?)
            ORDER BY r.job_id
            """, taskerID, requesterID, jobID, jobID
        ).map { try $0["job_id"] }
    }
}

/// A tasker blocked by a requester from one job, or from all their jobs (`jobID` nil).
public struct TaskerBlock: Sendable, Equatable {
    public let taskerID: Int64
    public let jobID: Int64?
    public let reason: String
    public let byRequester: Bool
    public let createdAt: Date

    init(taskerID: Int64, jobID: Int64?, reason: String, byRequester: Bool, createdAt: Date) {
        self.taskerID = taskerID
        self.jobID = jobID
        self.reason = reason
        self.byRequester = byRequester
        self.createdAt = createdAt
    }

    init(row: Row) throws {
        taskerID = try row["tasker_id"]
        jobID = try row["job_id"]
        reason = try row["reason"]
        byRequester = try row["blocked_by"] as String == TaskerBlocks.BlockedBy.requester.rawValue
        createdAt = try row["created_at"]
    }
}
