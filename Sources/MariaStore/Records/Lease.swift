import Foundation

/// A lease is live until it is submitted, released (skipped) or expired.
public enum LeaseState: String, Codable, Sendable {
    case live, submitted, released, expired
}

/// A tasker's hold on one slot of one task, with what the labelling screen needs.
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
