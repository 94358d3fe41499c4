import Foundation

/// Requesters' jobs: creation, edits, the states draft -> active <-> paused -> finished,
/// and the money that activation, top-ups and finishing move (through `Escrow`).
public struct Jobs {
    let db: Connection

    /// Writes a job's quality settings; inside the caller's transaction.
    private func writeQuality(_ quality: QualitySettings, jobID: Int64) throws {
        try db.execute(
            """
            UPDATE jobs SET iou_threshold = ?, min_results_per_image = ?, agreement_threshold = ?, auto_review = ?,
                gold_rate_early = ?, gold_early_images = ?, gold_rate_later = ?, gold_answers_per_image = ?,
                accuracy_threshold = ?, min_gold_answers = ?
            WHERE id = ?
            """, quality.iouThreshold, quality.minResultsPerImage, quality.agreementThreshold, quality.autoReview.rawValue,
            quality.goldRateEarly, quality.goldEarlyImages, quality.goldRateLater, quality.goldAnswersPerImage,
            quality.accuracyThreshold, quality.minGoldAnswers, jobID)
    }

    public func create(requesterID: Int64, _ draft: JobDraft) throws -> Job {
        try db.transaction { try insert(requesterID: requesterID, draft) }
    }

    /// Writes a new draft job and its escrow account; inside the caller's transaction.
    private func insert(requesterID: Int64, _ draft: JobDraft) throws -> Job {
        let account = try db.execute("INSERT INTO accounts (kind) VALUES ('job')").lastInsertID
        do {
            let id = try db.execute(
                """
                INSERT INTO jobs (requester_id, name, title, description, instructions, type, labels, bounty,
                    budget, results_per_image, auto_approve_after_hours, start_time, end_time, account_id, gold_seed)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                """, requesterID, draft.name, draft.title, draft.description, draft.instructions, draft.type,
                try Jobs.encodeLabels(draft.labels), draft.bounty, draft.budget, draft.resultsPerImage,
                draft.autoApproveAfterHours, draft.startTime, draft.endTime, account, Int64.random(in: .min ... .max)
            ).lastInsertID
            try writeQuality(draft.quality, jobID: id)
            return try find(id: id)!
        } catch let error as DatabaseError where error.isDuplicateKey {
            throw MarketError(.conflict, "name_taken", "You already have a job named \(draft.name).")
        }
    }

    public func find(id: Int64) throws -> Job? {
        try db.fetchOne(Job.withID(id))
    }

    public func find(requesterID: Int64, name: String) throws -> Job? {
        try db.fetchOne(Job.named(name, requester: requesterID))
    }

    /// A job of this requester, or `not_found` (also for someone else's job).
    public func owned(id: Int64, by requesterID: Int64) throws -> Job {
        guard let job = try find(id: id), job.requesterID == requesterID else { throw MarketError.notFound("job") }
        return job
    }

    public func list(requesterID: Int64, page: Int, perPage: Int) throws -> Page<Job> {
        let total: Int = try db.row("SELECT COUNT(*) AS n FROM jobs WHERE requester_id = ?", requesterID)?["n"] ?? 0
        let items = try db.fetchAll(Job.ofRequester(requesterID, limit: perPage, offset: (page - 1) * perPage))
        return Page(items: items, page: page, perPage: perPage, total: total)
    }

    /// Every job, newest first (for admins).
    public func all(limit: Int = 1000) throws -> [Job] {
        try db.fetchAll(Job.newestFirst(limit: limit))
    }

    /// How the list of open jobs is ordered.
    public enum OpenJobOrder: String, Sendable, CaseIterable {
        /// The highest bounty first (the default).
        case bountyDescending = "-bounty"
        case bountyAscending = "bounty"
        case newest
    }

    /// Jobs a tasker can work on now: active, inside their time window, with at least one
    /// open task this tasker has not had; only those with the label `label` (in any case)
    /// when given.
    public func open(
        for taskerID: Int64, order: OpenJobOrder = .bountyDescending, label: String? = nil,
        now: Date = Date()
    ) throws -> [OpenJob] {
        let wanted = label.map { $0.lowercased() }
        return try db.fetchAll(Job.open(at: now, order))
            .filter { job in wanted.map { wanted in job.labels.contains { $0.lowercased() == wanted } } ?? true }
            .compactMap { job in
                let left = try tasksLeft(jobID: job.id, taskerID: taskerID)
                return left > 0 ? OpenJob(job: job, imagesLeftForMe: left) : nil
            }
    }

    /// Open tasks of a job that a tasker has never had, counted up to `OpenJob.countLimit`.
    public func tasksLeft(jobID: Int64, taskerID: Int64) throws -> Int {
        try db.row(
            """
            SELECT COUNT(*) AS n FROM (
                SELECT 1 FROM tasks t WHERE t.job_id = ? AND t.is_open = 1
                  AND NOT EXISTS (SELECT 1 FROM leases l WHERE l.task_id = t.id AND l.tasker_id = ?)
                LIMIT ?) AS open_tasks
            """, jobID, taskerID, OpenJob.countLimit)?["n"] ?? 0
    }

    /// Changes a job's fields. Money and the shape of the work (bounty, budget, results
    /// per image, labels, the review window) can change only while the job is a draft; a
    /// budget is raised later by `topUp`.
    public func update(id: Int64, requesterID: Int64, _ draft: JobDraft) throws -> Job {
        try db.transaction { try change(id: id, requesterID: requesterID, draft) }
    }

    /// `update`, inside the caller's transaction.
    private func change(id: Int64, requesterID: Int64, _ draft: JobDraft) throws -> Job {
        let job = try lockOwned(id: id, requesterID: requesterID)
        if job.state == .finished {
            throw MarketError(.conflict, "job_finished", "A finished job cannot change.")
        }
        if job.state != .draft
            && (draft.bounty != job.bounty || draft.budget != job.budget
                || draft.resultsPerImage != job.resultsPerImage || draft.labels != job.labels
                || draft.autoApproveAfterHours != job.autoApproveAfterHours
                || draft.quality.minResultsPerImage != job.quality.minResultsPerImage
                || draft.quality.goldAnswersPerImage != job.quality.goldAnswersPerImage)
        {
            throw MarketError(
                .conflict, "job_not_draft",
                "Bounty, budget, results per image (and their minimum), gold answers per image, labels and the review window can change only while the job is a draft (raise the budget with a top-up)."
            )
        }
        do {
            try db.execute(
                """
                UPDATE jobs SET name = ?, title = ?, description = ?, instructions = ?, type = ?, labels = ?,
                    bounty = ?, budget = ?, results_per_image = ?, auto_approve_after_hours = ?, start_time = ?,
                    end_time = ?, updated_at = CURRENT_TIMESTAMP(6)
                WHERE id = ?
                """, draft.name, draft.title, draft.description, draft.instructions, draft.type,
                try Jobs.encodeLabels(draft.labels), draft.bounty, draft.budget, draft.resultsPerImage,
                draft.autoApproveAfterHours, draft.startTime, draft.endTime, id)
            try writeQuality(draft.quality, jobID: id)
        } catch let error as DatabaseError where error.isDuplicateKey {
            throw MarketError(.conflict, "name_taken", "You already have a job named \(draft.name).")
        }
        return try find(id: id)!
    }

    /// draft -> active: opens the slots the budget pays for (images x results per image,
    /// or fewer when the budget is smaller), moving their bounties from the requester's
    /// balance into the job's escrow. What the budget does not need stays with the requester.
    public func activate(id: Int64, requesterID: Int64) throws -> Job {
        try db.transaction { try openForWork(id: id, requesterID: requesterID) }
    }

    /// `activate`, inside the caller's transaction.
    private func openForWork(id: Int64, requesterID: Int64) throws -> Job {
        let job = try lockOwned(id: id, requesterID: requesterID)
        guard job.state == .draft else {
            throw MarketError(.conflict, "job_not_draft", "Only a draft job can be activated; this one is \(job.state.rawValue).")
        }
        guard job.budget >= job.bounty else {
            throw MarketError(
                .invalid, "budget_below_bounty",
                "The budget (\(job.budget)) does not cover one bounty (\(job.bounty)): the job could hand out no work.")
        }
        guard let requester = try Users(db: db).find(id: requesterID) else { throw MarketError.notFound("user") }
        try Escrow(db: db).openSlots(jobID: job.id, requesterAccount: requester.accountID, upToBalance: false)
        try setState(id: id, .active)
        return try find(id: id)!
    }

    /// Raises an open (active or paused) job's budget by `amount` (zero: as it is) and
    /// opens the slots it then pays for: images added beyond the old budget, or the
    /// results per image a small budget left unopened.
    public func topUp(id: Int64, requesterID: Int64, amount: Money) throws -> (job: Job, slots: Int, charged: Money) {
        try db.transaction {
            let job = try lockOwned(id: id, requesterID: requesterID)
            guard job.state == .active || job.state == .paused else {
                throw MarketError(
                    .conflict, "job_not_open",
                    "Only an active or paused job takes a top-up; this one is \(job.state.rawValue).")
            }
            guard job.budget + amount <= Jobs.maxBudget else {
                throw MarketError(.invalid, "invalid_value", "A job's budget is at most \(Jobs.maxBudget).")
            }
            try db.execute("UPDATE jobs SET budget = budget + ?, updated_at = CURRENT_TIMESTAMP(6) WHERE id = ?", amount, id)
            guard let requester = try Users(db: db).find(id: requesterID) else { throw MarketError.notFound("user") }
            let opened = try Escrow(db: db).openSlots(
                jobID: job.id, requesterAccount: requester.accountID,
                upToBalance: false)
            return (try find(id: id)!, opened.slots, opened.charged)
        }
    }

    public static let maxBudget = Money(cents: 100_000_000_00)

    /// Creates the job (or changes `existing`, one of the requester's) and opens it for
    /// work: a draft is activated (its budget moves into escrow), a paused job resumes.
    /// All in one transaction: when the balance does not cover the budget, nothing changes,
    /// not even the fields. (The original protocol's PublishJob2.)
    public func publish(requesterID: Int64, existing: Job?, _ draft: JobDraft) throws -> Job {
        try db.transaction {
            let job =
                try existing.map { try change(id: $0.id, requesterID: requesterID, draft) }
                ?? insert(requesterID: requesterID, draft)
            switch job.state {
            case .draft: return try openForWork(id: job.id, requesterID: requesterID)
            case .paused: return try move(id: job.id, requesterID: requesterID, from: .paused, to: .active)
            case .active, .finished: return job
            }
        }
    }

    public func pause(id: Int64, requesterID: Int64) throws -> Job {
        try transition(id: id, requesterID: requesterID, from: .active, to: .paused)
    }

    public func resume(id: Int64, requesterID: Int64) throws -> Job {
        try transition(id: id, requesterID: requesterID, from: .paused, to: .active)
    }

    /// Ends a job: its live leases end, its slots without a result close, and the escrow
    /// they held returns to the requester. The bounties of pending results stay in escrow
    /// until those are settled (`Settlements`).
    public func finish(id: Int64, requesterID: Int64) throws -> Job {
        try db.transaction {
            let job = try lockOwned(id: id, requesterID: requesterID)
            guard job.state != .finished else {
                throw MarketError(.conflict, "job_finished", "The job is already finished.")
            }
            let live = try db.rows("SELECT id FROM leases WHERE job_id = ? AND state = 'live' FOR UPDATE", id)
            let leases = Leases(db: db)
            for lease in live {
                try leases.end(leaseID: try lease["id"], as: .released, now: Date())
            }
            guard let requester = try Users(db: db).find(id: requesterID) else { throw MarketError.notFound("user") }
            try Escrow(db: db).closeSlots(jobID: id, requesterAccount: requester.accountID)
            try setState(id: id, .finished)
            return try find(id: id)!
        }
    }

    private func transition(id: Int64, requesterID: Int64, from: JobState, to: JobState) throws -> Job {
        try db.transaction { try move(id: id, requesterID: requesterID, from: from, to: to) }
    }

    /// `transition`, inside the caller's transaction.
    private func move(id: Int64, requesterID: Int64, from: JobState, to: JobState) throws -> Job {
        let job = try lockOwned(id: id, requesterID: requesterID)
        guard job.state == from else {
            throw MarketError(
                .conflict, "job_not_\(from.rawValue)",
                "Only a job that is \(from.rawValue) can become \(to.rawValue); this one is \(job.state.rawValue).")
        }
        try setState(id: id, to)
        return try find(id: id)!
    }

    private func setState(id: Int64, _ state: JobState) throws {
        try db.execute("UPDATE jobs SET state = ?, updated_at = CURRENT_TIMESTAMP(6) WHERE id = ?", state.rawValue, id)
    }

    /// Locks the job row for the rest of the transaction; `not_found` unless the requester owns it.
    private func lockOwned(id: Int64, requesterID: Int64) throws -> Job {
        guard try db.row("SELECT id FROM jobs WHERE id = ? AND requester_id = ? FOR UPDATE", id, requesterID) != nil,
            let job = try find(id: id)
        else { throw MarketError.notFound("job") }
        return job
    }

    static func encodeLabels(_ labels: [String]) throws -> String {
        String(decoding: try JSONEncoder().encode(labels), as: UTF8.self)
    }

    static func decodeLabels(_ text: String) -> [String] {
        (try? JSONDecoder().decode([String].self, from: Data(text.utf8))) ?? []
    }
}

extension Jobs {
    /// What quality control needs of a job (nil: no such job).
    public func qualityRules(jobID: Int64) throws -> JobQualityRules? {
        try db.fetchOne(Job.qualityRules(jobID))
    }

    /// What the gold schedule of a job needs (nil: no such job).
    public func goldPlan(jobID: Int64) throws -> GoldPlan? {
        try db.row(
            """
            SELECT j.gold_seed, j.gold_rate_early, j.gold_early_images, j.gold_rate_later,
                   (SELECT COUNT(*) FROM tasks t WHERE t.job_id = j.id AND t.is_gold = 1) AS gold_images
            FROM jobs j WHERE j.id = ?
            """, jobID
        ).map { row in
            GoldPlan(
                jobID: jobID, goldImages: try row["gold_images"], rateEarly: try row["gold_rate_early"],
                earlyImages: try row["gold_early_images"], rateLater: try row["gold_rate_later"], seed: try row["gold_seed"])
        }
    }
}
