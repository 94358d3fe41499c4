import Foundation
import MariaStore

/// One result: the boxes one tasker drew on one image, in image pixels, and its review.
struct TrainView: Encodable {
    let id: Int64
    let leaseId: Int64
    let taskId: Int64
    let jobId: Int64
    let taskerId: Int64
    let nothingToMark: Bool
    let coordinateSpace: CoordinateSpace
    let boxes: [Box]
    let bounty: Money
    let createdAt: Date
    let state: ResultState
    let rejectReason: String?
    let settledAt: Date?
    /// How well it agrees with its image's consensus, for the job's requester.
    let agreement: Double?
    let agreementNote: String?
    let taskerName: String?
    let imageWidth: Int?
    let imageHeight: Int?

    /// `showingTasker`: with the tasker's screen name, for the job's requester.
    init(_ train: Train, showingTasker: Bool = false) {
        id = train.id
        leaseId = train.leaseID
        taskId = train.taskID
        jobId = train.jobID
        taskerId = train.taskerID
        nothingToMark = train.nothingToMark
        coordinateSpace = train.coordinateSpace
        boxes = train.boxes
        bounty = train.bounty
        createdAt = train.createdAt
        state = train.state
        rejectReason = train.rejectReason
        settledAt = train.settledAt
        agreement = showingTasker ? train.agreement : nil
        agreementNote = showingTasker ? train.agreementNote : nil
        taskerName = showingTasker ? train.taskerName : nil
        imageWidth = train.imageWidth
        imageHeight = train.imageHeight
    }
}
