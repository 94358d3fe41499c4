import Foundation
import MariaStore

/// A tasker's lease, with what the labelling screen needs.
struct LeaseView: Encodable {
    struct Image: Encodable {
        let url: String
        let width: Int
        let height: Int
    }

    let id: Int64
    let taskId: Int64
    let jobId: Int64
    let state: LeaseState
    let expiresAt: Date
    let secondsLeft: Int
    let bounty: Money
    let labels: [String]
    let image: Image

    init(_ lease: Lease, now: Date = Date()) {
        id = lease.id
        taskId = lease.taskID
        jobId = lease.jobID
        // A live lease whose time is up is expired, whether or not the housekeeper has ended it yet.
        state = lease.state == .live && lease.expiresAt <= now ? .expired : lease.state
        expiresAt = lease.expiresAt
        secondsLeft = state == .live ? max(0, Int(lease.expiresAt.timeIntervalSince(now).rounded(.down))) : 0
        bounty = lease.bounty
        labels = lease.labels
        image = Image(url: "/api/tasks/\(lease.taskID)/image", width: lease.imageWidth, height: lease.imageHeight)
    }
}
