import Foundation

/// A rectangle in the image's pixels (origin top-left) with one of the job's labels.
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

/// A result waits for review, then is approved (its bounty paid) or rejected (its slot
/// offered again).
public enum ResultState: String, Codable, Sendable, CaseIterable {
    case pending, approved, rejected
}

/// A stored result: the boxes one tasker drew on one task, its bounty and its review.
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
    public let state: ResultState
    /// Why the requester rejected it; shown to the tasker.
    public let rejectReason: String?
    public let settledAt: Date?
    /// How well it agrees with its image's consensus (0...1), and where it differs, once
    /// assessed.
    public let agreement: Double?
    public let agreementNote: String?
    /// The tasker's screen name, the job's title and the image's size, when read from the
    /// database.
    public let taskerName: String?
    public let jobTitle: String?
    public let imageWidth: Int?
    public let imageHeight: Int?

    public init(
        id: Int64, leaseID: Int64, taskID: Int64, jobID: Int64, taskerID: Int64, nothingToMark: Bool,
        coordinateSpace: CoordinateSpace, boxes: [Box], bounty: Money, createdAt: Date,
        state: ResultState, rejectReason: String? = nil, settledAt: Date? = nil,
        agreement: Double? = nil, agreementNote: String? = nil, taskerName: String? = nil, jobTitle: String? = nil,
        imageWidth: Int? = nil, imageHeight: Int? = nil
    ) {
        self.id = id
        self.leaseID = leaseID
        self.taskID = taskID
        self.jobID = jobID
        self.taskerID = taskerID
        self.nothingToMark = nothingToMark
        self.coordinateSpace = coordinateSpace
        self.boxes = boxes
        self.bounty = bounty
        self.createdAt = createdAt
        self.state = state
        self.rejectReason = rejectReason
        self.settledAt = settledAt
        self.agreement = agreement
        self.agreementNote = agreementNote
        self.taskerName = taskerName
        self.jobTitle = jobTitle
        self.imageWidth = imageWidth
        self.imageHeight = imageHeight
    }
}
