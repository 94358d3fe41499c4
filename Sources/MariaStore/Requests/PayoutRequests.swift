import Foundation

/// The queries that read payouts, and how a row becomes a `Payout`.
extension Payout {
    static func withID(_ id: Int64) -> Query<Payout> {
        Query("\(Payout.select) WHERE id = ?", [id], Payout.init(row:))
    }

    /// The payout with this id, locked for the caller's transaction.
    static func lockedWithID(_ id: Int64) -> Query<Payout> {
        Query("\(Payout.select) WHERE id = ? FOR UPDATE", [id], Payout.init(row:))
    }

    /// A user's payouts, newest first.
    static func ofUser(_ userID: Int64) -> Query<Payout> {
        Query("\(Payout.select) WHERE user_id = ? ORDER BY id DESC", [userID], Payout.init(row:))
    }

    /// Every user's payouts in one state, oldest first.
    static func inState(_ state: PayoutState, limit: Int) -> Query<Payout> {
        Query("\(Payout.select) WHERE state = ? ORDER BY id LIMIT ?", [state.rawValue, limit], Payout.init(row:))
    }

    /// Every user's payouts, those waiting for a decision first.
    static func waitingFirst(limit: Int) -> Query<Payout> {
        Query("\(Payout.select) ORDER BY state = 'requested' DESC, id LIMIT ?", [limit], Payout.init(row:))
    }

    private static let select = """
        SELECT id, user_id, amount, address, state, reference, created_at, decided_at FROM payouts
        """

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
