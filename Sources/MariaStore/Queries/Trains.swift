import Foundation

/// Results: what taskers handed in, read by result, lease, task, job or tasker. A result is
/// stored by the tasker cycle (`TaskerCycle`) and decided by review (`Settlements`).
public struct Trains {
    let db: Connection

    public func find(id: Int64) throws -> Train? {
        try TrainRequest(.id(id)).fetchAll(db).first
    }

    public func find(leaseID: Int64) throws -> Train? {
        try TrainRequest(.lease(leaseID)).fetchAll(db).first
    }

    /// The trains of one task, oldest first.
    public func list(taskID: Int64) throws -> [Train] {
        try TrainRequest(.task(taskID)).fetchAll(db)
    }

    /// One page of a job's trains, oldest first; only those in `state`, or of one tasker,
    /// when given.
    public func list(
        jobID: Int64, state: ResultState? = nil, taskerID: Int64? = nil,
        page: Int, perPage: Int
    ) throws -> Page<Train> {
        try self.page(.job(jobID, state: state, tasker: taskerID), page: page, perPage: perPage)
    }

    /// One page of a tasker's own results, newest first; only those in `state` when given.
    public func history(taskerID: Int64, state: ResultState?, page: Int, perPage: Int) throws -> Page<Train> {
        try self.page(.tasker(taskerID, state: state), page: page, perPage: perPage)
    }

    /// The first train of every task of a job that has one, in task order (the legacy
    /// protocol's GetTasksPerJob): two queries, whatever the number of tasks.
    public func firstPerTask(jobID: Int64) throws -> [Train] {
        try TrainRequest(.firstPerTask(job: jobID)).fetchAll(db)
    }

    private func page(_ filter: TrainRequest.Filter, page: Int, perPage: Int) throws -> Page<Train> {
        let request = TrainRequest(filter, page: (perPage, (page - 1) * perPage))
        return Page(items: try request.fetchAll(db), page: page, perPage: perPage, total: try request.fetchCount(db))
    }
}

extension Trains {
    /// A tasker's earnings: the account's balance and the results by review state (index
    /// trains_tasker_state).
    public func earnings(of tasker: User) throws -> Earnings {
        var figures: [ResultState: (count: Int, amount: Money)] = [:]
        for row in try db.rows(
            """
            SELECT state, COUNT(*) AS n, SUM(bounty) AS amount FROM trains WHERE tasker_id = ? GROUP BY state
            """, tasker.id)
        {
            guard let state = ResultState(rawValue: try row["state"]) else { continue }
            figures[state] = (try row["n"], try row["amount"])
        }
        let balance: Money = try db.row("SELECT balance FROM accounts WHERE id = ?", tasker.accountID)?["balance"] ?? .zero
        func figure(_ state: ResultState) -> (count: Int, amount: Money) { figures[state] ?? (0, .zero) }
        return Earnings(
            available: balance,
            pending: figure(.pending).amount, pendingCount: figure(.pending).count,
            approved: figure(.approved).amount, approvedCount: figure(.approved).count,
            rejected: figure(.rejected).amount, rejectedCount: figure(.rejected).count)
    }
}
