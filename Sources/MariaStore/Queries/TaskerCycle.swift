import Foundation

/// One call of the procedure `tasker_cycle` (sql/routines/tasker_cycle.sql): hand in a
/// result, take the next lease, or both in one transaction. Its answer is decoded here,
/// once, into `HandIn` and `Take`; what each outcome means for a client is said here too
/// (`Take.refusal`), so that every route that takes work answers alike. When to call it
/// again (a `busy` answer, a job that seems to have no work left) is the marketplace's
/// rule (Marketplace's `WorkCycle`).
public struct TaskerCycle {
    let db: Connection

    public init(db: Connection) { self.db = db }

    /// What became of a result handed in.
    public enum HandIn: Equatable, Sendable {
        /// Stored now, pending review.
        case stored(trainID: Int64)
        /// The lease was already submitted (a client retry, or a request in parallel).
        case alreadySubmitted
        case released
        case expired
        /// No such lease, or not this tasker's.
        case notFound
    }

    /// What became of a request for the next lease.
    public enum Take: Sendable {
        /// A new lease; `leasesInJob` counts the tasker's leases in the job, this one
        /// included (nil for a job without gold images); `gold`: it is on a gold image
        /// (never told to the tasker).
        case new(Lease, leasesInJob: Int?, gold: Bool)
        /// The live lease the tasker already held in this job.
        case existing(Lease)
        /// The job hands out no work: no such job (or a draft), or it is not open now.
        case refused(MarketError)
        /// Nothing left for this tasker, as last committed.
        case noWork
        /// Every free task was held by other transactions for a moment.
        case busy

        /// The refusal a client gets for an outcome that is no lease.
        public var refusal: MarketError? {
            switch self {
            case .new, .existing: return nil
            case .refused(let error): return error
            case .noWork: return TaskerCycle.noWork
            case .busy: return TaskerCycle.busy
            }
        }
    }

    struct Answer {
        let handIn: HandIn?
        let take: Take?
    }

    public static let noWork = MarketError(.notFound, "no_work", "There is no image left for you in this job.")
    public static let blocked = MarketError(
        .forbidden, "blocked", "The requester of this job no longer takes your work in it.")
    public static let busy = MarketError(.busy, "busy", "Every free image of this job is being handed out right now; try again.")

    /// Hands in `submission` for `lease` (found by the caller, the boxes checked against
    /// it), and with `takeJob` also takes the tasker's next lease in that job, held for
    /// `seconds`, in the same transaction. `session`: see `call`.
    public func handIn(
        _ lease: Lease, _ submission: TrainSubmission, tasker: Int64, session: [UInt8]?, now: Date,
        takeJob: Int64?, wantGold: Bool? = nil, seconds: Int
    ) throws -> (handIn: HandIn, take: Take?) {
        let answer = try call(
            tasker: tasker, session: session, now: now, seconds: seconds, handingIn: lease, submission, takeJob: takeJob,
            wantGold: wantGold)
        guard let handIn = answer.handIn else { throw DatabaseError.usage("tasker_cycle answered no hand-in") }
        return (handIn, answer.take)
    }

    /// Takes the tasker's next lease in the job, held for `seconds`; on a gold image of the
    /// job, when `wantGold` and one is free for the tasker (nil: the job has no gold image).
    /// `session`: see `call`.
    public func take(
        job: Int64, tasker: Int64, session: [UInt8]?, now: Date, seconds: Int, wantGold: Bool? = nil
    ) throws
        -> Take
    {
        let answer = try call(tasker: tasker, session: session, now: now, seconds: seconds, takeJob: job, wantGold: wantGold)
        guard let take = answer.take else { throw DatabaseError.usage("tasker_cycle answered no assignment") }
        return take
    }

    /// `session` is the hash of the request's session token when the caller knows the
    /// tasker from the process's memory of sessions rather than from reading the session:
    /// the procedure then checks it in its own transaction, and a session found ended is
    /// refused as `MarketError.signedOut`, with nothing changed. `lease` and `submission`
    /// are the result to hand in, if any (the lease as the caller found it, the boxes
    /// checked against it); `takeJob` the job of the lease to take, if any, held for
    /// `seconds`, on a gold image when `wantGold` (nil for a job without gold images).
    private func call(
        tasker: Int64, session: [UInt8]?, now: Date, seconds: Int,
        handingIn lease: Lease? = nil, _ submission: TrainSubmission? = nil, takeJob: Int64?, wantGold: Bool?
    ) throws -> Answer {
        let boxes = try submission.map { String(decoding: try JSONEncoder().encode($0.boxes), as: UTF8.self) }
        let row: Row
        do {
            guard
                let answer = try db.call(
                    "CALL tasker_cycle(?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                    tasker, session, now, seconds,
                    lease?.id, lease?.taskID, lease?.jobID, lease?.bounty,
                    submission?.nothingToMark, submission?.coordinateSpace.rawValue, boxes,
                    takeJob, wantGold)
            else {
                throw DatabaseError.usage("tasker_cycle answered no row")
            }
            row = answer
        } catch let error as DatabaseError where error.isSignal && error.sqlState == "28000" {
            throw MarketError.signedOut
        }
        return Answer(
            handIn: try (row["submitted"] as String?).map { try TaskerCycle.handIn($0, row) },
            take: try (row["taken"] as String?).map { try TaskerCycle.take($0, row) })
    }

    private static func handIn(_ word: String, _ row: Row) throws -> HandIn {
        switch word {
        case "new": return .stored(trainID: try row["train_id"])
        case "submitted": return .alreadySubmitted
        case "released": return .released
        case "expired": return .expired
        case "not_found": return .notFound
        default: throw DatabaseError.usage("tasker_cycle answered submitted = \(word)")
        }
    }

    private static func take(_ word: String, _ row: Row) throws -> Take {
        switch word {
        case "new":
            return .new(
                try Lease(row: row), leasesInJob: (try row["leases_in_job"] as Int64?).map { Int($0) }, gold: try row["gold"])
        case "existing": return .existing(try Lease(row: row))
        case "not_found": return .refused(.notFound("job"))
        case "not_started": return .refused(MarketError(.conflict, "job_not_open", "This job has not started yet."))
        case "ended": return .refused(MarketError(.conflict, "job_not_open", "This job has ended."))
        case "paused", "finished":
            return .refused(MarketError(.conflict, "job_not_open", "This job is \(word), not open for work."))
        case "escrow_short":
            return .refused(
                MarketError(
                    .conflict, "job_not_open",
                    "This job's escrow does not cover its open images; it hands out no work now."))
        case "blocked": return .refused(TaskerCycle.blocked)
        case "no_work": return .noWork
        case "busy": return .busy
        default: throw DatabaseError.usage("tasker_cycle answered taken = \(word)")
        }
    }
}
