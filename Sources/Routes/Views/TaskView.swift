import Foundation
import MariaStore
import Marketplace

/// One image of a job. Its requester also sees how far its results are and its quality
/// (gold answer, agreement); a tasker sees only the image, so nothing tells a gold image
/// from another.
struct TaskView: Encodable {
    let id: Int64
    let jobId: Int64
    let width: Int
    let height: Int
    let mimeType: String
    let sha256: String
    let filename: String?
    /// Results this image is paid for (slots opened): 0 before activation.
    let resultsWanted: Int?
    let trainCount: Int?
    let liveLeases: Int?
    /// Slots paid for but not offered yet (adaptive redundancy).
    let heldSlots: Int?
    /// The known answer of a gold image.
    let gold: GoldAnswer?
    let agreement: Double?
    let qualityDone: Bool?
    let imageUrl: String
    let createdAt: Date

    /// `forOwner`: the job's requester (or an admin) is looking.
    init(_ task: TaskRecord, forOwner owner: Bool = true) {
        id = task.id
        jobId = task.jobID
        width = task.width
        height = task.height
        mimeType = task.mimeType
        sha256 = SessionToken.hex(task.sha256)
        filename = task.filename
        resultsWanted = owner ? task.slotsOpened : nil
        trainCount = owner ? task.trainCount : nil
        liveLeases = owner ? task.liveLeases : nil
        heldSlots = owner ? task.heldSlots : nil
        gold = owner ? task.goldAnswer : nil
        agreement = owner ? task.agreement : nil
        qualityDone = owner ? task.qualityDone : nil
        imageUrl = "/api/tasks/\(task.id)/image"
        createdAt = task.createdAt
    }
}

/// One uploaded file's outcome.
struct UploadedTaskView: Encodable {
    let task: TaskView
    let duplicate: Bool
}
