import Foundation

/// The queries that read tasks (a job's images), and how a row becomes a `TaskRecord`.
extension TaskRecord {
    /// The task with this id.
    static func withID(_ id: Int64) -> Query<TaskRecord> {
        Query("\(TaskRecord.select) WHERE t.id = ?", [id], TaskRecord.init(row:))
    }

    /// One page of a job's tasks, in the order they were added.
    static func ofJob(_ jobID: Int64, limit: Int, offset: Int) -> Query<TaskRecord> {
        Query(
            "\(TaskRecord.select) WHERE t.job_id = ? ORDER BY t.id LIMIT ? OFFSET ?", [jobID, limit, offset],
            TaskRecord.init(row:))
    }

    /// The next page of an export's tasks after task id `after`, in id order (see `Exports`).
    static func inExport(_ scope: ExportScope, after: Int64, limit: Int) -> Query<TaskRecord> {
        if scope.onlyFinished {
            return Query(
                "\(TaskRecord.select) WHERE t.job_id = ? AND t.id > ? AND t.id <= ?\(Exports.finishedTask) ORDER BY t.id LIMIT ?",
                [scope.jobID, after, scope.lastTaskID, scope.lastTrainID, limit], TaskRecord.init(row:))
        }
        return Query(
            "\(TaskRecord.select) WHERE t.job_id = ? AND t.id > ? AND t.id <= ? ORDER BY t.id LIMIT ?",
            [scope.jobID, after, scope.lastTaskID, limit], TaskRecord.init(row:))
    }

    private static let select = """
        SELECT t.id, t.job_id, t.sha256, t.mime_type, t.width, t.height, t.byte_count, t.filename,
               t.results_wanted, t.train_count, t.open_slots, t.held_slots, t.created_at,
               t.gold_answer, t.agreement, t.quality_done
        FROM tasks t
        """

    init(row: Row) throws {
        id = try row["id"]
        jobID = try row["job_id"]
        sha256 = try row["sha256"]
        mimeType = try row["mime_type"]
        width = try row["width"]
        height = try row["height"]
        byteCount = try row["byte_count"]
        filename = try row["filename"]
        slotsOpened = try row["results_wanted"]
        trainCount = try row["train_count"]
        openSlots = try row["open_slots"]
        heldSlots = try row["held_slots"]
        createdAt = try row["created_at"]
        goldAnswer = GoldAnswer.decode(try row["gold_answer"])
        agreement = try row["agreement"]
        qualityDone = try row["quality_done"]
    }
}
