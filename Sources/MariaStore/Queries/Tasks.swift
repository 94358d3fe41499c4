import Foundation

/// The images of a job, one task each.
public struct Tasks {
    let db: Connection

    /// Adds images to a job as new tasks, all or none, in one transaction. An image that
    /// the job already has (same SHA-256) gives back its task, with `duplicate` set. A new
    /// task's slots are opened (paid into escrow) at activation; on an open job at once, as
    /// far as the budget and the requester's balance go (a top-up opens the rest).
    public func add(jobID: Int64, requesterID: Int64, images: [NewImage]) throws -> [(task: TaskRecord, duplicate: Bool)] {
        try db.transaction {
            guard
                let job = try db.row(
                    """
                    SELECT j.state, u.account_id FROM jobs j JOIN users u ON u.id = j.requester_id
                    WHERE j.id = ? AND j.requester_id = ? FOR UPDATE
                    """, jobID, requesterID)
            else { throw MarketError.notFound("job") }
            let state = JobState(rawValue: try job["state"]) ?? .draft
            guard state != .finished else { throw MarketError.finishedJobTakesNoImages }
            let added = try images.map { image -> (id: Int64, duplicate: Bool) in
                if let existing = try db.row("SELECT id FROM tasks WHERE job_id = ? AND sha256 = ?", jobID, image.sha256) {
                    return (try existing["id"], true)
                }
                let id = try db.execute(
                    """
                    INSERT INTO tasks (job_id, sha256, mime_type, width, height, byte_count, filename, results_wanted, open_slots)
                    VALUES (?, ?, ?, ?, ?, ?, ?, 0, 0)
                    """, jobID, image.sha256, image.mimeType, image.width, image.height, image.byteCount,
                    image.filename
                ).lastInsertID
                return (id, false)
            }
            if state != .draft, added.contains(where: { !$0.duplicate }) {
                try Escrow(db: db).openSlots(jobID: jobID, requesterAccount: try job["account_id"], upToBalance: true)
            }
            return try added.map { (try find(id: $0.id)!, $0.duplicate) }
        }
    }

    /// Adds one image; see `add(jobID:requesterID:images:)`.
    public func add(jobID: Int64, requesterID: Int64, image: NewImage) throws -> (task: TaskRecord, duplicate: Bool) {
        try add(jobID: jobID, requesterID: requesterID, images: [image])[0]
    }

    public func find(id: Int64) throws -> TaskRecord? {
        try db.fetchOne(TaskRecord.withID(id))
    }

    public func list(jobID: Int64, page: Int, perPage: Int) throws -> Page<TaskRecord> {
        let total: Int = try db.row("SELECT COUNT(*) AS n FROM tasks WHERE job_id = ?", jobID)?["n"] ?? 0
        let items = try db.fetchAll(TaskRecord.ofJob(jobID, limit: perPage, offset: (page - 1) * perPage))
        return Page(items: items, page: page, perPage: perPage, total: total)
    }

    /// True when a user may see the task's image: the job's requester, or a tasker who
    /// holds or held a lease on it.
    public func isVisible(taskID: Int64, to user: User) throws -> Bool {
        if user.role == .admin { return true }
        return try db.row(
            """
            SELECT 1 AS ok FROM tasks t JOIN jobs j ON j.id = t.job_id
            WHERE t.id = ? AND (j.requester_id = ?
                OR EXISTS (SELECT 1 FROM leases l WHERE l.task_id = t.id AND l.tasker_id = ?))
            """, taskID, user.id, user.id) != nil
    }

    /// Deletes the tasks of a job that nobody has worked on (no lease ever); the bounties
    /// their opened slots held go back from the escrow to the requester. Returns the
    /// SHA-256 of each deleted image.
    public func removeUntouched(jobID: Int64, requesterID: Int64) throws -> [[UInt8]] {
        try db.transaction {
            guard
                let job = try db.row(
                    """
                    SELECT j.bounty, j.account_id, u.account_id AS requester_account FROM jobs j
                    JOIN users u ON u.id = j.requester_id WHERE j.id = ? AND j.requester_id = ? FOR UPDATE
                    """, jobID, requesterID)
            else { throw MarketError.notFound("job") }
            let rows = try db.rows(
                """
                SELECT t.id, t.sha256, t.results_wanted FROM tasks t WHERE t.job_id = ?
                  AND NOT EXISTS (SELECT 1 FROM leases l WHERE l.task_id = t.id) FOR UPDATE
                """, jobID)
            for row in rows { try db.execute("DELETE FROM tasks WHERE id = ?", try row["id"] as Int64) }
            let slots = try rows.reduce(0) { $0 + (try $1["results_wanted"] as Int) }
            if slots > 0 {
                try db.execute("UPDATE jobs SET escrowed_slots = escrowed_slots - ? WHERE id = ?", slots, jobID)
                try Ledger(db: db).move(
                    .init(
                        kind: .refund, amount: (try job["bounty"] as Money) * slots,
                        from: try job["account_id"], to: try job["requester_account"],
                        jobID: jobID, memo: "images removed"))
            }
            return try rows.map { try $0["sha256"] }
        }
    }

    /// True when some task, in any job, still uses this image.
    public func imageInUse(sha256: [UInt8]) throws -> Bool {
        try db.row("SELECT 1 AS used FROM tasks WHERE sha256 = ? LIMIT 1", sha256) != nil
    }
}
