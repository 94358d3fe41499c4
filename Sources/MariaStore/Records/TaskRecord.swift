import Foundation

/// One image of a job, to be labelled `resultsWanted` times (the seed's TaskRecord).
public struct TaskRecord: Sendable {
    public let id: Int64
    public let jobID: Int64
    public let sha256: [UInt8]
    public let mimeType: String
    public let width: Int
    public let height: Int
    public let byteCount: Int
    public let filename: String?
    public let resultsWanted: Int
    public let trainCount: Int
    public let openSlots: Int
    public let createdAt: Date
    public var liveLeases: Int { resultsWanted - trainCount - openSlots }
}

/// An image about to become a task.
public struct NewImage: Sendable {
    public let sha256: [UInt8]
    public let mimeType: String
    public let width: Int
    public let height: Int
    public let byteCount: Int
    public let filename: String?

    public init(sha256: [UInt8], mimeType: String, width: Int, height: Int, byteCount: Int, filename: String?) {
        self.sha256 = sha256
        self.mimeType = mimeType
        self.width = width
        self.height = height
        self.byteCount = byteCount
        self.filename = filename
    }
}
