import Foundation

/// What the quality control of an image reads and writes (Marketplace's `Assessor`): its
/// results, the taskers' accuracy on the job's gold images, the agreement it found, a held
/// slot offered, a gold answer scored. Which images to assess comes from the results that
/// arrived since the last round (`pendingAssessment`).
public struct Assessments {
    let db: Connection

    /// The image, locked until the caller's transaction ends, so that two assessments of
    /// one image run one after the other (a hand-in locks it too).
    public func lockTask(_ taskID: Int64) throws -> TaskRecord? {
        guard try db.row("SELECT id FROM tasks WHERE id = ? FOR UPDATE", taskID) != nil else { return nil }
        return try db.fetchOne(TaskRecord.withID(taskID))
    }

    /// The images with these ids, as quality control first looks at them (`ImageToAssess`).
    public func images(_ taskIDs: [Int64]) throws -> [ImageToAssess] {
        taskIDs.isEmpty ? [] : try db.fetchAll(ImageToAssess.withIDs(taskIDs))
    }

    /// The results of an image that count (pending and approved), oldest first, with boxes.
    public func countedResults(taskID: Int64) throws -> [Train] {
        try TrainRequest(.task(taskID)).fetchAll(db).filter { $0.state != .rejected }
    }

    /// Records an image's agreement over `results` of its results, and whether it needs more.
    public func record(taskID: Int64, agreement: Double?, results: Int, done: Bool) throws {
        try db.execute(
            "UPDATE tasks SET agreement = ?, assessed_results = ?, quality_done = ? WHERE id = ?",
            agreement, results, done, taskID)
    }

    /// Records how well one result agrees with its image's consensus.
    public func record(trainID: Int64, agreement: Double, note: String?) throws {
        try db.execute("UPDATE trains SET agreement = ?, agreement_note = ? WHERE id = ?", agreement, note, trainID)
    }

    /// Offers one of the image's held slots to taskers, when every slot offered so far holds
    /// a result (none open, none leased): an image never has two extra results on the way
    /// at once, and never more slots than were paid for. True when one was offered.
    public func offerHeldSlot(taskID: Int64) throws -> Bool {
        try db.execute(
            """
            UPDATE tasks SET held_slots = held_slots - 1, open_slots = open_slots + 1
            WHERE id = ? AND held_slots > 0 AND open_slots = 0 AND train_count = results_wanted - held_slots
            """, taskID
        ).affectedRows == 1
    }

    // MARK: Gold answers

    /// The results on gold images that are not scored yet, among `trainIDs`.
    public func unscoredGoldAnswers(taskID: Int64) throws -> [Train] {
        let scored = Set(
            try db.rows("SELECT train_id FROM gold_answers WHERE task_id = ?", taskID).map { try $0["train_id"] as Int64 })
        return try TrainRequest(.task(taskID)).fetchAll(db).filter { !scored.contains($0.id) }
    }

    /// Records a gold answer's score; a second record of the same answer changes nothing.
    public func recordGoldAnswer(_ answer: GoldAnswerScore) throws {
        try db.execute(
            """
            INSERT IGNORE INTO gold_answers (train_id, job_id, task_id, tasker_id, true_positives, false_positives,
                false_negatives, f1, passed, missed, extra)
            VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
            """, answer.trainID, answer.jobID, answer.taskID, answer.taskerID, answer.truePositives, answer.falsePositives,
            answer.falseNegatives, answer.f1, answer.passed, try GoldAnswerScore.json(answer.missed),
            try GoldAnswerScore.json(answer.extra))
    }

    /// Each tasker's gold answers in the job and their mean f1 (the accuracy), for those
    /// who have any.
    public func accuracy(jobID: Int64, taskerIDs: [Int64]) throws -> [Int64: (answers: Int, accuracy: Double)] {
        guard !taskerIDs.isEmpty else { return [:] }
        var accuracy: [Int64: (Int, Double)] = [:]
        for row in try db.rows(
            """
            SELECT tasker_id, COUNT(*) AS n, AVG(f1) AS accuracy FROM gold_answers
            WHERE job_id = ? AND tasker_id IN (\(IDList.rows))
            GROUP BY tasker_id
            """, jobID, IDList.json(taskerIDs))
        {
            accuracy[try row["tasker_id"]] = (try row["n"], try row["accuracy"])
        }
        return accuracy
    }

    /// The accuracy of every tasker with gold answers in the job.
    public func accuracy(jobID: Int64) throws -> [Int64: Double] {
        var accuracy: [Int64: Double] = [:]
        for row in try db.rows(
            "SELECT tasker_id, AVG(f1) AS accuracy FROM gold_answers WHERE job_id = ? GROUP BY tasker_id", jobID)
        {
            accuracy[try row["tasker_id"]] = try row["accuracy"]
        }
        return accuracy
    }

    // MARK: Rounds

    /// The images with results handed in after the round's cursor, at most `limit` results
    /// further, and the last result id read (to move the cursor to once they are assessed).
    public func pendingAssessment(limit: Int = 1000) throws -> (taskIDs: [Int64], through: Int64)? {
        let after: Int64 = try db.row("SELECT last_id FROM housekeeping_cursors WHERE name = 'quality'")?["last_id"] ?? 0
        let rows = try db.rows("SELECT id, task_id FROM trains WHERE id > ? ORDER BY id LIMIT ?", after, limit)
        guard let last = rows.last else { return nil }
        var seen: Set<Int64> = []
        let tasks = try rows.map { try $0["task_id"] as Int64 }.filter { seen.insert($0).inserted }
        return (tasks, try last["id"])
    }

    /// Moves the round's cursor past the results up to `trainID`.
    public func assessed(through trainID: Int64) throws {
        try db.execute(
            """
            INSERT INTO housekeeping_cursors (name, last_id) VALUES ('quality', ?)
            ON DUPLICATE KEY UPDATE last_id = GREATEST(last_id, VALUES(last_id))
            """, trainID)
    }
}

/// A gold answer as scored, to record.
public struct GoldAnswerScore: Sendable {
    public let trainID: Int64
    public let jobID: Int64
    public let taskID: Int64
    public let taskerID: Int64
    public let truePositives: Int
    public let falsePositives: Int
    public let falseNegatives: Int
    public let f1: Double
    public let passed: Bool
    public let missed: [Box]
    public let extra: [Box]

    public init(
        trainID: Int64, jobID: Int64, taskID: Int64, taskerID: Int64, truePositives: Int, falsePositives: Int,
        falseNegatives: Int, f1: Double, passed: Bool, missed: [Box], extra: [Box]
    ) {
        self.trainID = trainID
        self.jobID = jobID
        self.taskID = taskID
        self.taskerID = taskerID
        self.truePositives = truePositives
        self.falsePositives = falsePositives
        self.falseNegatives = falseNegatives
        self.f1 = f1
        self.passed = passed
        self.missed = missed
        self.extra = extra
    }

    static func json(_ boxes: [Box]) throws -> String {
        String(decoding: try JSONEncoder().encode(boxes), as: UTF8.self)
    }
}
