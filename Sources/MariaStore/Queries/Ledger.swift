import Foundation

/// Moves money between accounts. Every movement changes two balances and writes one
/// ledger entry, inside the caller's transaction; no balance can go below zero (the
/// `external` account aside, which stands for the world outside).
public struct Ledger {
    let db: Connection

    /// The account of the world outside: credits come from it, paid payouts go to it.
    public static let externalAccount: Int64 = 1
    /// The account holding requested payouts until they are paid or rejected.
    public static let payoutsAccount: Int64 = 2

    public struct Movement {
        public var kind: LedgerKind
        public var amount: Money
        public var from: Int64
        public var to: Int64
        /// Take the amount out of the source's reserved part (a bounty promised to a lease).
        public var fromReserved = false
        public var jobID: Int64? = nil
        public var trainID: Int64? = nil
        public var payoutID: Int64? = nil
        public var memo: String? = nil

        public init(kind: LedgerKind, amount: Money, from: Int64, to: Int64, fromReserved: Bool = false,
                    jobID: Int64? = nil, trainID: Int64? = nil, payoutID: Int64? = nil, memo: String? = nil) {
            self.kind = kind
            self.amount = amount
            self.from = from
            self.to = to
            self.fromReserved = fromReserved
            self.jobID = jobID
            self.trainID = trainID
            self.payoutID = payoutID
            self.memo = memo
        }
    }

    /// Records one movement. Must run inside a transaction. Throws
    /// `insufficient_balance` when the source cannot cover it.
    ///
    /// One movement does not come through here: a bounty paid for a submitted train is
    /// moved by the procedure `tasker_cycle` (sql/routines/tasker_cycle.sql) by the
    /// same rules. A change to these rules belongs in both places.
    public func move(_ movement: Movement) throws {
        precondition(movement.amount > .zero, "a movement moves a positive amount")
        let debited: Int
        if movement.fromReserved {
            debited = try db.execute("""
                UPDATE accounts SET balance = balance - ?, reserved = reserved - ?
                WHERE id = ? AND reserved >= ?
                """, movement.amount, movement.amount, movement.from, movement.amount).affectedRows
        } else {
            debited = try db.execute("""
                UPDATE accounts SET balance = balance - ?
                WHERE id = ? AND (kind = 'external' OR balance - reserved >= ?)
                """, movement.amount, movement.from, movement.amount).affectedRows
        }
        guard debited == 1 else { throw MarketError.insufficientBalance }
        // The debit comes first and the entry last: the entry's foreign keys take shared
        // locks on both accounts, and a shared lock taken before the exclusive one on a
        // job's escrow row turns concurrent submissions into deadlocks (measured: 11,007
        // deadlocks in 30 s with the entry first, against 182 in this order).
        try db.execute("UPDATE accounts SET balance = balance + ? WHERE id = ?", movement.amount, movement.to)
        try db.execute("""
            INSERT INTO ledger_entries (kind, amount, from_account, to_account, job_id, train_id, payout_id, memo)
            VALUES (?, ?, ?, ?, ?, ?, ?, ?)
            """, movement.kind.rawValue, movement.amount, movement.from, movement.to,
            movement.jobID, movement.trainID, movement.payoutID, movement.memo)
    }

    /// Adds money to a user's balance from outside (the admin's `credit`). A payment
    /// provider would call this once it has confirmed a payment.
    public func credit(userID: Int64, amount: Money, memo: String?) throws {
        try db.transaction {
            guard let user = try Users(db: db).find(id: userID) else { throw MarketError.notFound("user") }
            try move(Movement(kind: .credit, amount: amount, from: Ledger.externalAccount, to: user.accountID, memo: memo))
        }
    }

    /// The entries that moved money in or out of an account, newest first.
    public func entries(account: Int64, page: Int, perPage: Int) throws -> Page<LedgerEntry> {
        let total: Int = try db.row("SELECT COUNT(*) AS n FROM ledger_entries WHERE from_account = ? OR to_account = ?",
                                    account, account)?["n"] ?? 0
        let rows = try db.rows("""
            SELECT id, kind, amount, from_account, to_account, job_id, train_id, payout_id, created_at
            FROM ledger_entries WHERE from_account = ? OR to_account = ?
            ORDER BY id DESC LIMIT ? OFFSET ?
            """, account, account, perPage, (page - 1) * perPage)
        return Page(items: try rows.map(LedgerEntry.init(row:)), page: page, perPage: perPage, total: total)
    }

    /// Accounts whose balance differs from the sum of their ledger entries, or whose
    /// reserved part differs from the bounties of their job's live leases. Empty when all agree.
    public func disagreements() throws -> [String] {
        let balances = try db.rows("""
            SELECT a.id, a.balance,
                COALESCE((SELECT SUM(amount) FROM ledger_entries WHERE to_account = a.id), 0)
              - COALESCE((SELECT SUM(amount) FROM ledger_entries WHERE from_account = a.id), 0) AS derived
            FROM accounts a
            HAVING balance <> derived
            """)
        let reserves = try db.rows("""
            SELECT a.id, a.reserved,
                COALESCE((SELECT SUM(l.bounty) FROM leases l WHERE l.job_id = j.id AND l.state = 'live'), 0) AS live
            FROM accounts a JOIN jobs j ON j.account_id = a.id
            HAVING reserved <> live
            """)
        return try balances.map { "account \(try $0["id"] as Int64): balance \(try $0["balance"] as String) but entries add up to \(try $0["derived"] as String)" }
            + reserves.map { "account \(try $0["id"] as Int64): reserved \(try $0["reserved"] as String) but live leases hold \(try $0["live"] as String)" }
    }
}

extension LedgerEntry {
    init(row: Row) throws {
        id = try row["id"]
        kind = LedgerKind(rawValue: try row["kind"]) ?? .credit
        amount = try row["amount"]
        fromAccount = try row["from_account"]
        toAccount = try row["to_account"]
        jobID = try row["job_id"]
        trainID = try row["train_id"]
        payoutID = try row["payout_id"]
        createdAt = try row["created_at"]
    }
}
