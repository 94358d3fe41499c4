import Foundation

/// One image of a job, to be labelled `slotsOpened` times (the seed's TaskRecord).
public struct TaskRecord: Sendable {
    public let id: Int64
    public let jobID: Int64
    public let sha256: [UInt8]
    public let mimeType: String
    public let width: Int
    public let height: Int
    public let byteCount: Int
    public let filename: String?
    /// Results paid for (their bounties in the job's escrow): up to the job's results per
    /// image, none before activation (column `results_wanted`).
    public let slotsOpened: Int
    /// Results approved or pending.
    public let trainCount: Int
    public let openSlots: Int
    /// Slots paid for but not offered yet (adaptive redundancy).
    public let heldSlots: Int
    public let createdAt: Date
    /// A gold image, with its known answer (never shown to taskers).
    public let goldAnswer: GoldAnswer?
    /// How well its results agree with their consensus (0...1), once assessed.
    public let agreement: Double?
    /// It needs no more results: they agree, or it had all it could have.
    public let qualityDone: Bool
    public var isGold: Bool { goldAnswer != nil }
    public var liveLeases: Int { slotsOpened - trainCount - openSlots - heldSlots }
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
