import Foundation

/// The queries that read jobs, each with its escrow and its progress counted from its
/// tasks and results, and how a row becomes a `Job`.
extension Job {
    static func withID(_ id: Int64) -> Query<Job> {
        Query("\(Job.select) WHERE j.id = ?", [id], Job.init(row:))
    }

    /// A requester's job by its name (unique per requester).
    static func named(_ name: String, requester requesterID: Int64) -> Query<Job> {
        Query("\(Job.select) WHERE j.requester_id = ? AND j.name = ?", [requesterID, name], Job.init(row:))
    }

    /// One page of a requester's jobs, newest first.
    static func ofRequester(_ requesterID: Int64, limit: Int, offset: Int) -> Query<Job> {
        Query(
            "\(Job.select) WHERE j.requester_id = ? ORDER BY j.id DESC LIMIT ? OFFSET ?",
            [requesterID, limit, offset], Job.init(row:))
    }

    /// Every requester's jobs, newest first.
    static func newestFirst(limit: Int) -> Query<Job> {
        Query("\(Job.select) ORDER BY j.id DESC LIMIT ?", [limit], Job.init(row:))
    }

    /// The jobs open for work at `now` (active, inside their time window), in `order`.
    static func open(at now: Date, _ order: Jobs.OpenJobOrder) -> Query<Job> {
        let open = """
            \(Job.select)
            WHERE j.state = 'active' AND (j.start_time IS NULL OR j.start_time <= ?) AND (j.end_time IS NULL OR j.end_time > ?)
            """
        switch order {
        case .bountyDescending: return Query("\(open) ORDER BY j.bounty DESC, j.id", [now, now], Job.init(row:))
        case .bountyAscending: return Query("\(open) ORDER BY j.bounty, j.id", [now, now], Job.init(row:))
        case .newest: return Query("\(open) ORDER BY j.id DESC", [now, now], Job.init(row:))
        }
    }

    /// What quality control needs of the job with this id (`JobQualityRules`).
    static func qualityRules(_ id: Int64) -> Query<JobQualityRules> {
        Query(
            """
            SELECT j.id, j.requester_id, j.results_per_image, \(Job.qualityColumns) FROM jobs j WHERE j.id = ?
            """, [id]
        ) { row in
            JobQualityRules(
                jobID: try row["id"], requesterID: try row["requester_id"], resultsPerImage: try row["results_per_image"],
                quality: try Job.quality(row))
        }
    }

    static let qualityColumns = """
        j.iou_threshold, j.min_results_per_image, j.agreement_threshold, j.auto_review, j.gold_rate_early,
        j.gold_early_images, j.gold_rate_later, j.gold_answers_per_image, j.accuracy_threshold, j.min_gold_answers
        """

    static func quality(_ row: Row) throws -> QualitySettings {
        QualitySettings(
            iouThreshold: try row["iou_threshold"], minResultsPerImage: try row["min_results_per_image"],
            agreementThreshold: try row["agreement_threshold"],
            autoReview: QualitySettings.AutoReview(rawValue: try row["auto_review"]) ?? .off,
            goldRateEarly: try row["gold_rate_early"], goldEarlyImages: try row["gold_early_images"],
            goldRateLater: try row["gold_rate_later"], goldAnswersPerImage: try row["gold_answers_per_image"],
            accuracyThreshold: try row["accuracy_threshold"], minGoldAnswers: try row["min_gold_answers"])
    }

    private static let select = """
        SELECT j.id, j.requester_id, j.name, j.title, j.description, j.instructions, j.type, j.labels,
               j.bounty, j.budget, j.results_per_image, j.state, j.start_time, j.end_time, j.account_id,
               j.auto_approve_after_hours, j.escrowed_slots, j.created_at, j.updated_at, a.balance AS budget_left,
               \(Job.qualityColumns),
               (SELECT COUNT(*) FROM tasks t WHERE t.job_id = j.id AND t.is_gold = 1) AS gold_image_count,
               (SELECT COUNT(*) FROM tasks t WHERE t.job_id = j.id) AS image_count,
               (SELECT COALESCE(SUM(t.train_count), 0) FROM tasks t WHERE t.job_id = j.id) AS train_count,
               (SELECT COALESCE(SUM(t.open_slots), 0) FROM tasks t WHERE t.job_id = j.id) AS open_slots,
               (SELECT COALESCE(SUM(t.results_wanted), 0) FROM tasks t WHERE t.job_id = j.id) AS slots_funded,
               (SELECT COUNT(*) FROM trains r WHERE r.job_id = j.id AND r.state = 'pending') AS pending_count,
               (SELECT COUNT(*) FROM trains r WHERE r.job_id = j.id AND r.state = 'approved') AS approved_count,
               (SELECT COUNT(*) FROM trains r WHERE r.job_id = j.id AND r.state = 'rejected') AS rejected_count
        FROM jobs j JOIN accounts a ON a.id = j.account_id
        """

    init(row: Row) throws {
        id = try row["id"]
        requesterID = try row["requester_id"]
        name = try row["name"]
        title = try row["title"]
        description = try row["description"]
        instructions = try row["instructions"]
        type = try row["type"]
        labels = Jobs.decodeLabels(try row["labels"])
        bounty = try row["bounty"]
        budget = try row["budget"]
        resultsPerImage = try row["results_per_image"]
        state = JobState(rawValue: try row["state"]) ?? .draft
        startTime = try row["start_time"]
        endTime = try row["end_time"]
        accountID = try row["account_id"]
        budgetLeft = try row["budget_left"]
        autoApproveAfterHours = try row["auto_approve_after_hours"]
        quality = try Job.quality(row)
        goldImageCount = try row["gold_image_count"]
        escrowedSlots = try row["escrowed_slots"]
        slotsFunded = try row["slots_funded"]
        pendingCount = try row["pending_count"]
        approvedCount = try row["approved_count"]
        rejectedCount = try row["rejected_count"]
        imageCount = try row["image_count"]
        trainCount = try row["train_count"]
        openSlots = try row["open_slots"]
        createdAt = try row["created_at"]
        updatedAt = try row["updated_at"]
    }
}
