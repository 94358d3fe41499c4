import Foundation

/// Why money moved.
public enum LedgerKind: String, Codable, Sendable {
    case credit, escrow, bounty, refund
    case payoutHold = "payout_hold"
    case payoutPaid = "payout_paid"
    case payoutReturn = "payout_return"
}

/// One movement of money from one account to another.
public struct LedgerEntry: Sendable {
    public let id: Int64
    public let kind: LedgerKind
    public let amount: Money
    public let fromAccount: Int64
    public let toAccount: Int64
    public let jobID: Int64?
    public let trainID: Int64?
    public let payoutID: Int64?
    public let settlementID: Int64?
    public let createdAt: Date
}
