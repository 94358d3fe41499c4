import Foundation

/// A job's escrow pays for work when it is opened, not when it is done: a slot (one
/// result of one image) is opened only with its bounty moved from the requester into the
/// escrow, so the escrow always holds `bounty x escrowed_slots`, and taking and handing
/// in work move no money. `Settlements` pays the slots' results out of it; finishing the
/// job gives back what no slot can use any more.
///
/// Each function runs inside the caller's transaction, with the job's row locked.
struct Escrow {
    let db: Connection

    /// What a top-up opened and what it charged the requester.
    struct Opened {
        let slots: Int
        let charged: Money
    }

    /// Opens the job's slots that are not paid for yet, the lowest-numbered images first
    /// and each up to the job's results per image, as many as the budget allows; with
    /// `upToBalance`, no more than the requester's balance covers either (images added to an
    /// open job), otherwise a balance short of the cost is `insufficient_balance`.
    @discardableResult
    func openSlots(jobID: Int64, requesterAccount: Int64, upToBalance: Bool) throws -> Opened {
        guard let job = try Jobs(db: db).find(id: jobID) else { throw MarketError.notFound("job") }
        let balance: Money = try db.row("SELECT balance FROM accounts WHERE id = ?", requesterAccount)?["balance"] ?? .zero
        let room = Int(job.budget.cents / job.bounty.cents) - job.slotsFunded
        var slots = min(job.unfundedSlots, max(0, room))
        if upToBalance { slots = min(slots, Int(balance.cents / job.bounty.cents)) }
        guard slots > 0 else { return Opened(slots: 0, charged: .zero) }
        let cost = job.bounty * slots
        guard balance >= cost else {
            throw MarketError(
                .invalid, "insufficient_balance",
                "Your balance (\(balance)) does not cover the \(cost) that \(slots) results at \(job.bounty) cost.")
        }
        try Ledger(db: db).move(
            .init(
                kind: .escrow, amount: cost, from: requesterAccount,
                to: job.accountID, jobID: jobID))
        // Each task short of its slots (its results per image; a gold image its gold answers)
        // gets what is left of `slots` after the tasks before it. Of those, an ordinary image
        // offers taskers up to the job's first results per image (adaptive redundancy) and
        // holds the rest until its results disagree (`held_slots`).
        let perImage = job.resultsPerImage
        let perGold = job.quality.goldAnswersPerImage
        try db.execute(
            """
            UPDATE tasks t
              JOIN (SELECT id, opened, LEAST(opened, GREATEST(0, offer - (results_wanted - held_slots))) AS offered
                      FROM (SELECT id, results_wanted, held_slots, offer,
                                   LEAST(target - results_wanted,
                                         ? - (SUM(target - results_wanted) OVER (ORDER BY id) - (target - results_wanted))) AS opened
                              FROM (SELECT id, results_wanted, held_slots, IF(is_gold, ?, ?) AS target, IF(is_gold, ?, ?) AS offer
                                      FROM tasks WHERE job_id = ?) x
                             WHERE results_wanted < target) y
                     WHERE opened > 0) g ON g.id = t.id
            SET t.open_slots = t.open_slots + g.offered,
                t.held_slots = t.held_slots + g.opened - g.offered,
                t.results_wanted = t.results_wanted + g.opened
            """, slots, perGold, perImage, perGold, job.quality.firstOffered(resultsPerImage: perImage), jobID)
        try db.execute("UPDATE jobs SET escrowed_slots = escrowed_slots + ? WHERE id = ?", slots, jobID)
        return Opened(slots: slots, charged: cost)
    }

    /// Closes every slot of a finished job that holds no result, and gives the requester
    /// back what the escrow held for them; the bounties of pending results stay until those
    /// are settled. The job's live leases must have ended first. Returns the refund.
    @discardableResult
    func closeSlots(jobID: Int64, requesterAccount: Int64) throws -> Money {
        try db.execute("UPDATE tasks SET results_wanted = train_count, open_slots = 0, held_slots = 0 WHERE job_id = ?", jobID)
        try db.execute(
            """
            UPDATE jobs j SET j.escrowed_slots = (SELECT COUNT(*) FROM trains r WHERE r.job_id = j.id AND r.state = 'pending')
            WHERE j.id = ?
            """, jobID)
        guard
            let row = try db.row(
                """
                SELECT a.id, a.balance - j.bounty * j.escrowed_slots AS surplus FROM jobs j
                JOIN accounts a ON a.id = j.account_id WHERE j.id = ?
                """, jobID)
        else { throw MarketError.notFound("job") }
        let surplus: Money = try row["surplus"]
        if surplus > .zero {
            try Ledger(db: db).move(
                .init(
                    kind: .refund, amount: surplus, from: try row["id"], to: requesterAccount,
                    jobID: jobID))
        }
        return surplus
    }
}
