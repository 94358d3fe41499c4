import Foundation

/// One call of the procedure `tasker_cycle` (sql/routines/tasker_cycle.sql), which takes a
/// lease (`Leases.take`), hands in a train (`Trains.submit`), or both in one transaction
/// (`Trains.submitAndTakeNext`). Its answer is the procedure's one row; what the outcomes
/// mean is for the caller.
struct TaskerCycle {
    let db: Connection
    let sessionHints: SessionHints?

    /// `session` is the hash of the request's session token when the caller knows the
    /// tasker from `SessionHints` rather than from reading the session: the procedure then
    /// checks it in its own transaction, and a session found ended is forgotten here and
    /// refused as `MarketError.signedOut`, with nothing changed. `lease` and `submission`
    /// are the train to hand in, if any (the lease as `Leases.toSubmit` found it, the boxes
    /// checked against it); `takeJob` the job of the lease to take, if any, held for
    /// `seconds`.
    func call(tasker: Int64, session: [UInt8]?, now: Date, seconds: Int,
              handingIn lease: Lease? = nil, _ submission: TrainSubmission? = nil, takeJob: Int64?) throws -> Row {
        let boxes = try submission.map { String(decoding: try JSONEncoder().encode($0.boxes), as: UTF8.self) }
        do {
            guard let row = try db.call("CALL tasker_cycle(?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                                        tasker, session, now, seconds,
                                        lease?.id, lease?.taskID, lease?.jobID, lease?.bounty,
                                        submission?.nothingToMark, submission?.coordinateSpace.rawValue, boxes,
                                        takeJob) else {
                throw DatabaseError.usage("tasker_cycle answered no row")
            }
            return row
        } catch let error as DatabaseError where error.isSignal && error.sqlState == "28000" {
            throw signedOut(session)
        }
    }

    /// For an answer given without calling the procedure (a train handed in again, a lease
    /// no longer live, boxes that break the job's rules): the check the procedure would
    /// have made of `session`, if any: live, and of this tasker, who may take work.
    func confirm(_ session: [UInt8]?, of tasker: Int64, now: Date) throws {
        guard let session else { return }
        guard let user = try Sessions(db: db).user(tokenHash: session, now: now), user.id == tasker,
              user.role == .tasker || user.role == .admin else { throw signedOut(session) }
    }

    private func signedOut(_ session: [UInt8]?) -> MarketError {
        if let session { sessionHints?.forget(tokenHash: session) }
        return .signedOut
    }
}
