import Foundation

/// Taskers' requests to be paid out. The amount is held (moved to the payouts account) at
/// once; an admin then marks it paid (it leaves for the outside world) or rejects it (it
/// returns to the tasker).
public struct Payouts {
    let db: Connection

    public func request(userID: Int64, amount: Money, address: String) throws -> Payout {
        try db.transaction {
            guard let user = try Users(db: db).find(id: userID) else { throw MarketError.notFound("user") }
            let id = try db.execute(
                "INSERT INTO payouts (user_id, amount, address) VALUES (?, ?, ?)",
                userID, amount, address
            ).lastInsertID
            try Ledger(db: db).move(
                .init(
                    kind: .payoutHold, amount: amount, from: user.accountID,
                    to: Ledger.payoutsAccount, payoutID: id))
            return try find(id: id)!
        }
    }

    public func find(id: Int64) throws -> Payout? {
        try db.fetchOne(Payout.withID(id))
    }

    public func list(userID: Int64) throws -> [Payout] {
        try db.fetchAll(Payout.ofUser(userID))
    }

    /// Payouts of every user, waiting ones first (for admins).
    public func all(state: PayoutState? = nil, limit: Int = 1000) throws -> [Payout] {
        if let state {
            return try db.fetchAll(Payout.inState(state, limit: limit))
        }
        return try db.fetchAll(Payout.waitingFirst(limit: limit))
    }

    /// `reference` names the payment (a transaction id): 1 to 200 characters, spaces around
    /// it dropped.
    public func markPaid(id: Int64, reference: String) throws -> Payout {
        let reference = reference.trimmingCharacters(in: .whitespacesAndNewlines)
        guard (1...200).contains(reference.unicodeScalars.count) else {
            throw MarketError(.invalid, "invalid_reference", "A payment's reference needs 1 to 200 characters.")
        }
        return try decide(id: id, as: .paid, reference: reference)
    }

    public func reject(id: Int64) throws -> Payout {
        try decide(id: id, as: .rejected, reference: nil)
    }

    private func decide(id: Int64, as state: PayoutState, reference: String?) throws -> Payout {
        try db.transaction {
            guard let payout = try db.fetchOne(Payout.lockedWithID(id)) else { throw MarketError.notFound("payout") }
            guard payout.state == .requested else {
                throw MarketError(.conflict, "payout_decided", "This payout is already \(payout.state.rawValue).")
            }
            try db.execute(
                "UPDATE payouts SET state = ?, reference = ?, decided_at = CURRENT_TIMESTAMP(6) WHERE id = ?",
                state.rawValue, reference, id)
            if state == .paid {
                try Ledger(db: db).move(
                    .init(
                        kind: .payoutPaid, amount: payout.amount, from: Ledger.payoutsAccount,
                        to: Ledger.externalAccount, payoutID: id, memo: reference))
            } else {
                guard let user = try Users(db: db).find(id: payout.userID) else { throw MarketError.notFound("user") }
                try Ledger(db: db).move(
                    .init(
                        kind: .payoutReturn, amount: payout.amount, from: Ledger.payoutsAccount,
                        to: user.accountID, payoutID: id))
            }
            return try find(id: id)!
        }
    }
}
