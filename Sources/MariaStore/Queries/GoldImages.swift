import Foundation

/// A requester's gold images: images of their job with a known answer, against which the
/// answers of taskers are scored. An image becomes gold (or ordinary again) only while no
/// tasker has had it, so that no result was ever made under the other rule. On a job
/// that is open, its slots change with it in the same transaction: those it had are given
/// back to the requester, and it gets the slots of its new kind, paid into the escrow as
/// far as the budget and the requester's balance go (`Escrow.openSlots`).
public struct GoldImages {
    let db: Connection

    /// Marks the task gold with `answer` (nil: ordinary again). The caller has checked the
    /// answer against the image and the job's labels.
    public func set(_ answer: GoldAnswer?, taskID: Int64, jobID: Int64, requesterID: Int64) throws -> TaskRecord {
        try db.transaction {
            let job = try lockJob(jobID: jobID, requesterID: requesterID)
            try change(taskID: taskID, job: job, to: answer)
            try reopen(job)
            return try db.fetchOne(TaskRecord.withID(taskID))!
        }
    }

    /// Marks several tasks gold at once, all or none (an import).
    public func set(_ answers: [(taskID: Int64, answer: GoldAnswer)], jobID: Int64, requesterID: Int64) throws -> Int {
        try db.transaction {
            let job = try lockJob(jobID: jobID, requesterID: requesterID)
            for (taskID, answer) in answers { try change(taskID: taskID, job: job, to: answer) }
            try reopen(job)
            return answers.count
        }
    }

    private struct LockedJob {
        let id: Int64
        let state: JobState
        let bounty: Money
        let escrow: Int64
        let requesterAccount: Int64
    }

    private func lockJob(jobID: Int64, requesterID: Int64) throws -> LockedJob {
        guard
            let row = try db.row(
                """
                SELECT j.state, j.bounty, j.account_id, u.account_id AS requester_account FROM jobs j
                JOIN users u ON u.id = j.requester_id WHERE j.id = ? AND j.requester_id = ? FOR UPDATE
                """, jobID, requesterID)
        else { throw MarketError.notFound("job") }
        let state = JobState(rawValue: try row["state"]) ?? .draft
        guard state != .finished else {
            throw MarketError(.conflict, "job_finished", "A finished job's images cannot change.")
        }
        return LockedJob(
            id: jobID, state: state, bounty: try row["bounty"], escrow: try row["account_id"],
            requesterAccount: try row["requester_account"])
    }

    /// One task to its new kind, its paid slots given back; inside the transaction.
    private func change(taskID: Int64, job: LockedJob, to answer: GoldAnswer?) throws {
        guard
            let task = try db.row(
                "SELECT results_wanted FROM tasks WHERE id = ? AND job_id = ? FOR UPDATE", taskID, job.id)
        else { throw MarketError.notFound("image in this job") }
        guard try db.row("SELECT 1 AS had FROM leases WHERE task_id = ? LIMIT 1", taskID) == nil else {
            throw MarketError(
                .conflict, "image_worked_on",
                "A tasker has already had this image: only an image nobody has worked on can become gold or ordinary again.")
        }
        let slots: Int = try task["results_wanted"]
        try db.execute(
            """
            UPDATE tasks SET is_gold = ?, gold_answer = ?, results_wanted = 0, open_slots = 0, held_slots = 0
            WHERE id = ?
            """, answer != nil, try answer?.json(), taskID)
        guard slots > 0 else { return }
        try db.execute("UPDATE jobs SET escrowed_slots = escrowed_slots - ? WHERE id = ?", slots, job.id)
        try Ledger(db: db).move(
            .init(
                kind: .refund, amount: job.bounty * slots, from: job.escrow, to: job.requesterAccount, jobID: job.id,
                memo: "an image's slots changed with its kind"))
    }

    /// An open job's images get the slots of their kind again.
    private func reopen(_ job: LockedJob) throws {
        guard job.state != .draft else { return }
        try Escrow(db: db).openSlots(jobID: job.id, requesterAccount: job.requesterAccount, upToBalance: true)
    }
}
