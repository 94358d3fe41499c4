import Foundation
import MariaStore

/// Quality control of one image, after a result on it arrived (`QualityQueue`, and the
/// housekeeper's round for results no process assessed).
///
/// A gold image: each new answer is scored against the known boxes (`GoldScore`) and
/// recorded; a passing answer is approved, a failing one rejected with what it missed;
/// a tasker whose accuracy on the job's gold images (the mean f1 of their answers) is below
/// the job's threshold after its minimum of answers is blocked from the job (`Blocking`).
///
/// An ordinary image, once it has its first results: their consensus (`Consensus`,
/// weighted by each tasker's accuracy) gives the image its agreement and each result its
/// own; with adaptive redundancy an image whose results disagree is offered to one more
/// tasker (a held slot), up to the job's results per image. Once the image needs no more
/// results, automatic review (when the job has it) approves the pending results that
/// agree and rejects or holds the others.
///
/// The image is locked while it is assessed, so assessments of it run one after the
/// other; decisions on results go through `Settlements`, which changes only pending ones,
/// so assessing an image twice changes nothing more.
public struct Assessor {
    let store: Store

    public init(store: Store) { self.store = store }

    /// What an assessment decided, for the caller's log and tests.
    public struct Outcome: Sendable, Equatable {
        public var agreement: Double? = nil
        public var done = false
        /// The consensus can be trusted to review by: the results agree (and no object is
        /// undecided), or more than half of them agree with it. An image done otherwise (its
        /// results ran out without a majority, as when spam of different kinds outnumbers
        /// the careful results) is left to the requester.
        public var agreed = false
        public var offeredSlot = false
        public var approved = 0
        public var rejected = 0
        public var goldScored = 0
        public var blocked: [Int64] = []
    }

    /// Assesses the image `taskID`; nothing when there is no such image.
    @discardableResult
    public func assess(taskID: Int64, now: Date = Date()) throws -> Outcome {
        guard let image = try store.assessments.images([taskID]).first else { return Outcome() }
        return try assess(image, now: now)
    }

    /// Assesses each of these images that is due (`isDue`), looked at in one query; returns
    /// the outcomes of those assessed.
    public func assess(taskIDs: [Int64], now: Date = Date()) throws -> [Int64: Outcome] {
        var outcomes: [Int64: Outcome] = [:]
        for image in try store.assessments.images(taskIDs) where Assessor.isDue(image) {
            outcomes[image.taskID] = try assess(image, now: now)
        }
        return outcomes
    }

    /// An image is due for an assessment when it is gold (an answer to score), or when it
    /// has its first results. One short of them is left alone, unlocked, so that taking it
    /// is not held up (a locked image is passed over).
    public static func isDue(_ image: ImageToAssess) -> Bool {
        image.isGold || image.trainCount >= firstResults(slotsOpened: image.slotsOpened, image.rules)
    }

    private func assess(_ image: ImageToAssess, now: Date) throws -> Outcome {
        guard Assessor.isDue(image) else { return Outcome() }
        let taskID = image.taskID
        let work = try store.db.transaction { () -> Work? in
            guard let task = try store.assessments.lockTask(taskID),
                let job = try store.jobs.qualityRules(jobID: task.jobID)
            else { return nil }
            if let gold = task.goldAnswer { return .gold(job, try scoreGoldAnswers(task, gold, job)) }
            return try assessResults(task, job)
        }
        switch work {
        case nil: return Outcome()
        case .gold(let job, let scores): return try settleGold(scores, job: job, now: now)
        case .results(let job, var outcome, let verdicts):
            guard outcome.done, outcome.agreed, job.quality.autoReview != .off else { return outcome }
            try autoReview(verdicts, job: job, outcome: &outcome, now: now)
            return outcome
        }
    }

    private enum Work {
        case gold(JobQualityRules, [(Train, GoldScore)])
        case results(JobQualityRules, Outcome, [(Train, ReviewVerdict)])
    }

    // MARK: Ordinary images

    /// The consensus of an image's counted results (pending and approved) as it stands,
    /// each tasker weighed by their accuracy on the job's gold images.
    public func consensus(of task: TaskRecord) throws -> (results: [Train], consensus: Consensus) {
        guard let job = try store.jobs.qualityRules(jobID: task.jobID) else { throw MarketError.notFound("job") }
        return try consensus(of: task, in: job)
    }

    private func consensus(of task: TaskRecord, in job: JobQualityRules) throws -> (results: [Train], consensus: Consensus) {
        let results = try store.assessments.countedResults(taskID: task.id)
        let weights = try store.assessments.accuracy(jobID: job.jobID, taskerIDs: results.map(\.taskerID))
        let consensus = Consensus(
            results.map { ConsensusInput($0, weight: Assessor.weight(weights[$0.taskerID]?.accuracy)) },
            iouThreshold: job.quality.iouThreshold)
        return (results, consensus)
    }

    private func assessResults(_ task: TaskRecord, _ job: JobQualityRules) throws -> Work? {
        let first = job.quality.firstOffered(resultsPerImage: job.resultsPerImage)
        // Until the image has its first results there is nothing to assess.
        let due = Assessor.firstResults(slotsOpened: task.slotsOpened, job)
        guard task.trainCount >= due else { return nil }
        let (results, consensus) = try consensus(of: task, in: job)
        guard !results.isEmpty, results.count >= due else { return nil }
        var verdicts: [(Train, ReviewVerdict)] = []
        for (train, agreement) in zip(results, consensus.results) {
            let verdict = ReviewVerdict(agreement, minimumAgreement: job.quality.agreementThreshold)
            if case .disagrees(let reason) = verdict {
                try store.assessments.record(trainID: train.id, agreement: agreement.weightedF1, note: reason)
            } else {
                try store.assessments.record(trainID: train.id, agreement: agreement.weightedF1, note: nil)
            }
            verdicts.append((train, verdict))
        }
        let rule = AdaptiveRedundancy(
            minimumResults: first, maximumResults: job.resultsPerImage, agreementThreshold: job.quality.agreementThreshold)
        var outcome = Outcome(agreement: consensus.agreement)
        switch rule.decision(resultCount: results.count, agreement: consensus.agreement, undecided: consensus.undecided) {
        case .done:
            outcome.done = true
            outcome.agreed = true
        case .exhausted:
            outcome.done = true
            outcome.agreed = Assessor.majorityAgrees(verdicts)
        case .needsMore:
            outcome.offeredSlot = try store.assessments.offerHeldSlot(taskID: task.id)
            // Without a slot to offer (none held, as with a fixed number of results), the
            // image has what it will get once every slot is filled.
            outcome.done = !outcome.offeredSlot && task.heldSlots == 0 && results.count >= task.slotsOpened
            outcome.agreed = outcome.done && Assessor.majorityAgrees(verdicts)
        }
        try store.assessments.record(
            taskID: task.id, agreement: consensus.agreement, results: results.count, done: outcome.done)
        return .results(job, outcome, verdicts)
    }

    /// The results an image needs before it is assessed: the job's first round, or all of
    /// its slots when it has fewer.
    static func firstResults(slotsOpened: Int, _ job: JobQualityRules) -> Int {
        min(job.quality.firstOffered(resultsPerImage: job.resultsPerImage), max(1, slotsOpened))
    }

    /// More than half of the image's results agree with its consensus.
    static func majorityAgrees(_ verdicts: [(Train, ReviewVerdict)]) -> Bool {
        verdicts.filter { $0.1 == .agrees }.count * 2 > verdicts.count
    }

    /// A tasker's weight in the consensus: their accuracy on gold images, when measured
    /// (never below a twentieth), else 1.
    public static func weight(_ accuracy: Double?) -> Double {
        guard let accuracy else { return 1 }
        return max(0.05, min(1, accuracy))
    }

    private func autoReview(
        _ verdicts: [(Train, ReviewVerdict)], job: JobQualityRules, outcome: inout Outcome, now: Date
    ) throws {
        let pending = verdicts.filter { $0.0.state == .pending }
        let agreeing = pending.compactMap { train, verdict in verdict == .agrees ? train.id : nil }
        if !agreeing.isEmpty {
            outcome.approved += try store.settlements.settle(
                jobID: job.jobID, requesterID: nil, .approve, .results(agreeing), now: now
            ).count
        }
        guard job.quality.autoReview == .reject else { return }
        for (train, verdict) in pending {
            guard case .disagrees(let reason) = verdict else { continue }
            outcome.rejected += try store.settlements.settle(
                jobID: job.jobID, requesterID: nil, .reject(reason: Assessor.capitalized(reason)), .results([train.id]),
                now: now
            ).count
        }
    }

    // MARK: Gold images

    private func scoreGoldAnswers(
        _ task: TaskRecord, _ gold: GoldAnswer, _ job: JobQualityRules
    ) throws -> [(
        Train, GoldScore
    )] {
        try store.assessments.unscoredGoldAnswers(taskID: task.id).map { train in
            let score = GoldScore(
                answer: train.nothingToMark ? [] : train.boxes, gold: gold.nothingToMark ? [] : gold.boxes,
                iouThreshold: job.quality.iouThreshold)
            try store.assessments.recordGoldAnswer(
                GoldAnswerScore(
                    trainID: train.id, jobID: job.jobID, taskID: task.id, taskerID: train.taskerID,
                    truePositives: score.truePositives, falsePositives: score.falsePositives,
                    falseNegatives: score.falseNegatives, f1: score.f1, passed: score.passed, missed: score.missed,
                    extra: score.extra))
            return (train, score)
        }
    }

    private func settleGold(_ scores: [(Train, GoldScore)], job: JobQualityRules, now: Date) throws -> Outcome {
        var outcome = Outcome(goldScored: scores.count)
        let passed = scores.filter { $0.1.passed && $0.0.state == .pending }.map(\.0.id)
        if !passed.isEmpty {
            outcome.approved = try store.settlements.settle(
                jobID: job.jobID, requesterID: nil, .approve, .results(passed), now: now
            ).count
        }
        for (train, score) in scores where !score.passed && train.state == .pending {
            outcome.rejected += try store.settlements.settle(
                jobID: job.jobID, requesterID: nil, .reject(reason: Assessor.checkReason(score)), .results([train.id]),
                now: now
            ).count
        }
        let taskers = Array(Set(scores.map(\.0.taskerID))).sorted()
        for (taskerID, figures) in try store.assessments.accuracy(jobID: job.jobID, taskerIDs: taskers) {
            let accuracy = TaskerAccuracy(goldAnswers: figures.answers, totalF1: figures.accuracy * Double(figures.answers))
            guard
                accuracy.shouldBlock(
                    threshold: job.quality.accuracyThreshold, minimumAnswers: job.quality.minGoldAnswers),
                try store.taskerBlocks.blocks(taskerID: taskerID, requesterID: job.requesterID, jobID: job.jobID).isEmpty
            else { continue }
            let reason =
                "Your accuracy on this job's quality checks is \(Assessor.percent(accuracy.accuracy)), "
                + "below the \(Assessor.percent(job.quality.accuracyThreshold)) it asks for."
            _ = try Blocking(store: store).block(
                taskerID: taskerID, requesterID: job.requesterID, .job(job.jobID), reason: reason, by: .auto, now: now)
            outcome.blocked.append(taskerID)
        }
        return outcome
    }

    /// Why a gold answer was rejected, in the tasker's words: the image was a check, and
    /// what the answer missed or added (shown in full in their accuracy page).
    static func checkReason(_ score: GoldScore) -> String {
        var parts: [String] = []
        if score.falseNegatives > 0 {
            parts.append("missed \(score.falseNegatives) of \(score.truePositives + score.falseNegatives) objects")
        }
        if score.falsePositives > 0 { parts.append("marked \(score.falsePositives) that are not there") }
        if parts.isEmpty { parts.append("boxes fit the objects poorly") }
        return "This image was a quality check: you " + parts.joined(separator: " and ") + "."
    }

    static func percent(_ share: Double) -> String { "\(Int((share * 100).rounded()))%" }

    static func capitalized(_ reason: String) -> String {
        reason.prefix(1).uppercased() + reason.dropFirst() + "."
    }
}
