import Foundation
import MariaStore

struct PayoutView: Encodable {
    let id: Int64
    let amount: Money
    let address: String
    let state: PayoutState
    let reference: String?
    let createdAt: Date
    let decidedAt: Date?

    init(_ payout: Payout) {
        id = payout.id
        amount = payout.amount
        address = payout.address
        state = payout.state
        reference = payout.reference
        createdAt = payout.createdAt
        decidedAt = payout.decidedAt
    }
}

/// A movement of money as one of its two accounts sees it.
struct LedgerEntryView: Encodable {
    let id: Int64
    let kind: LedgerKind
    let amount: Money
    let direction: String
    let jobId: Int64?
    let trainId: Int64?
    let payoutId: Int64?
    /// The review decision a bounty pays for (its results name it too).
    let settlementId: Int64?
    let createdAt: Date

    init(_ entry: LedgerEntry, account: Int64) {
        id = entry.id
        kind = entry.kind
        amount = entry.amount
        direction = entry.toAccount == account ? "in" : "out"
        jobId = entry.jobID
        trainId = entry.trainID
        payoutId = entry.payoutID
        settlementId = entry.settlementID
        createdAt = entry.createdAt
    }
}
