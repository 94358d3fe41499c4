import Foundation

/// The figures of quality control: per tasker in a job for its requester, and a tasker's
/// own accuracy.
public struct QualityFigures {
    let db: Connection

    /// Every tasker with a result or a block in the job, most results first.
    public func taskers(jobID: Int64, limit: Int = 1000) throws -> [TaskerQuality] {
        try db.rows(
            """
            SELECT u.id AS tasker_id, u.screen_name,
                   COALESCE(r.pending, 0) AS pending, COALESCE(r.approved, 0) AS approved,
                   COALESCE(r.rejected, 0) AS rejected, r.agreement,
                   COALESCE(g.n, 0) AS gold_answers, g.accuracy,
                   b.job_id AS block_job, b.reason AS block_reason, b.blocked_by, b.created_at AS blocked_at
            FROM users u
            JOIN jobs j ON j.id = ?
            LEFT JOIN (SELECT tasker_id, SUM(state = 'pending') AS pending, SUM(state = 'approved') AS approved,
                              SUM(state = 'rejected') AS rejected, AVG(agreement) AS agreement
                         FROM trains WHERE job_id = ? GROUP BY tasker_id) r ON r.tasker_id = u.id
            LEFT JOIN (SELECT tasker_id, COUNT(*) AS n, AVG(f1) AS accuracy FROM gold_answers WHERE job_id = ?
                        GROUP BY tasker_id) g ON g.tasker_id = u.id
            LEFT JOIN tasker_blocks b ON b.id = (SELECT x.id FROM tasker_blocks x
                                                  WHERE x.tasker_id = u.id AND x.requester_id = j.requester_id
                                                    AND x.job_key IN (0, j.id) ORDER BY x.job_key DESC LIMIT 1)
            WHERE r.tasker_id IS NOT NULL OR b.id IS NOT NULL
            ORDER BY COALESCE(r.pending, 0) + COALESCE(r.approved, 0) + COALESCE(r.rejected, 0) DESC, u.id
            LIMIT ?
            """, jobID, jobID, jobID, limit
        ).map { row in
            let reason: String? = try row["block_reason"]
            return TaskerQuality(
                taskerID: try row["tasker_id"], taskerName: try row["screen_name"],
                pending: try row["pending"], approved: try row["approved"], rejected: try row["rejected"],
                goldAnswers: try row["gold_answers"], accuracy: try row["accuracy"], agreement: try row["agreement"],
                block: try reason.map { reason in
                    TaskerBlock(
                        taskerID: try row["tasker_id"], jobID: try row["block_job"], reason: reason,
                        byRequester: try row["blocked_by"] as String == TaskerBlocks.BlockedBy.requester.rawValue,
                        createdAt: try row["blocked_at"])
                })
        }
    }

    /// A tasker's accuracy on gold images, per job and in all, and their latest failed checks,
    /// read in one transaction so that they agree with each other.
    public func ofTasker(_ taskerID: Int64, failedLimit: Int = 20) throws -> MyAccuracy {
        try db.transaction { try readOfTasker(taskerID, failedLimit: failedLimit) }
    }

    private func readOfTasker(_ taskerID: Int64, failedLimit: Int) throws -> MyAccuracy {
        let jobs = try db.rows(
            """
            SELECT g.job_id, j.title, COUNT(*) AS n, AVG(g.f1) AS accuracy,
                   (SELECT b.reason FROM tasker_blocks b WHERE b.tasker_id = g.tasker_id AND b.requester_id = j.requester_id
                     AND b.job_key IN (0, j.id) ORDER BY b.job_key DESC LIMIT 1) AS blocked_reason
            FROM gold_answers g JOIN jobs j ON j.id = g.job_id
            WHERE g.tasker_id = ? GROUP BY g.job_id, j.title, j.requester_id, j.id ORDER BY g.job_id DESC
            """, taskerID
        ).map { row in
            MyAccuracy.Job(
                jobID: try row["job_id"], jobTitle: try row["title"], goldAnswers: try row["n"],
                accuracy: try row["accuracy"], blockedReason: try row["blocked_reason"])
        }
        let overall = try db.row("SELECT COUNT(*) AS n, AVG(f1) AS accuracy FROM gold_answers WHERE tasker_id = ?", taskerID)
        let failed = try db.rows(
            """
            SELECT train_id, job_id, task_id, true_positives AS tp, false_positives AS fp, false_negatives AS fn, f1,
                   missed, extra, created_at FROM gold_answers
            WHERE tasker_id = ? AND passed = 0 ORDER BY train_id DESC LIMIT ?
            """, taskerID, failedLimit
        ).map { row in
            let (tp, fp, fn): (Int, Int, Int) = (try row["tp"], try row["fp"], try row["fn"])
            return MyAccuracy.FailedCheck(
                trainID: try row["train_id"], jobID: try row["job_id"], taskID: try row["task_id"],
                precision: tp + fp == 0 ? 1 : Double(tp) / Double(tp + fp),
                recall: tp + fn == 0 ? 1 : Double(tp) / Double(tp + fn), f1: try row["f1"],
                missed: QualityFigures.boxes(try row["missed"]), extra: QualityFigures.boxes(try row["extra"]),
                at: try row["created_at"])
        }
        return MyAccuracy(
            goldAnswers: try overall?["n"] ?? 0, accuracy: try overall?["accuracy"], jobs: jobs, failedChecks: failed)
    }

    private static func boxes(_ json: String) -> [Box] {
        (try? JSONDecoder().decode([Box].self, from: Data(json.utf8))) ?? []
    }
}
