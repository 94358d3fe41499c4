import Foundation

/// Review: a job's pending results are approved, which pays each bounty from the job's
/// escrow to its tasker, or rejected with a reason, which moves no money and offers the
/// result's slot again (after the job is finished, when no slot can be used any more, the
/// bounty goes back to the requester instead). The worker approves the results that waited
/// longer than the job's `autoApproveAfterHours` (`dueForApproval`, Marketplace's `Review`).
///
/// Each decision is set-based: a few statements for any number of results, in
/// transactions of at most `chunk` results, each recorded as one row of `settlements`
/// that its results and its ledger entries (one per tasker) name. Only a pending result
/// changes, under its row lock: of an approval, a rejection and the auto-approval racing
/// for one result exactly one wins, and money moves once.
///
/// Locks, in this order: the job's row, the results, their tasks (a rejection), the
/// accounts. READ COMMITTED, so that taskers handing in results meanwhile are not held up
/// by locks on the gaps between the rows decided.
public struct Settlements {
    let db: Connection

    /// Which of a job's pending results a decision is about.
    public enum Selection: Sendable, Equatable {
        /// These results (of the job; those no longer pending are skipped).
        case results([Int64])
        /// Everything pending of one tasker.
        case tasker(Int64)
        /// Everything pending.
        case allPending
        /// Everything pending handed in at or before this time (the auto-approval).
        case handedInBefore(Date)
    }

    public enum Decision: Sendable, Equatable {
        case approve
        case reject(reason: String)
        /// The worker's approval when the review window ran out.
        case autoApprove

        var action: String {
            switch self {
            case .approve: return "approve"
            case .reject: return "reject"
            case .autoApprove: return "auto_approve"
            }
        }
    }

    /// What a decision did, or would do (`preview`).
    public struct Outcome: Sendable, Equatable {
        /// Results decided.
        public var count: Int
        /// Paid to taskers (an approval), or given back to the requester (a rejection after
        /// the job is finished).
        public var amount: Money
        /// Named results that were not pending.
        public var skipped: Int
    }

    /// Results per transaction.
    public static let chunk = 25_000

    /// What `settle` would do now, changing nothing. `requesterID` must own the job.
    public func preview(jobID: Int64, requesterID: Int64, _ decision: Decision, _ selection: Selection) throws -> Outcome {
        let job = try owned(jobID: jobID, requesterID: requesterID)
        try checkNamed(selection, jobID: jobID)
        let filter = Settlements.filter(selection)
        let row = try db.rows(
            """
            SELECT COUNT(*) AS n, COALESCE(SUM(r.bounty), 0) AS amount FROM trains r
            WHERE r.job_id = ? AND r.state = 'pending' AND \(filter.sql)
            """, arguments: [jobID] + filter.arguments
        ).first
        let count: Int = try row?["n"] ?? 0
        let amount: Money = try row?["amount"] ?? .zero
        return Outcome(
            count: count, amount: Settlements.moves(decision, amount, finished: job.finished),
            skipped: Settlements.skipped(selection, decided: count))
    }

    /// Decides the selected pending results of a job. `requesterID` must own the job (nil:
    /// the worker's own auto-approval).
    public func settle(
        jobID: Int64, requesterID: Int64?, _ decision: Decision, _ selection: Selection,
        now: Date = Date()
    ) throws -> Outcome {
        if let requesterID { _ = try owned(jobID: jobID, requesterID: requesterID) }
        try checkNamed(selection, jobID: jobID)
        var total = Outcome(count: 0, amount: .zero, skipped: 0)
        while true {
            let done = try db.transaction(isolation: .readCommitted) {
                try settleChunk(jobID: jobID, by: requesterID, decision, selection, now: now)
            }
            total.count += done.count
            total.amount = total.amount + done.amount
            if done.count < Settlements.chunk { break }
        }
        total.skipped = Settlements.skipped(selection, decided: total.count)
        return total
    }

    /// The jobs with pending results older than their review window, each with the time a
    /// result must have been handed in by to be due (`Selection.handedInBefore`).
    public func dueForApproval(now: Date = Date()) throws -> [(jobID: Int64, cutoff: Date)] {
        try db.rows(
            """
            SELECT j.id, TIMESTAMPADD(HOUR, -j.auto_approve_after_hours, ?) AS cutoff FROM jobs j
            WHERE j.state <> 'draft'
              AND EXISTS (SELECT 1 FROM trains r WHERE r.job_id = j.id AND r.state = 'pending'
                            AND r.created_at <= TIMESTAMPADD(HOUR, -j.auto_approve_after_hours, ?))
            """, now, now
        ).map { (try $0["id"], try $0["cutoff"]) }
    }

    /// The job's results by state and by tasker. `requesterID` must own the job.
    public func summary(jobID: Int64, requesterID: Int64) throws -> ReviewSummary {
        guard
            let job = try db.row(
                "SELECT auto_approve_after_hours FROM jobs WHERE id = ? AND requester_id = ?",
                jobID, requesterID)
        else { throw MarketError.notFound("job") }
        var byState: [ResultState: ReviewSummary.Figure] = [:]
        for row in try db.rows(
            """
            SELECT state, COUNT(*) AS n, SUM(bounty) AS amount FROM trains WHERE job_id = ? GROUP BY state
            """, jobID)
        {
            guard let state = ResultState(rawValue: try row["state"]) else { continue }
            byState[state] = .init(count: try row["n"], amount: try row["amount"])
        }
        let taskers = try db.rows(
            """
            SELECT r.tasker_id, u.screen_name,
                   SUM(r.state = 'pending') AS pending, SUM(r.state = 'approved') AS approved,
                   SUM(r.state = 'rejected') AS rejected, SUM(IF(r.state = 'pending', r.bounty, 0)) AS pending_amount
            FROM trains r JOIN users u ON u.id = r.tasker_id
            WHERE r.job_id = ? GROUP BY r.tasker_id, u.screen_name
            ORDER BY pending DESC, r.tasker_id LIMIT ?
            """, jobID, Settlements.taskerLimit
        ).map { row in
            ReviewSummary.Tasker(
                taskerID: try row["tasker_id"], taskerName: try row["screen_name"],
                pending: try row["pending"], approved: try row["approved"],
                rejected: try row["rejected"], pendingAmount: try row["pending_amount"])
        }
        return ReviewSummary(
            jobID: jobID, autoApproveAfterHours: try job["auto_approve_after_hours"],
            byState: byState, taskers: taskers)
    }

    public static let taskerLimit = 1000

    // MARK: One transaction

    private func settleChunk(
        jobID: Int64, by requesterID: Int64?, _ decision: Decision, _ selection: Selection,
        now: Date
    ) throws -> Outcome {
        guard
            let job = try db.row(
                """
                SELECT j.state, j.account_id, u.account_id AS requester_account FROM jobs j
                JOIN users u ON u.id = j.requester_id WHERE j.id = ? FOR UPDATE
                """, jobID)
        else { throw MarketError.notFound("job") }
        let escrow: Int64 = try job["account_id"]
        let finished = try job["state"] as String == JobState.finished.rawValue
        var reason: String? = nil
        if case .reject(let text) = decision { reason = text }
        let settlement = try db.execute(
            """
            INSERT INTO settlements (job_id, action, decided_by, reason, result_count, amount, created_at)
            VALUES (?, ?, ?, ?, 0, 0, ?)
            """, jobID, decision.action, requesterID, reason, now
        ).lastInsertID
        let filter = Settlements.filter(selection)
        let state: ResultState = reason == nil ? .approved : .rejected
        let count = try db.execute(
            """
            UPDATE trains r SET r.state = ?, r.reject_reason = ?, r.settled_at = ?, r.settlement_id = ?
            WHERE r.job_id = ? AND r.state = 'pending' AND \(filter.sql)
            ORDER BY r.id LIMIT ?
            """, arguments: [state.rawValue, reason, now, settlement, jobID] + filter.arguments + [Settlements.chunk]
        ).affectedRows
        guard count > 0 else {
            try db.execute("DELETE FROM settlements WHERE id = ?", settlement)
            return Outcome(count: 0, amount: .zero, skipped: 0)
        }
        let amount: Money =
            try db.row(
                "SELECT SUM(bounty) AS amount FROM trains WHERE settlement_id = ?",
                settlement)?["amount"] ?? .zero
        let moved: Money
        switch state {
        case .approved:
            try pay(settlement: settlement, amount: amount, from: escrow, jobID: jobID)
            try db.execute("UPDATE jobs SET escrowed_slots = escrowed_slots - ? WHERE id = ?", count, jobID)
            moved = amount
        case .rejected where finished:
            // No slot can use these bounties any more.
            try db.execute(
                """
                UPDATE tasks t JOIN (SELECT task_id, COUNT(*) AS n FROM trains WHERE settlement_id = ? GROUP BY task_id) g
                    ON g.task_id = t.id
                SET t.train_count = t.train_count - g.n, t.results_wanted = t.results_wanted - g.n
                """, settlement)
            try db.execute("UPDATE jobs SET escrowed_slots = escrowed_slots - ? WHERE id = ?", count, jobID)
            try Ledger(db: db).move(
                .init(
                    kind: .refund, amount: amount, from: escrow,
                    to: try job["requester_account"], jobID: jobID,
                    settlementID: settlement, memo: "rejected after the job finished"))
            moved = amount
        default:
            // The slots are offered again, paid for by the same escrow.
            try db.execute(
                """
                UPDATE tasks t JOIN (SELECT task_id, COUNT(*) AS n FROM trains WHERE settlement_id = ? GROUP BY task_id) g
                    ON g.task_id = t.id
                SET t.train_count = t.train_count - g.n, t.open_slots = t.open_slots + g.n
                """, settlement)
            moved = .zero
        }
        try db.execute("UPDATE settlements SET result_count = ?, amount = ? WHERE id = ?", count, moved, settlement)
        return Outcome(count: count, amount: moved, skipped: 0)
    }

    /// Pays the approved results of a settlement: the escrow is debited once, each tasker
    /// credited once, and each tasker's credit is one ledger entry naming the settlement.
    /// The balances change before the entries are written (see `Ledger.move`).
    private func pay(settlement: Int64, amount: Money, from escrow: Int64, jobID: Int64) throws {
        let debited = try db.execute(
            "UPDATE accounts SET balance = balance - ? WHERE id = ? AND balance >= ?",
            amount, escrow, amount
        ).affectedRows
        guard debited == 1 else { throw MarketError.insufficientBalance }
        try db.execute(
            """
            UPDATE accounts a JOIN (SELECT u.account_id, SUM(r.bounty) AS earned FROM trains r
                                      JOIN users u ON u.id = r.tasker_id
                                     WHERE r.settlement_id = ? GROUP BY u.account_id) p ON p.account_id = a.id
            SET a.balance = a.balance + p.earned
            """, settlement)
        try db.execute(
            """
            INSERT INTO ledger_entries (kind, amount, from_account, to_account, job_id, settlement_id)
            SELECT 'bounty', SUM(r.bounty), ?, u.account_id, ?, ? FROM trains r JOIN users u ON u.id = r.tasker_id
             WHERE r.settlement_id = ? GROUP BY u.account_id
            """, escrow, jobID, settlement, settlement)
    }

    // MARK: Selections

    /// The selection as a condition on `trains r`, and its arguments. The named results go
    /// as one JSON array, so that one prepared statement serves any number of them.
    private static func filter(_ selection: Selection) -> (sql: String, arguments: [DatabaseValueConvertible?]) {
        switch selection {
        case .results(let ids):
            return (
                "r.id IN (\(IDList.rows))", [IDList.json(ids)]
            )
        case .tasker(let tasker): return ("r.tasker_id = ?", [tasker])
        case .allPending: return ("1 = 1", [])
        case .handedInBefore(let cutoff): return ("r.created_at <= ?", [cutoff])
        }
    }

    /// The named results that were not pending; none for the other selections.
    private static func skipped(_ selection: Selection, decided: Int) -> Int {
        if case .results(let ids) = selection { return Set(ids).count - decided }
        return 0
    }

    /// Named results must all be the job's: one that is not is `not_found`, and nothing changes.
    private func checkNamed(_ selection: Selection, jobID: Int64) throws {
        guard case .results(let ids) = selection else { return }
        let filter = Settlements.filter(selection)
        let found: Int =
            try db.rows(
                "SELECT COUNT(*) AS n FROM trains r WHERE r.job_id = ? AND \(filter.sql)",
                arguments: [jobID] + filter.arguments
            ).first?["n"] ?? 0
        guard found == Set(ids).count else { throw MarketError.notFound("result in this job") }
    }

    private static func moves(_ decision: Decision, _ amount: Money, finished: Bool) -> Money {
        if case .reject = decision, !finished { return .zero }
        return amount
    }

    private func owned(jobID: Int64, requesterID: Int64) throws -> (id: Int64, finished: Bool) {
        guard let row = try db.row("SELECT state FROM jobs WHERE id = ? AND requester_id = ?", jobID, requesterID)
        else { throw MarketError.notFound("job") }
        return (jobID, try row["state"] as String == JobState.finished.rawValue)
    }
}
