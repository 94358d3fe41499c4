import Foundation
import MariaStore

/// One result: the boxes one tasker drew on one image, in image pixels.
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

    init(_ train: Train) {
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
    }
}
