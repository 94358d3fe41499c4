import Foundation
import MariaStore
import Marketplace

/// Taskers' work in the original protocol, through the same leases and trains as the
/// JSON API (so lease limits, the one-train-per-task rule, idempotent resubmission and
/// the bounty all apply), and the results requesters read.
enum LegacyWorkCommands {
    /// `GetNexAvailableTrain&JobID=&UserID=`: takes a lease (or finds the live one this
    /// tasker holds in the job) and hands it out as a Train record.
    static func nextAvailableTrain(_ request: LegacyRequest) throws -> LegacyReply {
        let tasker = try request.tasker()
        let jobID = try request.id("JobID")
        let lease: Lease
        switch try request.context.work.take(
            jobID: jobID, taskerID: tasker.id,
            seconds: request.context.services.config.leaseSeconds)
        {
        case .new(let taken), .existing(let taken): lease = taken
        }
        guard let job = try request.store.jobs.find(id: lease.jobID) else { throw MarketError.notFound("job") }
        return try .json(LegacyTrainRecord(offering: lease, requesterID: job.requesterID))
    }

    /// `ReportTrain&JobID=&UserID=` with the Train record sent back, X, Y, W, H filled in
    /// (numbers or numeric strings). The lease comes from `guid` (else from
    /// `TaskRecordID`); the box is turned into image pixels by `LegacyCanvas` and labelled
    /// with the job's first label. Empty body on success, also for a repeated identical
    /// report.
    static func reportTrain(_ request: LegacyRequest) throws -> LegacyReply {
        let tasker = try request.tasker()
        let fields = try request.fields()
        let lease = try leaseOf(fields, tasker: tasker, request)
        if request.parameter("JobID") != nil, try request.id("JobID") != lease.jobID {
            throw APIError.badRequest("This train belongs to job \(lease.jobID), not to the JobID sent.", code: "wrong_job")
        }
        func coordinate(_ key: String) throws -> Double {
            guard let value = try fields.number(key) else {
                throw APIError.badRequest("Missing field \(key).", code: "missing_field")
            }
            return value
        }
        let box = LegacyCanvas.Rect(
            x: try coordinate("X"), y: try coordinate("Y"), w: try coordinate("W"), h: try coordinate("H"))
        guard
            let converted = LegacyCanvas.imageBox(
                box, declared: try declaredSpace(fields, request),
                image: .init(width: Double(lease.imageWidth), height: Double(lease.imageHeight)),
                canvas: try canvas(fields, request))
        else {
            throw APIError.invalid("The box lies outside the image or has no size.", code: "box_outside_image")
        }
        let label = lease.labels.first ?? ""
        _ = try request.context.work.submit(
            to: lease, by: tasker.id,
            TrainSubmission(
                boxes: [Box(x: converted.box.x, y: converted.box.y, w: converted.box.w, h: converted.box.h, label: label)],
                nothingToMark: false, coordinateSpace: converted.space))
        return .text("")
    }

    /// `GetTrainResultsPerTask&TaskID=`: the task's results (owner only), in image pixels.
    static func trainResultsPerTask(_ request: LegacyRequest) throws -> LegacyReply {
        let requester = try request.requester()
        let taskID = try request.id("TaskID")
        guard let task = try request.store.tasks.find(id: taskID),
            let job = try request.store.jobs.find(id: task.jobID),
            job.requesterID == requester.id || requester.role == .admin
        else { throw MarketError.notFound("task") }
        let trains = try request.store.trains.list(taskID: taskID)
        return try .json(trains.flatMap { LegacyTrainRecord.records(of: $0, requesterID: job.requesterID) })
    }

    /// `GetTasksPerJob&JobID=`: one Train record per task of the job that has results
    /// (its first result), as the original answered (owner only).
    static func tasksPerJob(_ request: LegacyRequest) throws -> LegacyReply {
        let requester = try request.requester()
        let jobID = try request.id("JobID")
        guard let job = try request.store.jobs.find(id: jobID), job.requesterID == requester.id || requester.role == .admin else {
            throw MarketError.notFound("job")
        }
        let trains = try request.store.trains.firstPerTask(jobID: jobID)
        return try .json(trains.compactMap { LegacyTrainRecord.records(of: $0, requesterID: job.requesterID).first })
    }

    // MARK: Reading the Train record sent back

    /// The tasker's lease named by the record: `guid` (`lease-<id>`), else the task
    /// `TaskRecordID` (a tasker has at most one lease per task).
    static func leaseOf(_ fields: LegacyFields, tasker: User, _ request: LegacyRequest) throws -> Lease {
        if let leaseID = fields.text("guid").flatMap(LegacyTrainRecord.leaseID(fromGuid:)) {
            return try request.store.leases.owned(id: leaseID, by: tasker.id)
        }
        guard let taskText = fields.text("TaskRecordID") else {
            throw APIError.badRequest(
                "The train needs its guid or TaskRecordID: send back the record GetNexAvailableTrain gave.",
                code: "missing_field")
        }
        guard let taskID = Int64(taskText), taskID > 0,
            let lease = try request.store.leases.find(taskID: taskID, taskerID: tasker.id)
        else {
            throw MarketError.notFound("lease")
        }
        return lease
    }

    /// `CoordinateSpace` (body or URL): `image`, or `legacy-canvas` / `canvas`; nil when not given.
    static func declaredSpace(_ fields: LegacyFields, _ request: LegacyRequest) throws -> CoordinateSpace? {
        guard let text = fields.text("CoordinateSpace") ?? request.parameter("CoordinateSpace") else { return nil }
        switch text.lowercased() {
        case "image": return .image
        case "legacy-canvas", "canvas": return .legacyCanvas
        default: throw APIError.invalid("CoordinateSpace must be image or legacy-canvas.", code: "invalid_value")
        }
    }

    /// `CanvasWidth` / `CanvasHeight` (body or URL) for a client that knows its canvas;
    /// else the original app's 500 x 300.
    static func canvas(_ fields: LegacyFields, _ request: LegacyRequest) throws -> LegacyCanvas.Size {
        func value(_ key: String) throws -> Double? {
            if let number = try fields.number(key) { return number }
            guard let text = request.parameter(key) else { return nil }
            guard let number = LegacyFields.decimal(text) else {
                throw APIError.invalid("\(key) must be a number.", code: "invalid_value")
            }
            return number
        }
        guard let size = LegacyCanvas.canvas(width: try value("CanvasWidth"), height: try value("CanvasHeight")) else {
            throw APIError.invalid("CanvasWidth (and CanvasHeight) must be from 1 to 10000.", code: "invalid_value")
        }
        return size
    }
}
