import Foundation

/// What a results export reads: a job's tasks, and its trains with their boxes, one page
/// at a time in id order (keyset pagination: `id > last seen ORDER BY id LIMIT n`), so
/// that no export ever holds a whole job in memory.
///
///     let scope = try store.exports.scope(jobID: 12, onlyFinished: false)
///     let first = try store.exports.tasks(scope, after: 0)
///     let next = try store.exports.tasks(scope, after: first.last!.id)   // until a short page
public struct Exports {
    let db: Connection

    /// Rows per page: about 1000 tasks or trains (a train page also carries their boxes).
    public static let pageSize = 1000

    /// Fixes what one export covers: the job's tasks and trains up to the newest ids that
    /// exist now. Every page of the export reads within these bounds, so the passes of a
    /// multi-pass format (COCO: images, then annotations) agree with each other even when
    /// results keep arriving during a long download, without holding a transaction open.
    public func scope(jobID: Int64, onlyFinished: Bool) throws -> ExportScope {
        // Trains first: every train up to this id is on a task that already exists.
        let lastTrain: Int64 = try db.row("SELECT COALESCE(MAX(id), 0) AS last FROM trains WHERE job_id = ?", jobID)?["last"] ?? 0
        let lastTask: Int64 = try db.row("SELECT COALESCE(MAX(id), 0) AS last FROM tasks WHERE job_id = ?", jobID)?["last"] ?? 0
        return ExportScope(jobID: jobID, onlyFinished: onlyFinished, lastTaskID: lastTask, lastTrainID: lastTrain)
    }

    /// `only=finished`: a task is finished when quality control found it needs no more
    /// results, or when it holds a result for every slot it has (none held back). Counted
    /// up to the scope's last train (index trains_task), so that a task finishing during the
    /// export is consistently in or out of every pass.
    static let finishedTask = """
         AND (t.quality_done = 1 OR (t.held_slots = 0 AND t.results_wanted > 0 AND t.results_wanted = (SELECT COUNT(*) FROM trains x WHERE x.task_id = t.id AND x.id <= ? AND x.state <> 'rejected')))
        """

    /// The next page of the scope's tasks (images) after task id `after`, in id order.
    public func tasks(_ scope: ExportScope, after: Int64, limit: Int = Exports.pageSize) throws -> [TaskRecord] {
        try db.fetchAll(TaskRecord.inExport(scope, after: after, limit: limit))
    }

    /// The boxes drawn on the scope's tasks whose ids lie in `taskIDs` (one page of tasks:
    /// the range holds no other task of the scope), by task, each task's boxes in the order
    /// they were drawn (train by train).
    public func boxes(_ scope: ExportScope, taskIDs: ClosedRange<Int64>) throws -> [Int64: [Box]] {
        var arguments: [DatabaseValueConvertible?] = [scope.jobID, taskIDs.lowerBound, taskIDs.upperBound, scope.lastTrainID]
        if scope.onlyFinished { arguments.append(scope.lastTrainID) }
        var boxes: [Int64: [Box]] = [:]
        try db.forEachRow(
            """
            SELECT tr.task_id, b.x, b.y, b.w, b.h, b.label
            FROM trains tr JOIN tasks t ON t.id = tr.task_id JOIN boxes b ON b.train_id = tr.id
            WHERE tr.job_id = ? AND tr.task_id BETWEEN ? AND ? AND tr.id <= ? AND tr.state <> 'rejected'\(scope.onlyFinished ? Exports.finishedTask : "")
            ORDER BY tr.task_id, tr.id, b.id
            """, arguments
        ) { row in
            boxes[try row["task_id"], default: []].append(
                Box(x: try row["x"], y: try row["y"], w: try row["w"], h: try row["h"], label: try row["label"]))
        }
        return boxes
    }

    /// The results that count (pending and approved) on the scope's tasks whose ids lie in
    /// `taskIDs` (one page of tasks), by task, each with its boxes in the order drawn: what
    /// an image's consensus is computed from.
    public func results(_ scope: ExportScope, taskIDs: ClosedRange<Int64>) throws -> [Int64: [ExportResult]] {
        var results: [Int64: [ExportResult]] = [:]
        try db.forEachRow(
            """
            SELECT tr.id, tr.task_id, tr.tasker_id, tr.nothing_to_mark, b.x, b.y, b.w, b.h, b.label
            FROM trains tr LEFT JOIN boxes b ON b.train_id = tr.id
            WHERE tr.job_id = ? AND tr.task_id BETWEEN ? AND ? AND tr.id <= ? AND tr.state <> 'rejected'
            ORDER BY tr.task_id, tr.id, b.id
            """, [scope.jobID, taskIDs.lowerBound, taskIDs.upperBound, scope.lastTrainID]
        ) { row in
            let taskID: Int64 = try row["task_id"]
            let trainID: Int64 = try row["id"]
            if results[taskID]?.last?.trainID != trainID {
                results[taskID, default: []].append(
                    ExportResult(
                        trainID: trainID, taskerID: try row["tasker_id"], nothingToMark: try row["nothing_to_mark"],
                        boxes: []))
            }
            if let x: Double = try row["x"] {
                let box = Box(x: x, y: try row["y"], w: try row["w"], h: try row["h"], label: try row["label"])
                results[taskID]![results[taskID]!.count - 1].boxes.append(box)
            }
        }
        return results
    }

    /// The next page of the scope's trains after train id `after`, in id order, each with
    /// its boxes (and their ids) and its task. "Nothing to mark" trains come with no boxes.
    public func trains(_ scope: ExportScope, after: Int64, limit: Int = Exports.pageSize) throws -> [ExportTrain] {
        var arguments: [DatabaseValueConvertible?] = [scope.jobID, after, scope.lastTrainID, scope.lastTaskID]
        if scope.onlyFinished { arguments.append(scope.lastTrainID) }
        arguments.append(limit)
        var page: [ExportTrain] = []
        var current: (row: Row, boxes: [Box], boxIDs: [Int64])?
        func close() throws {
            guard let open = current else { return }
            let row = open.row
            page.append(
                ExportTrain(
                    train: Train(
                        id: try row["id"], leaseID: try row["lease_id"], taskID: try row["task_id"],
                        jobID: try row["job_id"], taskerID: try row["tasker_id"],
                        nothingToMark: try row["nothing_to_mark"],
                        coordinateSpace: CoordinateSpace(rawValue: try row["coordinate_space"]) ?? .image,
                        boxes: open.boxes, bounty: try row["bounty"], createdAt: try row["created_at"],
                        state: ResultState(rawValue: try row["state"]) ?? .pending),
                    boxIDs: open.boxIDs,
                    task: TaskRecord(
                        id: try row["task_id"], jobID: try row["job_id"], sha256: try row["task_sha256"],
                        mimeType: try row["task_mime_type"], width: try row["task_width"],
                        height: try row["task_height"], byteCount: try row["task_byte_count"],
                        filename: try row["task_filename"], slotsOpened: try row["task_results_wanted"],
                        trainCount: try row["task_train_count"], openSlots: try row["task_open_slots"],
                        heldSlots: try row["task_held_slots"], createdAt: try row["task_created_at"],
                        goldAnswer: GoldAnswer.decode(try row["task_gold_answer"]), agreement: try row["task_agreement"],
                        qualityDone: try row["task_quality_done"])))
            current = nil
        }
        // The page of trains (with their tasks) is chosen in the derived table (index
        // trains_job, no sort of the whole job); the outer join adds their boxes, a row each.
        try db.forEachRow(
            """
            SELECT p.*, b.id AS box_id, b.x, b.y, b.w, b.h, b.label
            FROM (SELECT tr.id, tr.lease_id, tr.task_id, tr.job_id, tr.tasker_id, tr.nothing_to_mark,
                         tr.coordinate_space, tr.bounty, tr.created_at, tr.state,
                         t.sha256 AS task_sha256, t.mime_type AS task_mime_type, t.width AS task_width,
                         t.height AS task_height, t.byte_count AS task_byte_count, t.filename AS task_filename,
                         t.results_wanted AS task_results_wanted, t.train_count AS task_train_count,
                         t.open_slots AS task_open_slots, t.held_slots AS task_held_slots, t.created_at AS task_created_at,
                         t.gold_answer AS task_gold_answer, t.agreement AS task_agreement, t.quality_done AS task_quality_done
                  FROM trains tr JOIN tasks t ON t.id = tr.task_id
                  WHERE tr.job_id = ? AND tr.id > ? AND tr.id <= ? AND t.id <= ? AND tr.state <> 'rejected'\(scope.onlyFinished ? Exports.finishedTask : "")
                  ORDER BY tr.id LIMIT ?) p
            LEFT JOIN boxes b ON b.train_id = p.id
            ORDER BY p.id, b.id
            """, arguments
        ) { row in
            let id: Int64 = try row["id"]
            if let open = current, try open.row["id"] as Int64 != id { try close() }
            if current == nil { current = (row, [], []) }
            if let boxID: Int64 = try row["box_id"] {
                current!.boxes.append(
                    Box(
                        x: try row["x"], y: try row["y"], w: try row["w"], h: try row["h"],
                        label: try row["label"]))
                current!.boxIDs.append(boxID)
            }
        }
        try close()
        return page
    }
}

/// The bounds of one export; see `Exports.scope(jobID:onlyFinished:)`.
public struct ExportScope: Sendable {
    public let jobID: Int64
    /// Only images whose every wanted result is in (`?only=finished`).
    public let onlyFinished: Bool
    public let lastTaskID: Int64
    public let lastTrainID: Int64

    public init(jobID: Int64, onlyFinished: Bool, lastTaskID: Int64, lastTrainID: Int64) {
        self.jobID = jobID
        self.onlyFinished = onlyFinished
        self.lastTaskID = lastTaskID
        self.lastTrainID = lastTrainID
    }
}

/// A train as an export reads it: the train with its boxes, each box's id (the COCO
/// annotation id) in the same order as `train.boxes`, and the train's task.
/// One result on an image, as its consensus needs it.
public struct ExportResult: Sendable {
    public let trainID: Int64
    public let taskerID: Int64
    public let nothingToMark: Bool
    public var boxes: [Box]
}

public struct ExportTrain: Sendable {
    public let train: Train
    public let boxIDs: [Int64]
    public let task: TaskRecord
}
