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

/// A stored result: the boxes one tasker drew on one task, and the bounty paid for them.
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
