import Foundation
import MariaStore

/// One of a tasker's own results, as their history lists it.
struct MyResultView: Encodable {
    let id: Int64
    let jobId: Int64
    let jobTitle: String
    let taskId: Int64
    let imageUrl: String
    let imageWidth: Int?
    let imageHeight: Int?
    let boxes: [Box]
    let nothingToMark: Bool
    let state: ResultState
    let rejectReason: String?
    let bounty: Money
    let createdAt: Date
    let settledAt: Date?

    init(_ train: Train) {
        id = train.id
        jobId = train.jobID
        jobTitle = train.jobTitle ?? ""
        taskId = train.taskID
        imageUrl = "/api/tasks/\(train.taskID)/image"
        imageWidth = train.imageWidth
        imageHeight = train.imageHeight
        boxes = train.boxes
        nothingToMark = train.nothingToMark
        state = train.state
        rejectReason = train.rejectReason
        bounty = train.bounty
        createdAt = train.createdAt
        settledAt = train.settledAt
    }
}
