import Foundation

/// requested (amount held) -> paid or rejected (amount returned).
public enum PayoutState: String, Codable, Sendable {
    case requested, paid, rejected
}

/// A tasker's request to be paid part of their balance.
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
