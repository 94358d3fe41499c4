import Foundation
import MariaStore

/// The original server's Job record: every field a string, with the original names, plus
/// `MaxTrains` (results wanted per image) and `state`. `userID` is the requester's number:
/// an identifier only, never a credential. `budget` is shown to the job's owner (and
/// admins) only, as in the JSON API.
struct LegacyJobRecord: Encodable {
    let ID: String
    let userID: String
    let name: String
    let title: String
    let description: String
    let instructions: String
    let bounty: String
    let budget: String
    let budgetLeft: String
    let active: String
    let startTime: String
    let endTime: String
    let type: String
    let guid: String
    let MaxTrains: String
    let state: String

    init(_ job: Job, showBudget: Bool) {
        ID = String(job.id)
        userID = String(job.requesterID)
        name = job.name
        title = job.title
        description = job.description
        instructions = job.instructions
        bounty = job.bounty.description
        budget = showBudget ? job.budget.description : ""
        budgetLeft = job.budgetLeft.description
        active = job.state == .active ? "True" : "False"
        startTime = LegacyFormat.date(job.startTime)
        endTime = LegacyFormat.date(job.endTime)
        type = job.type
        guid = "job-\(job.id)"
        MaxTrains = String(job.resultsPerImage)
        state = job.state.rawValue
    }

    /// The record as the caller may see it.
    init(_ job: Job, for user: User) {
        self.init(job, showBudget: job.requesterID == user.id || user.role == .admin)
    }
}

/// The original server's Train record: every field a string. One handed out by
/// GetNexAvailableTrain is not stored yet (`ID` "0", X, Y, W, H "0") and carries its
/// lease in `guid` (`lease-<id>`), so that ReportTrain finds the lease when the app sends
/// the record back. A stored one has its coordinates in image pixels and says which
/// space they arrived in (`CoordinateSpace`: `image` or `legacy-canvas`).
struct LegacyTrainRecord: Encodable {
    let ID: String
    let X: String
    let Y: String
    let W: String
    let H: String
    let Result: String
    let ResourcePath: String
    let TaskRecordID: String
    let timeStamp: String
    let UserID: String
    let RequesterID: String
    let JobID: String
    let guid: String
    let CoordinateSpace: String?

    static let leasePrefix = "lease-"

    /// The work a lease hands out.
    init(offering lease: Lease, requesterID: Int64) {
        ID = "0"
        X = "0"
        Y = "0"
        W = "0"
        H = "0"
        Result = ""
        ResourcePath = LegacyTrainRecord.resourcePath(taskID: lease.taskID)
        TaskRecordID = String(lease.taskID)
        timeStamp = ""
        UserID = String(lease.taskerID)
        RequesterID = String(requesterID)
        JobID = String(lease.jobID)
        guid = LegacyTrainRecord.leasePrefix + String(lease.id)
        CoordinateSpace = nil
    }

    /// A stored result, one record per box (the original had one box per train); a train
    /// with nothing to mark is one record with zero size and `Result` "nothing to mark".
    static func records(of train: Train, requesterID: Int64) -> [LegacyTrainRecord] {
        let boxes = train.boxes.isEmpty ? [nil] : train.boxes.map(Optional.some)
        return boxes.map { LegacyTrainRecord(train: train, box: $0, requesterID: requesterID) }
    }

    private init(train: Train, box: Box?, requesterID: Int64) {
        ID = String(train.id)
        X = LegacyFormat.number(box?.x ?? 0)
        Y = LegacyFormat.number(box?.y ?? 0)
        W = LegacyFormat.number(box?.w ?? 0)
        H = LegacyFormat.number(box?.h ?? 0)
        Result = box?.label ?? (train.nothingToMark ? "nothing to mark" : "")
        ResourcePath = LegacyTrainRecord.resourcePath(taskID: train.taskID)
        TaskRecordID = String(train.taskID)
        timeStamp = LegacyFormat.date(train.createdAt)
        UserID = String(train.taskerID)
        RequesterID = String(requesterID)
        JobID = String(train.jobID)
        guid = LegacyTrainRecord.leasePrefix + String(train.leaseID)
        CoordinateSpace = train.coordinateSpace.rawValue
    }

    /// Where the JSON API serves the image (the original gave a path on its own disk).
    static func resourcePath(taskID: Int64) -> String { "/api/tasks/\(taskID)/image" }

    /// The lease number in a `guid` (`lease-90`, or just `90`); nil for anything else.
    static func leaseID(fromGuid guid: String) -> Int64? {
        let digits = guid.hasPrefix(leasePrefix) ? String(guid.dropFirst(leasePrefix.count)) : guid
        guard let id = Int64(digits), id > 0 else { return nil }
        return id
    }
}

/// How the original wrote numbers and dates: plain text.
enum LegacyFormat {
    /// `12`, `12.5`, `12.3456` (at most four decimals, no trailing zeros).
    static func number(_ value: Double) -> String {
        if value == value.rounded(), abs(value) < 1e15 { return String(Int64(value)) }
        var text = String(format: "%.4f", value)
        while text.hasSuffix("0") { text.removeLast() }
        if text.hasSuffix(".") { text.removeLast() }
        return text
    }

    /// ISO 8601 in UTC, or "" for none.
    static func date(_ date: Date?) -> String {
        date.map { $0.ISO8601Format() } ?? ""
    }
}
