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
        public var jobID: Int64? = nil
        public var trainID: Int64? = nil
        public var payoutID: Int64? = nil
        public var settlementID: Int64? = nil
        public var memo: String? = nil

        public init(
            kind: LedgerKind, amount: Money, from: Int64, to: Int64,
            jobID: Int64? = nil, trainID: Int64? = nil, payoutID: Int64? = nil, settlementID: Int64? = nil,
            memo: String? = nil
        ) {
            self.kind = kind
            self.amount = amount
            self.from = from
            self.to = to
            self.jobID = jobID
            self.trainID = trainID
            self.payoutID = payoutID
            self.settlementID = settlementID
            self.memo = memo
        }
    }

    /// Records one movement. Must run inside a transaction. Throws
    /// `insufficient_balance` when the source cannot cover it.
    ///
    /// Bounties do not come through here: `Settlements` pays the results of one decision
    /// with one debit of the escrow and one credit per tasker, set-based, in the same order
    /// (balances first, then the entries).
    public func move(_ movement: Movement) throws {
        precondition(movement.amount > .zero, "a movement moves a positive amount")
        let debited = try db.execute(
            """
            UPDATE accounts SET balance = balance - ?
            WHERE id = ? AND (kind = 'external' OR balance >= ?)
            """, movement.amount, movement.from, movement.amount
        ).affectedRows
        guard debited == 1 else { throw MarketError.insufficientBalance }
        // The debit comes first and the entry last: the entry's foreign keys take shared
        // locks on both accounts, and a shared lock taken before the exclusive one on a
        // job's escrow row turns concurrent submissions into deadlocks (measured: 11,007
        // deadlocks in 30 s with the entry first, against 182 in this order).
        try db.execute("UPDATE accounts SET balance = balance + ? WHERE id = ?", movement.amount, movement.to)
        try db.execute(
            """
            INSERT INTO ledger_entries (kind, amount, from_account, to_account, job_id, train_id, payout_id,
                settlement_id, memo)
            VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)
            """, movement.kind.rawValue, movement.amount, movement.from, movement.to,
            movement.jobID, movement.trainID, movement.payoutID, movement.settlementID, movement.memo)
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
        let total: Int =
            try db.row(
                "SELECT COUNT(*) AS n FROM ledger_entries WHERE from_account = ? OR to_account = ?",
                account, account)?["n"] ?? 0
        let rows = try db.rows(
            """
            SELECT id, kind, amount, from_account, to_account, job_id, train_id, payout_id, settlement_id, created_at
            FROM ledger_entries WHERE from_account = ? OR to_account = ?
            ORDER BY id DESC LIMIT ? OFFSET ?
            """, account, account, perPage, (page - 1) * perPage)
        return Page(items: try rows.map(LedgerEntry.init(row:)), page: page, perPage: perPage, total: total)
    }

    /// What does not add up: an account whose balance differs from the sum of its ledger
    /// entries, a job's escrow that does not hold the bounty of each slot it opened and has
    /// not paid, a task whose slots do not add up, an approved result its ledger entry does
    /// not pay. Empty when all agree.
    public func disagreements() throws -> [String] {
        let balances = try db.rows(
            """
            SELECT a.id, a.balance,
                COALESCE((SELECT SUM(amount) FROM ledger_entries WHERE to_account = a.id), 0)
              - COALESCE((SELECT SUM(amount) FROM ledger_entries WHERE from_account = a.id), 0) AS derived
            FROM accounts a
            HAVING balance <> derived
            """)
        // The escrow holds the bounty of every slot it opened and has not paid: open,
        // leased, or with a pending result.
        let escrows = try db.rows(
            """
            SELECT j.id, a.balance, j.bounty * j.escrowed_slots AS held, j.escrowed_slots,
                (SELECT COALESCE(SUM(t.results_wanted), 0) FROM tasks t WHERE t.job_id = j.id)
              - (SELECT COUNT(*) FROM trains r WHERE r.job_id = j.id AND r.state = 'approved') AS unpaid
            FROM jobs j JOIN accounts a ON a.id = j.account_id
            HAVING balance <> held OR escrowed_slots <> unpaid
            """)
        // A task's slots: every one opened is open, held back (adaptive redundancy), leased,
        // or holds a result not rejected.
        let slots = try db.rows(
            """
            SELECT t.id, t.results_wanted, t.open_slots, t.held_slots, t.train_count,
                (SELECT COUNT(*) FROM trains r WHERE r.task_id = t.id AND r.state <> 'rejected') AS results,
                (SELECT COUNT(*) FROM leases l WHERE l.task_id = t.id AND l.state = 'live') AS live
            FROM tasks t
            HAVING train_count <> results OR results_wanted <> open_slots + held_slots + results + live
            """)
        // Every approved result is paid by the ledger entry of its settlement and tasker.
        let payments = try db.rows(
            """
            SELECT r.settlement_id, u.account_id, SUM(r.bounty) AS earned,
                (SELECT COALESCE(SUM(e.amount), 0) FROM ledger_entries e
                  WHERE e.settlement_id = r.settlement_id AND e.to_account = u.account_id AND e.kind = 'bounty') AS paid
            FROM trains r JOIN users u ON u.id = r.tasker_id
            WHERE r.state = 'approved' AND r.settlement_id IS NOT NULL
            GROUP BY r.settlement_id, u.account_id
            HAVING earned <> paid
            """)
        return try balances.map {
            "account \(try $0["id"] as Int64): balance \(try $0["balance"] as String) but entries add up to \(try $0["derived"] as String)"
        }
            + escrows.map {
                "job \(try $0["id"] as Int64): escrow \(try $0["balance"] as String) for \(try $0["escrowed_slots"] as Int) slots (\(try $0["held"] as String)), but \(try $0["unpaid"] as Int) slots are opened and unpaid"
            }
            + slots.map {
                "task \(try $0["id"] as Int64): \(try $0["results_wanted"] as Int) slots, but \(try $0["open_slots"] as Int) open, \(try $0["held_slots"] as Int) held, \(try $0["live"] as Int) leased and \(try $0["results"] as Int) results (counted \(try $0["train_count"] as Int))"
            }
            + payments.map {
                "settlement \(try $0["settlement_id"] as Int64): approved results worth \(try $0["earned"] as String) to account \(try $0["account_id"] as Int64), but the ledger paid \(try $0["paid"] as String)"
            }
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
        settlementID = try row["settlement_id"]
        createdAt = try row["created_at"]
    }
}
