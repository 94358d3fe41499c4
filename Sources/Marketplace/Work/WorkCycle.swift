import Foundation
import MariaStore

/// A tasker's cycle of work in a job: take a lease on the next image, hand in its result
/// (and take the next lease in the same round trip), or give the lease back.
///
/// Each step is one call of the procedure `tasker_cycle` (MariaStore's `TaskerCycle`),
/// which keeps what must hold under any concurrency (see `Leases`). What is decided here:
/// when to ask again (every free image held for a moment, or a job that seems to have no
/// work left until its expired leases are ended), what a result may hold (`TrainRules`),
/// how a repeated hand-in is answered, and what the process remembers meanwhile: the
/// leases it handed out (`HandedOutLeases`), so that a hand-in need not read its lease
/// back, and the sessions it found live (`SessionHints`), forgotten as soon as the
/// procedure finds one ended.
public struct WorkCycle {
    let store: Store
    let handedOut: HandedOutLeases?
    let sessionHints: SessionHints?
    let goldPlans: GoldPlans
    let qualityQueue: QualityQueue?

    /// A cycle over `store`; without memories, every lease and session is read from the
    /// database; without a quality queue, images are assessed by the housekeeper's round.
    public init(
        store: Store, handedOut: HandedOutLeases? = nil, sessionHints: SessionHints? = nil,
        goldPlans: GoldPlans = GoldPlans(maxAge: 0), qualityQueue: QualityQueue? = nil
    ) {
        self.store = store
        self.handedOut = handedOut
        self.sessionHints = sessionHints
        self.goldPlans = goldPlans
        self.qualityQueue = qualityQueue
    }

    /// A cycle over `store` sharing the process's memories (`Services`) with every thread.
    public init(store: Store, sharing services: Services) {
        self.init(
            store: store, handedOut: services.handedOutLeases, sessionHints: services.sessionHints,
            goldPlans: services.goldPlans, qualityQueue: services.qualityQueue)
    }

    public enum Taken {
        /// A new lease.
        case new(Lease)
        /// The live lease the tasker already held in this job.
        case existing(Lease)
    }

    public enum Submitted {
        /// Stored now, pending review.
        case new(Train)
        /// The same submission arrived before (a client retry): nothing changed.
        case repeated(Train)

        public var train: Train {
            switch self {
            case .new(let train), .repeated(let train): return train
            }
        }
    }

    /// What a hand-in came to (`handIn(leaseID:...)`).
    public struct HandedIn {
        public let submitted: Submitted
        /// When the next lease was asked for: the lease, or the error that taking one met
        /// (`no_work`, `job_not_open`, `busy`, or a failure of the database), which the
        /// client is shown beside the stored result.
        public let next: Result<Lease, Error>?
    }

    // MARK: Taking work

    /// Gives the tasker a lease on the next image of the job (see `Leases.assign`).
    ///
    /// When every free image is held by other transactions for a moment (`busy`), asks
    /// again a few times, then refuses with `busy`. When the job seems to have no work left,
    /// which slots held by expired leases would cause, ends the job's expired leases (up to
    /// 100) and asks once more, so that the tasker is not sent away while the housekeeper
    /// has yet to come by.
    ///
    /// `session`: the hash of the request's session token, for the procedure to check,
    /// when the caller knows the tasker from `SessionHints` rather than from reading the
    /// session.
    public func take(
        jobID: Int64, taskerID: Int64, seconds: Int, session: [UInt8]? = nil, now: Date = Date()
    ) throws -> Taken {
        var outcome = try assign(jobID: jobID, taskerID: taskerID, seconds: seconds, session: session, now: now)
        if case .noWork = outcome {
            // Asked again even when none ended here: the housekeeper may have ended one since.
            try store.leases.reclaimExpired(jobID: jobID, now: now)
            outcome = try assign(jobID: jobID, taskerID: taskerID, seconds: seconds, session: session, now: now)
        }
        switch outcome {
        case .new(let lease, _, _):
            handedOut?.remember(lease)
            return .new(lease)
        case .existing(let lease):
            handedOut?.remember(lease)
            return .existing(lease)
        case .refused, .noWork, .busy:
            throw outcome.refusal!
        }
    }

    /// Times a `busy` assignment is asked for before the tasker is told to try again.
    static let busyAttempts = 5

    /// One assignment, asked again, after a short random pause, while the answer is `busy`.
    private func assign(
        jobID: Int64, taskerID: Int64, seconds: Int, session: [UInt8]?, now: Date
    ) throws -> TaskerCycle.Take {
        var attempt = 1
        while true {
            let wantGold = try nextIsGold(taskerID: taskerID, jobID: jobID, now: now)
            let take = try checkingSession(session) {
                try store.leases.assign(
                    jobID: jobID, taskerID: taskerID, seconds: seconds, session: session, now: now, wantGold: wantGold)
            }
            noteGold(take, taskerID: taskerID, jobID: jobID)
            guard case .busy = take, attempt < WorkCycle.busyAttempts else { return take }
            attempt += 1
            usleep(UInt32.random(in: 500...3_000) * UInt32(attempt))
        }
    }

    /// The tasker gives the lease back (skips the image): the slot returns to the task. The
    /// tasker will not get this task again.
    public func release(id: Int64, taskerID: Int64, now: Date = Date()) throws {
        try store.leases.release(id: id, taskerID: taskerID, now: now)
        handedOut?.forget(id: id)
    }

    // MARK: Handing in

    /// The tasker cycle's one call for a result (`POST /api/leases/{id}/train`): finds the
    /// lease (`leaseToSubmit`), gives a box without a label the job's label when it has only
    /// one, checks the boxes, and stores the result pending review. With `nextLeaseSeconds`
    /// it also takes the tasker's next lease in the job, in the same transaction when it can
    /// (`submitAndTakeNext`) and otherwise as `take` would; the result stands whatever
    /// became of the next lease.
    public func handIn(
        leaseID: Int64, by taskerID: Int64, _ submission: TrainSubmission, nextLeaseSeconds: Int?,
        session: [UInt8]?, now: Date = Date()
    ) throws -> HandedIn {
        let lease = try leaseToSubmit(id: leaseID, by: taskerID)
        let submission = TrainRules.labelled(submission, for: lease)
        guard let seconds = nextLeaseSeconds else {
            return HandedIn(submitted: try submit(to: lease, by: taskerID, submission, session: session, now: now), next: nil)
        }
        let (submitted, taken) = try submitAndTakeNext(
            to: lease, by: taskerID, submission, seconds: seconds, session: session, now: now)
        if let taken { return HandedIn(submitted: submitted, next: .success(taken)) }
        // A retried submission gets the lease it got the first time, still live.
        let next = Result<Lease, Error> {
            switch try take(jobID: lease.jobID, taskerID: taskerID, seconds: seconds, session: session, now: now) {
            case .new(let lease), .existing(let lease): return lease
            }
        }
        return HandedIn(submitted: submitted, next: next)
    }

    /// Stores a result for a live lease of this tasker, pending review (see `submit(to:)`).
    public func submit(leaseID: Int64, taskerID: Int64, _ submission: TrainSubmission, now: Date = Date()) throws -> Submitted {
        try submit(to: try leaseToSubmit(id: leaseID, by: taskerID), by: taskerID, submission, now: now)
    }

    /// Stores a result for a lease the caller has just found (`leaseToSubmit`), by the
    /// signed-in tasker `taskerID`; a lease of anybody else is `not_found`. In one
    /// transaction the result and its boxes are written, counted on the task, and the lease
    /// ends as submitted, only if it is still live, in time and this tasker's, so a lease
    /// that changed in between is caught. No money moves until the result is approved.
    /// Sending the same boxes again for the same lease returns the stored result.
    public func submit(
        to lease: Lease, by taskerID: Int64, _ submission: TrainSubmission, session: [UInt8]? = nil,
        now: Date = Date()
    ) throws -> Submitted {
        try handIn(lease, by: taskerID, submission, nextLeaseSeconds: nil, session: session, now: now).submitted
    }

    /// `submit`, and in the same transaction and round trip the tasker's next lease in the
    /// lease's job, held for `seconds`. `next` is that lease when one was taken. It is nil
    /// when the submission was a repeat, and when the assignment gave no new lease (the job
    /// closed, no work left, or every free task locked for a moment); the caller then asks
    /// `take`, which answers each of those as its route does. The submission stands whatever
    /// the assignment's outcome. When the transaction keeps ending in deadlocks or time-outs
    /// (the assignment waits for locks the submission alone does not), the submission is
    /// made alone, as `submit` would, and `next` is nil.
    public func submitAndTakeNext(
        to lease: Lease, by taskerID: Int64, _ submission: TrainSubmission, seconds: Int, session: [UInt8]? = nil,
        now: Date = Date()
    ) throws -> (submitted: Submitted, next: Lease?) {
        do {
            return try handIn(lease, by: taskerID, submission, nextLeaseSeconds: seconds, session: session, now: now)
        } catch let error as DatabaseError where error.isRetryableConflict {
            return try handIn(lease, by: taskerID, submission, nextLeaseSeconds: nil, session: session, now: now)
        }
    }

    /// The lease a submission names: from the leases this process handed out when it is
    /// one of them, with the state it was handed out in (which `tasker_cycle` checks),
    /// otherwise read; someone else's lease is `not_found`.
    public func leaseToSubmit(id: Int64, by taskerID: Int64) throws -> Lease {
        if let lease = handedOut?.lease(id: id) {
            guard lease.taskerID == taskerID else { throw MarketError.notFound("lease") }
            return lease
        }
        return try store.leases.owned(id: id, by: taskerID)
    }

    private func handIn(
        _ lease: Lease, by taskerID: Int64, _ submission: TrainSubmission, nextLeaseSeconds: Int?,
        session: [UInt8]?, now: Date
    ) throws -> (submitted: Submitted, next: Lease?) {
        guard lease.taskerID == taskerID else { throw MarketError.notFound("lease") }
        if lease.state != .live || lease.expiresAt <= now { handedOut?.forget(id: lease.id) }
        // An answer given here, without the procedure, checks the session as the procedure would.
        let answeredHere = Result { try answerWithoutTheProcedure(lease, submission, now: now) }
        if case .success(nil) = answeredHere {} else { try confirm(session, of: taskerID, now: now) }
        if let repeated = try answeredHere.get() { return (repeated, nil) }

        let wantGold = try nextLeaseSeconds == nil ? nil : nextIsGold(taskerID: taskerID, jobID: lease.jobID, now: now)
        let answer = try checkingSession(session) {
            try store.cycle.handIn(
                lease, submission, tasker: taskerID, session: session, now: now,
                takeJob: nextLeaseSeconds.map { _ in lease.jobID }, wantGold: wantGold, seconds: nextLeaseSeconds ?? 0)
        }
        if let take = answer.take { noteGold(take, taskerID: taskerID, jobID: lease.jobID) }
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
            qualityQueue?.add(lease.taskID)
            guard case .new(let next, _, _) = answer.take else { return (.new(train), nil) }
            handedOut?.remember(next)
            return (.new(train), next)
        // Another request for the same lease (a client retry) got there first.
        case .alreadySubmitted: return (try repeated(lease, submission), nil)
        case .released: throw WorkCycle.leaseReleased
        case .expired: throw WorkCycle.leaseExpired
        case .notFound: throw MarketError.notFound("lease")
        }
    }

    /// What a submission is answered before `tasker_cycle` is called: the stored result for
    /// a lease already submitted, a refusal for a lease no longer live or boxes that break
    /// the job's rules, or nil when the procedure is to decide.
    private func answerWithoutTheProcedure(_ lease: Lease, _ submission: TrainSubmission, now: Date) throws -> Submitted? {
        switch lease.state {
        case .submitted: return try repeated(lease, submission)
        case .released: throw WorkCycle.leaseReleased
        case .expired: throw WorkCycle.leaseExpired
        case .live where lease.expiresAt <= now: throw WorkCycle.leaseExpired
        case .live: break
        }
        try TrainRules.validate(submission, for: lease)
        return nil
    }

    /// The answer to a lease that already has its result: the stored result when the same
    /// boxes are sent again, a conflict when different ones are.
    private func repeated(_ lease: Lease, _ submission: TrainSubmission) throws -> Submitted {
        guard let stored = try store.trains.find(leaseID: lease.id) else { throw MarketError.notFound("train") }
        guard stored.boxes == submission.boxes, stored.nothingToMark == submission.nothingToMark else {
            throw MarketError(.conflict, "train_already_submitted", "A different result was already submitted for this lease.")
        }
        return .repeated(stored)
    }

    static let leaseReleased = MarketError(.conflict, "lease_not_live", "This lease was released; take a new one.")
    static let leaseExpired = MarketError(
        .conflict, "lease_expired", "This lease expired before the result arrived; take a new one.")

    // MARK: Gold images

    /// Whether the tasker's next image in the job is to be gold (`GoldSchedule`), from the
    /// job's plan and the tasker's count there as this process remembers them; nil for a job
    /// without gold images.
    private func nextIsGold(taskerID: Int64, jobID: Int64, now: Date) throws -> Bool? {
        guard let plan = try goldPlans.plan(jobID: jobID, now: now, read: { try store.jobs.goldPlan(jobID: jobID) }),
            plan.goldImages > 0
        else { return nil }
        let count = try goldPlans.count(taskerID: taskerID, jobID: jobID) {
            try store.leases.goldCount(taskerID: taskerID, jobID: jobID)
        }
        return GoldSchedule.nextIsGold(
            imagesTaken: count.taken, goldGiven: count.gold,
            rate: GoldRate(early: plan.rateEarly, earlyImages: plan.earlyImages, later: plan.rateLater),
            seed: GoldSchedule.seed(taskerID: taskerID, jobID: jobID, secret: UInt64(bitPattern: plan.seed)))
    }

    private func noteGold(_ take: TaskerCycle.Take, taskerID: Int64, jobID: Int64) {
        guard case .new(_, let count, let gold) = take, let leasesInJob = count else { return }
        goldPlans.tookLease(taskerID: taskerID, jobID: jobID, leasesInJob: leasesInJob, gold: gold)
    }

    // MARK: Sessions

    /// For an answer given without calling the procedure (a result handed in again, a lease
    /// no longer live, boxes that break the job's rules): the check the procedure would
    /// have made of `session`, if any: live, and of this tasker, who may take work.
    private func confirm(_ session: [UInt8]?, of tasker: Int64, now: Date) throws {
        guard let session else { return }
        try checkingSession(session) {
            guard let user = try store.sessions.user(tokenHash: session, now: now), user.id == tasker,
                user.role == .tasker || user.role == .admin
            else { throw MarketError.signedOut }
        }
    }

    /// Runs `body`; when it finds the session ended, the process forgets the session at
    /// once, so that the next request reads it again.
    private func checkingSession<T>(_ session: [UInt8]?, _ body: () throws -> T) throws -> T {
        do {
            return try body()
        } catch let error as MarketError where error == .signedOut {
            if let session { sessionHints?.forget(tokenHash: session) }
            throw error
        }
    }
}
