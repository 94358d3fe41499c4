import Foundation
import MariaStore
import Marketplace

/// One image of a job and how far its results are.
struct TaskView: Encodable {
    let id: Int64
    let jobId: Int64
    let width: Int
    let height: Int
    let mimeType: String
    let sha256: String
    let filename: String?
    /// Results this image is paid for (slots opened): 0 before activation.
    let resultsWanted: Int
    let trainCount: Int
    let liveLeases: Int
    let imageUrl: String
    let createdAt: Date

    init(_ task: TaskRecord) {
        id = task.id
        jobId = task.jobID
        width = task.width
        height = task.height
        mimeType = task.mimeType
        sha256 = SessionToken.hex(task.sha256)
        filename = task.filename
        resultsWanted = task.slotsOpened
        trainCount = task.trainCount
        liveLeases = task.liveLeases
        imageUrl = "/api/tasks/\(task.id)/image"
        createdAt = task.createdAt
    }
}

/// One uploaded file's outcome.
struct UploadedTaskView: Encodable {
    let task: TaskView
    let duplicate: Bool
}
