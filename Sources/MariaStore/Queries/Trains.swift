import Foundation

/// Results: a tasker hands in the boxes for a leased task; the result waits for review
/// (`Settlements`), which pays its bounty or gives its slot back.
public struct Trains {
    let db: Connection
    var handedOut: (any LeaseMemory)? = nil
    var sessionMemory: (any SessionMemory)? = nil

    public enum Submitted {
        /// Stored now.
        case new(Train)
        /// The same submission arrived before (a client retry): nothing changed.
        case repeated(Train)
    }

    /// What the tasker cycle's hand-in came to (`handIn(leaseID:...)`).
    public struct HandedIn {
        public let submitted: Submitted
        /// When the next lease was asked for: the lease, or the error that taking one met
        /// (`no_work`, `job_not_open`, `busy`, or a failure of the database) and that the
        /// client is shown beside the stored result.
        public let next: Result<Lease, Error>?
    }

    /// The tasker cycle's one call for a result (`POST /api/leases/{id}/train`): reads the
    /// lease (`Leases.toSubmit`), gives a box without a label the job's label when it has
    /// only one, checks the boxes, and stores the result pending review. With
    /// `nextLeaseSeconds` it also takes the tasker's next lease in the job, in the same
    /// transaction when it can (`submitAndTakeNext`) and otherwise as `Leases.take` would;
    /// the result stands whatever became of the next lease.
    public func handIn(
        leaseID: Int64, by taskerID: Int64, _ submission: TrainSubmission, nextLeaseSeconds: Int?,
        session: [UInt8]?, now: Date = Date()
    ) throws -> HandedIn {
        let lease = try Leases(db: db, handedOut: handedOut).toSubmit(id: leaseID, by: taskerID)
        let submission = submission.labelled(for: lease)
        guard let seconds = nextLeaseSeconds else {
            return HandedIn(
                submitted: try submit(to: lease, by: taskerID, submission, session: session, now: now),
                next: nil)
        }
        let (submitted, taken) = try submitAndTakeNext(
            to: lease, by: taskerID, submission, seconds: seconds,
            session: session, now: now)
        if let taken { return HandedIn(submitted: submitted, next: .success(taken)) }
        // A retried submission gets the lease it got the first time, still live.
        let next = Result<Lease, Error> {
            switch try Leases(db: db, handedOut: handedOut, sessionMemory: sessionMemory)
                .take(jobID: lease.jobID, taskerID: taskerID, seconds: seconds, session: session, now: now)
            {
            case .new(let lease), .existing(let lease): return lease
            }
        }
        return HandedIn(submitted: submitted, next: next)
    }

    /// Stores a train for a live lease of this tasker, pending review, in one transaction:
    /// the train and its boxes are written, counted on the task, the lease ends as
    /// submitted. No money moves until the result is approved.
    /// Sending the same boxes again for the same lease returns the stored train.
    public func submit(leaseID: Int64, taskerID: Int64, _ submission: TrainSubmission, now: Date = Date()) throws -> Submitted {
        try submit(
            to: try Leases(db: db, handedOut: handedOut).toSubmit(id: leaseID, by: taskerID), by: taskerID,
            submission, now: now)
    }

    /// `submit` for a lease the caller has just read (`Leases.toSubmit`), by the signed-in
    /// tasker `taskerID`; a lease of anybody else is `not_found`. The boxes are checked
    /// against the lease's image and labels here; the writes are the procedure
    /// `tasker_cycle` (sql/routines/tasker_cycle.sql), which ends the lease only if it is
    /// still live, in time and this tasker's, so a lease that changed in between is caught.
    /// `session`: the hash of the request's session token, for the procedure to check, when
    /// the caller knows the tasker from the process's memory of sessions (see `TaskerCycle`).
    public func submit(
        to lease: Lease, by taskerID: Int64, _ submission: TrainSubmission,
        session: [UInt8]? = nil, now: Date = Date()
    ) throws -> Submitted {
        try handIn(lease, by: taskerID, submission, nextLeaseSeconds: nil, session: session, now: now).submitted
    }

    /// `submit`, and in the same transaction and round trip the tasker's next lease in the
    /// lease's job, held for `seconds`. `next` is that lease when one was taken. It is nil
    /// when the submission was a repeat, and when the assignment gave no new lease (the job
    /// closed, no work or budget left, or every free task locked for a moment); the caller
    /// then asks `Leases.take`, which answers each of those as its route does. The
    /// submission stands whatever the assignment's outcome. The assignment also waits for a
    /// lock the submission alone does not take (the job's row, shared): when the waits keep
    /// ending in deadlocks or time-outs, the submission is made alone, as `submit` would,
    /// and `next` is nil.
    func submitAndTakeNext(
        to lease: Lease, by taskerID: Int64, _ submission: TrainSubmission,
        seconds: Int, session: [UInt8]? = nil,
        now: Date = Date()
    ) throws -> (submitted: Submitted, next: Lease?) {
        do {
            return try handIn(lease, by: taskerID, submission, nextLeaseSeconds: seconds, session: session, now: now)
        } catch let error as DatabaseError where error.isRetryableConflict {
            return try handIn(lease, by: taskerID, submission, nextLeaseSeconds: nil, session: session, now: now)
        }
    }

    private func handIn(
        _ lease: Lease, by taskerID: Int64, _ submission: TrainSubmission, nextLeaseSeconds: Int?,
        session: [UInt8]?, now: Date
    ) throws -> (submitted: Submitted, next: Lease?) {
        guard lease.taskerID == taskerID else { throw MarketError.notFound("lease") }
        if lease.state != .live || lease.expiresAt <= now { handedOut?.forget(id: lease.id) }
        let cycle = TaskerCycle(db: db, sessionMemory: sessionMemory)
        // An answer given here, without the procedure, checks the session as the procedure would.
        let answeredHere = Result { try answerWithoutTheProcedure(lease, submission, now: now) }
        if case .success(nil) = answeredHere {} else { try cycle.confirm(session, of: taskerID, now: now) }
        if let repeated = try answeredHere.get() { return (repeated, nil) }

        let answer = try cycle.call(
            tasker: taskerID, session: session, now: now, seconds: nextLeaseSeconds ?? 0,
            handingIn: lease, submission, takeJob: nextLeaseSeconds.map { _ in lease.jobID })
        // Every answer means the lease is no longer live.
        handedOut?.forget(id: lease.id)
        switch answer.handIn {
        case .stored(let trainID):
            // What was just written, without reading it back.
            let train = Train(
                id: trainID, leaseID: lease.id, taskID: lease.taskID, jobID: lease.jobID,
                taskerID: lease.taskerID, nothingToMark: submission.nothingToMark,
                coordinateSpace: submission.coordinateSpace, boxes: submission.boxes,
                bounty: lease.bounty, createdAt: now, state: .pending,
                imageWidth: lease.imageWidth, imageHeight: lease.imageHeight)
            guard case .new(let next) = answer.take else { return (.new(train), nil) }
            handedOut?.remember(next)
            return (.new(train), next)
        // Another request for the same lease (a client retry) got there first.
        case .alreadySubmitted: return (try repeated(lease, submission), nil)
        case .released: throw Trains.leaseReleased
        case .expired: throw Trains.leaseExpired
        case .notFound: throw MarketError.notFound("lease")
        case nil: throw DatabaseError.usage("tasker_cycle answered no hand-in")
        }
    }

    /// What a submission is answered before `tasker_cycle` is called: the stored train for
    /// a lease already submitted, a refusal for a lease no longer live or boxes that break
    /// the job's rules, or nil when the procedure is to decide.
    private func answerWithoutTheProcedure(_ lease: Lease, _ submission: TrainSubmission, now: Date) throws -> Submitted? {
        switch lease.state {
        case .submitted: return try repeated(lease, submission)
        case .released: throw Trains.leaseReleased
        case .expired: throw Trains.leaseExpired
        case .live where lease.expiresAt <= now: throw Trains.leaseExpired
        case .live: break
        }
        try Trains.validate(submission, for: lease)
        return nil
    }

    /// The answer to a lease that already has its train: the stored train when the same
    /// result is sent again, a conflict when a different one is.
    private func repeated(_ lease: Lease, _ submission: TrainSubmission) throws -> Submitted {
        guard let stored = try find(leaseID: lease.id) else { throw MarketError.notFound("train") }
        guard stored.boxes == submission.boxes, stored.nothingToMark == submission.nothingToMark else {
            throw MarketError(
                .conflict, "train_already_submitted",
                "A different result was already submitted for this lease.")
        }
        return .repeated(stored)
    }

    static let leaseReleased = MarketError(.conflict, "lease_not_live", "This lease was released; take a new one.")
    static let leaseExpired = MarketError(
        .conflict, "lease_expired",
        "This lease expired before the result arrived; take a new one.")

    /// Refuses a submission that breaks the job's rules (after `TrainSubmission.labelled`): an empty train, a box outside the
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
        let width = Double(lease.imageWidth)
        let height = Double(lease.imageHeight)
        for (index, box) in submission.boxes.enumerated() {
            guard [box.x, box.y, box.w, box.h].allSatisfy(\.isFinite), box.w > 0, box.h > 0,
                box.x >= 0, box.y >= 0, box.x + box.w <= width, box.y + box.h <= height
            else {
                throw MarketError(
                    .invalid, "box_outside_image",
                    "Box \(index + 1) must have a positive size and lie inside the \(lease.imageWidth)x\(lease.imageHeight) image."
                )
            }
            guard lease.labels.contains(box.label) else {
                throw MarketError(
                    .invalid, "unknown_label",
                    "Box \(index + 1) has the label \"\(box.label)\", which is not one of this job's labels.")
            }
        }
    }

    public func find(id: Int64) throws -> Train? {
        try load(where: "r.id = ?", [id]).first
    }

    public func find(leaseID: Int64) throws -> Train? {
        try load(where: "r.lease_id = ?", [leaseID]).first
    }

    /// The trains of one task, oldest first.
    public func list(taskID: Int64) throws -> [Train] {
        try load(where: "r.task_id = ? ORDER BY r.id", [taskID])
    }

    /// One page of a job's trains, oldest first; only those in `state`, or of one tasker,
    /// when given.
    public func list(
        jobID: Int64, state: ResultState? = nil, taskerID: Int64? = nil,
        page: Int, perPage: Int
    ) throws -> Page<Train> {
        try self.page(
            where: "r.job_id = ? AND (? IS NULL OR r.state = ?) AND (? IS NULL OR r.tasker_id = ?)",
            [jobID, state?.rawValue, state?.rawValue, taskerID, taskerID], order: "r.id", page: page, perPage: perPage)
    }

    /// One page of a tasker's own results, newest first; only those in `state` when given.
    public func history(taskerID: Int64, state: ResultState?, page: Int, perPage: Int) throws -> Page<Train> {
        try self.page(
            where: "r.tasker_id = ? AND (? IS NULL OR r.state = ?)", [taskerID, state?.rawValue, state?.rawValue],
            order: "r.id DESC", page: page, perPage: perPage)
    }

    /// One page of the trains that meet `condition` (on `trains r`), in `order`, with the
    /// count of all of them.
    private func page(
        where condition: String, _ arguments: [DatabaseValueConvertible?], order: String, page: Int, perPage: Int
    ) throws -> Page<Train> {
        let total: Int =
            try db.rows("SELECT COUNT(*) AS n FROM trains r WHERE \(condition)", arguments: arguments).first?["n"] ?? 0
        let items = try load(
            where: "\(condition) ORDER BY \(order) LIMIT ? OFFSET ?", arguments + [perPage, (page - 1) * perPage])
        return Page(items: items, page: page, perPage: perPage, total: total)
    }

    /// Trains with their boxes: one query for the trains, one for all of their boxes.
    private func load(where condition: String, _ arguments: [DatabaseValueConvertible?]) throws -> [Train] {
        let rows = try db.rows(
            """
            SELECT r.id, r.lease_id, r.task_id, r.job_id, r.tasker_id, r.nothing_to_mark, r.coordinate_space,
                   r.bounty, r.created_at, r.state, r.reject_reason, r.settled_at,
                   u.screen_name, j.title, t.width, t.height
            FROM trains r JOIN users u ON u.id = r.tasker_id JOIN tasks t ON t.id = r.task_id JOIN jobs j ON j.id = r.job_id
            WHERE \(condition)
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
            for row in try db.rows(
                "SELECT train_id, x, y, w, h, label FROM boxes WHERE train_id IN (\(placeholders)) ORDER BY id",
                arguments: slice)
            {
                boxes[try row["train_id"], default: []].append(
                    Box(x: try row["x"], y: try row["y"], w: try row["w"], h: try row["h"], label: try row["label"]))
            }
        }
        return try rows.map { row in
            let id: Int64 = try row["id"]
            return Train(
                id: id, leaseID: try row["lease_id"], taskID: try row["task_id"], jobID: try row["job_id"],
                taskerID: try row["tasker_id"], nothingToMark: try row["nothing_to_mark"],
                coordinateSpace: CoordinateSpace(rawValue: try row["coordinate_space"]) ?? .image,
                boxes: boxes[id] ?? [], bounty: try row["bounty"], createdAt: try row["created_at"],
                state: ResultState(rawValue: try row["state"]) ?? .pending,
                rejectReason: try row["reject_reason"], settledAt: try row["settled_at"],
                taskerName: try row["screen_name"], jobTitle: try row["title"], imageWidth: try row["width"],
                imageHeight: try row["height"])
        }
    }
}

extension Trains {
    /// The first train of every task of a job that has one, in task order (the legacy
    /// protocol's GetTasksPerJob): two queries, whatever the number of tasks.
    public func firstPerTask(jobID: Int64) throws -> [Train] {
        try load(
            where:
                "r.id IN (SELECT MIN(f.id) FROM trains f WHERE f.job_id = ? AND f.state <> 'rejected' GROUP BY f.task_id) ORDER BY r.task_id",
            [jobID])
    }
}

extension Trains {
    /// A tasker's earnings: the account's balance and the results by review state (index
    /// trains_tasker_state).
    public func earnings(of tasker: User) throws -> Earnings {
        var figures: [ResultState: (count: Int, amount: Money)] = [:]
        for row in try db.rows(
            """
            SELECT state, COUNT(*) AS n, SUM(bounty) AS amount FROM trains WHERE tasker_id = ? GROUP BY state
            """, tasker.id)
        {
            guard let state = ResultState(rawValue: try row["state"]) else { continue }
            figures[state] = (try row["n"], try row["amount"])
        }
        let balance: Money = try db.row("SELECT balance FROM accounts WHERE id = ?", tasker.accountID)?["balance"] ?? .zero
        func figure(_ state: ResultState) -> (count: Int, amount: Money) { figures[state] ?? (0, .zero) }
        return Earnings(
            available: balance,
            pending: figure(.pending).amount, pendingCount: figure(.pending).count,
            approved: figure(.approved).amount, approvedCount: figure(.approved).count,
            rejected: figure(.rejected).amount, rejectedCount: figure(.rejected).count)
    }
}

extension TrainSubmission {
    /// Boxes sent without a label (an empty one) take the job's label when it has only one.
    func labelled(for lease: Lease) -> TrainSubmission {
        guard lease.labels.count == 1, boxes.contains(where: { $0.label.isEmpty }) else { return self }
        let label = lease.labels[0]
        return TrainSubmission(
            boxes: boxes.map { box in
                var box = box
                if box.label.isEmpty { box.label = label }
                return box
            }, nothingToMark: nothingToMark, coordinateSpace: coordinateSpace)
    }
}
