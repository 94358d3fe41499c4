import Foundation

/// Results: a tasker hands in the boxes for a leased task and is paid its bounty.
public struct Trains {
    let db: Connection

    public enum Submitted {
        /// Stored now.
        case new(Train)
        /// The same submission arrived before (a client retry): nothing changed.
        case repeated(Train)
    }

    /// Stores a train for a live lease of this tasker and pays it, in one transaction:
    /// the train and its boxes are written, counted on the task, the lease ends as
    /// submitted, and the lease's bounty moves from the job's escrow to the tasker.
    /// Sending the same boxes again for the same lease returns the stored train.
    public func submit(leaseID: Int64, taskerID: Int64, _ submission: TrainSubmission, now: Date = Date()) throws -> Submitted {
        try db.transaction { () -> Submitted in
            // Only the lease row is locked: the task and the job are read without locks,
            // so submissions to one job do not wait for each other.
            guard let locked = try db.row("SELECT tasker_id FROM leases WHERE id = ? FOR UPDATE", leaseID),
                  try locked["tasker_id"] as Int64 == taskerID,
                  let row = try db.row("SELECT \(Leases.columns) WHERE l.id = ?", leaseID) else {
                throw MarketError.notFound("lease")
            }
            let lease = try Lease(row: row)

            switch lease.state {
            case .submitted:
                guard let stored = try find(leaseID: leaseID) else { throw MarketError.notFound("train") }
                guard stored.boxes == submission.boxes, stored.nothingToMark == submission.nothingToMark else {
                    throw MarketError(.conflict, "train_already_submitted",
                                      "A different result was already submitted for this lease.")
                }
                return .repeated(stored)
            case .released:
                throw MarketError(.conflict, "lease_not_live", "This lease was released; take a new one.")
            case .expired:
                throw MarketError(.conflict, "lease_expired", "This lease expired before the result arrived; take a new one.")
            case .live where lease.expiresAt <= now:
                throw MarketError(.conflict, "lease_expired", "This lease expired before the result arrived; take a new one.")
            case .live:
                break
            }
            try Trains.validate(submission, for: lease)

            let trainID = try db.execute("""
                INSERT INTO trains (lease_id, task_id, job_id, tasker_id, nothing_to_mark, coordinate_space, bounty, created_at)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?)
                """, lease.id, lease.taskID, lease.jobID, taskerID, submission.nothingToMark,
                submission.coordinateSpace.rawValue, lease.bounty, now).lastInsertID
            for box in submission.boxes {
                try db.execute("INSERT INTO boxes (train_id, x, y, w, h, label) VALUES (?, ?, ?, ?, ?, ?)",
                               trainID, box.x, box.y, box.w, box.h, box.label)
            }
            try db.execute("UPDATE leases SET state = 'submitted', ended_at = ? WHERE id = ?", now, lease.id)
            try db.execute("UPDATE tasks SET train_count = train_count + 1 WHERE id = ?", lease.taskID)

            guard let accounts = try db.row("""
                SELECT j.account_id AS job_account, u.account_id AS tasker_account
                FROM jobs j JOIN users u ON u.id = ? WHERE j.id = ?
                """, taskerID, lease.jobID) else { throw MarketError.notFound("job") }
            // The money moves last: the job's escrow row is the one every submission and
            // assignment of the job touches, so its lock is held for the shortest time.
            try Ledger(db: db).move(.init(kind: .bounty, amount: lease.bounty,
                                          from: try accounts["job_account"], to: try accounts["tasker_account"],
                                          fromReserved: true, jobID: lease.jobID, trainID: trainID))
            // What was just written, without reading it back.
            return .new(Train(id: trainID, leaseID: lease.id, taskID: lease.taskID, jobID: lease.jobID,
                              taskerID: taskerID, nothingToMark: submission.nothingToMark,
                              coordinateSpace: submission.coordinateSpace, boxes: submission.boxes,
                              bounty: lease.bounty, createdAt: now))
        }
    }

    /// Refuses a submission that breaks the job's rules: an empty train, a box outside the
    /// image or with a label the job does not have.
    static func validate(_ submission: TrainSubmission, for lease: Lease) throws {
        if submission.nothingToMark {
            guard submission.boxes.isEmpty else {
                throw MarketError(.invalid, "boxes_with_nothing_to_mark", "A train marked \"nothing to mark\" cannot have boxes.")
            }
            return
        }
        guard !submission.boxes.isEmpty else {
            throw MarketError(.invalid, "empty_train", "Draw at least one box, or answer \"nothing to mark\".")
        }
        guard submission.boxes.count <= 500 else {
            throw MarketError(.invalid, "too_many_boxes", "A train holds at most 500 boxes.")
        }
        let width = Double(lease.imageWidth), height = Double(lease.imageHeight)
        for (index, box) in submission.boxes.enumerated() {
            guard [box.x, box.y, box.w, box.h].allSatisfy(\.isFinite), box.w > 0, box.h > 0,
                  box.x >= 0, box.y >= 0, box.x + box.w <= width, box.y + box.h <= height else {
                throw MarketError(.invalid, "box_outside_image",
                                  "Box \(index + 1) must have a positive size and lie inside the \(lease.imageWidth)x\(lease.imageHeight) image.")
            }
            guard lease.labels.contains(box.label) else {
                throw MarketError(.invalid, "unknown_label",
                                  "Box \(index + 1) has the label \"\(box.label)\", which is not one of this job's labels.")
            }
        }
    }

    public func find(id: Int64) throws -> Train? {
        try load(where: "id = ?", [id]).first
    }

    public func find(leaseID: Int64) throws -> Train? {
        try load(where: "lease_id = ?", [leaseID]).first
    }

    /// The trains of one task, oldest first.
    public func list(taskID: Int64) throws -> [Train] {
        try load(where: "task_id = ? ORDER BY id", [taskID])
    }

    /// One page of a job's trains, oldest first.
    public func list(jobID: Int64, page: Int, perPage: Int) throws -> Page<Train> {
        let total: Int = try db.row("SELECT COUNT(*) AS n FROM trains WHERE job_id = ?", jobID)?["n"] ?? 0
        let items = try load(where: "job_id = ? ORDER BY id LIMIT ? OFFSET ?", [jobID, perPage, (page - 1) * perPage])
        return Page(items: items, page: page, perPage: perPage, total: total)
    }

    /// Trains with their boxes: one query for the trains, one for all of their boxes.
    private func load(where condition: String, _ arguments: [DatabaseValueConvertible?]) throws -> [Train] {
        let rows = try db.rows("""
            SELECT id, lease_id, task_id, job_id, tasker_id, nothing_to_mark, coordinate_space, bounty, created_at
            FROM trains WHERE \(condition)
            """, arguments: arguments)
        guard !rows.isEmpty else { return [] }
        let ids: [Int64] = try rows.map { try $0["id"] }
        var boxes: [Int64: [Box]] = [:]
        // Fixed-size IN lists (the last id repeated to fill one), so that one prepared
        // statement serves every page size instead of one cached statement per length.
        let chunk = 64
        let placeholders = Array(repeating: "?", count: chunk).joined(separator: ", ")
        for start in stride(from: 0, to: ids.count, by: chunk) {
            var slice = Array(ids[start..<min(start + chunk, ids.count)])
            slice += Array(repeating: slice[slice.count - 1], count: chunk - slice.count)
            for row in try db.rows("SELECT train_id, x, y, w, h, label FROM boxes WHERE train_id IN (\(placeholders)) ORDER BY id",
                                   arguments: slice) {
                boxes[try row["train_id"], default: []].append(
                    Box(x: try row["x"], y: try row["y"], w: try row["w"], h: try row["h"], label: try row["label"]))
            }
        }
        return try rows.map { row in
            let id: Int64 = try row["id"]
            return Train(id: id, leaseID: try row["lease_id"], taskID: try row["task_id"], jobID: try row["job_id"],
                         taskerID: try row["tasker_id"], nothingToMark: try row["nothing_to_mark"],
                         coordinateSpace: CoordinateSpace(rawValue: try row["coordinate_space"]) ?? .image,
                         boxes: boxes[id] ?? [], bounty: try row["bounty"], createdAt: try row["created_at"])
        }
    }
}

extension Trains {
    /// The first train of every task of a job that has one, in task order (the legacy
    /// protocol's GetTasksPerJob): two queries, whatever the number of tasks.
    public func firstPerTask(jobID: Int64) throws -> [Train] {
        try load(where: "id IN (SELECT MIN(f.id) FROM trains f WHERE f.job_id = ? GROUP BY f.task_id) ORDER BY task_id",
                 [jobID])
    }
}
