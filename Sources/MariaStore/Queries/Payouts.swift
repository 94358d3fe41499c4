import Foundation

/// Taskers' requests to be paid out. The amount is held (moved to the payouts account) at
/// once; an admin then marks it paid (it leaves for the outside world) or rejects it (it
/// returns to the tasker).
public struct Payouts {
    let db: Connection

    static let columns = "id, user_id, amount, address, state, reference, created_at, decided_at FROM payouts"

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
        try db.row("SELECT \(Payouts.columns) WHERE id = ?", id).map(Payout.init(row:))
    }

    public func list(userID: Int64) throws -> [Payout] {
        try db.rows("SELECT \(Payouts.columns) WHERE user_id = ? ORDER BY id DESC", userID).map(Payout.init(row:))
    }

    /// Payouts of every user, waiting ones first (for admins).
    public func all(state: PayoutState? = nil, limit: Int = 1000) throws -> [Payout] {
        if let state {
            return try db.rows("SELECT \(Payouts.columns) WHERE state = ? ORDER BY id LIMIT ?", state.rawValue, limit)
                .map(Payout.init(row:))
        }
        return try db.rows("SELECT \(Payouts.columns) ORDER BY state = 'requested' DESC, id LIMIT ?", limit).map(
            Payout.init(row:))
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
            guard let row = try db.row("SELECT \(Payouts.columns) WHERE id = ? FOR UPDATE", id) else {
                throw MarketError.notFound("payout")
            }
            let payout = try Payout(row: row)
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

extension Payout {
    init(row: Row) throws {
        id = try row["id"]
        userID = try row["user_id"]
        amount = try row["amount"]
        address = try row["address"]
        state = PayoutState(rawValue: try row["state"]) ?? .requested
        reference = try row["reference"]
        createdAt = try row["created_at"]
        decidedAt = try row["decided_at"]
    }
}
