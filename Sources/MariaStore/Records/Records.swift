import Foundation

/// The marketplace's records as the store reads them. Routes turns them into JSON.

public enum Role: String, Codable, Sendable, CaseIterable {
    case tasker, requester, admin
}

public struct User: Sendable {
    public let id: Int64
    public let email: String
    public let screenName: String
    public let role: Role
    public let accountID: Int64
    public let balance: Money
    public let createdAt: Date
}

public enum JobState: String, Codable, Sendable {
    case draft, active, paused, finished
}

public struct Job: Sendable {
    public let id: Int64
    public let requesterID: Int64
    public let name: String
    public let title: String
    public let description: String
    public let instructions: String
    public let type: String
    public let labels: [String]
    public let bounty: Money
    public let budget: Money
    public let resultsPerImage: Int
    public let state: JobState
    public let startTime: Date?
    public let endTime: Date?
    public let accountID: Int64
    /// The escrow still held for the job.
    public let budgetLeft: Money
    /// The part of the escrow promised to live leases.
    public let reserved: Money
    public let imageCount: Int
    public let trainCount: Int
    public let openSlots: Int
    public let createdAt: Date
    public let updatedAt: Date
}

/// The fields a requester sets on a job.
public struct JobDraft: Sendable {
    public var name: String
    public var title: String
    public var description: String
    public var instructions: String
    public var type: String
    public var labels: [String]
    public var bounty: Money
    public var budget: Money
    public var resultsPerImage: Int
    public var startTime: Date?
    public var endTime: Date?

    public init(name: String, title: String, description: String, instructions: String, type: String,
                labels: [String], bounty: Money, budget: Money, resultsPerImage: Int,
                startTime: Date?, endTime: Date?) {
        self.name = name
        self.title = title
        self.description = description
        self.instructions = instructions
        self.type = type
        self.labels = labels
        self.bounty = bounty
        self.budget = budget
        self.resultsPerImage = resultsPerImage
        self.startTime = startTime
        self.endTime = endTime
    }
}

/// A job as a tasker sees it in the list of open jobs.
public struct OpenJob: Sendable {
    public let job: Job
    /// Tasks this tasker can still take (counted up to `OpenJob.countLimit`).
    public let imagesLeftForMe: Int
    public static let countLimit = 10_000
}

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

public enum LeaseState: String, Codable, Sendable {
    case live, submitted, released, expired
}

public struct Lease: Sendable {
    public let id: Int64
    public let taskID: Int64
    public let jobID: Int64
    public let taskerID: Int64
    public let state: LeaseState
    public let bounty: Money
    public let createdAt: Date
    public let expiresAt: Date
    public let imageWidth: Int
    public let imageHeight: Int
    public let labels: [String]
}

public struct Box: Codable, Equatable, Sendable {
    public var x: Double
    public var y: Double
    public var w: Double
    public var h: Double
    public var label: String

    public init(x: Double, y: Double, w: Double, h: Double, label: String) {
        self.x = x
        self.y = y
        self.w = w
        self.h = h
        self.label = label
    }
}

public enum CoordinateSpace: String, Codable, Sendable {
    /// Pixels of the original image (the JSON API).
    case image
    /// Converted from the original phone app's canvas pixels (the legacy protocol).
    case legacyCanvas = "legacy-canvas"
}

/// What a tasker hands in for a lease.
public struct TrainSubmission: Sendable {
    public let boxes: [Box]
    public let nothingToMark: Bool
    public let coordinateSpace: CoordinateSpace

    public init(boxes: [Box], nothingToMark: Bool, coordinateSpace: CoordinateSpace = .image) {
        self.boxes = boxes
        self.nothingToMark = nothingToMark
        self.coordinateSpace = coordinateSpace
    }
}

public struct Train: Sendable {
    public let id: Int64
    public let leaseID: Int64
    public let taskID: Int64
    public let jobID: Int64
    public let taskerID: Int64
    public let nothingToMark: Bool
    public let coordinateSpace: CoordinateSpace
    public let boxes: [Box]
    public let bounty: Money
    public let createdAt: Date
}

public enum PayoutState: String, Codable, Sendable {
    case requested, paid, rejected
}

public struct Payout: Sendable {
    public let id: Int64
    public let userID: Int64
    public let amount: Money
    public let address: String
    public let state: PayoutState
    public let reference: String?
    public let createdAt: Date
    public let decidedAt: Date?
}

public enum LedgerKind: String, Codable, Sendable {
    case credit, escrow, bounty, refund
    case payoutHold = "payout_hold"
    case payoutPaid = "payout_paid"
    case payoutReturn = "payout_return"
}

public struct LedgerEntry: Sendable {
    public let id: Int64
    public let kind: LedgerKind
    public let amount: Money
    public let fromAccount: Int64
    public let toAccount: Int64
    public let jobID: Int64?
    public let trainID: Int64?
    public let payoutID: Int64?
    public let createdAt: Date
}

/// One page of a longer list.
public struct Page<Item> {
    public let items: [Item]
    public let page: Int
    public let perPage: Int
    public let total: Int
}
