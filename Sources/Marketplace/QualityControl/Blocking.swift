import Foundation
import MariaStore

/// A requester stops taking work from a tasker, in one job or in all their jobs; the
/// marketplace does so itself when a tasker's accuracy on a job's gold images falls below
/// the job's threshold (`Assessor`). A block ends the tasker's live leases there (their
/// slots are offered again) and rejects their pending results there with its reason;
/// `tasker_cycle` hands them no more leases there.
public struct Blocking {
    let store: Store

    public init(store: Store) { self.store = store }

    /// What a block did.
    public struct Outcome: Sendable, Equatable {
        public let leasesEnded: Int
        public let resultsRejected: Int
    }

    /// The requester blocks a tasker: from the job `jobID` (which must be theirs), or from
    /// all their jobs. `reason` is shown to the tasker, with each result it rejects.
    public func block(
        taskerID: Int64, requesterID: Int64, jobID: Int64, allJobs: Bool, reason: String?, now: Date = Date()
    ) throws -> Outcome {
        _ = try store.jobs.owned(id: jobID, by: requesterID)
        let reason = try Blocking.reason(reason)
        return try block(
            taskerID: taskerID, requesterID: requesterID, allJobs ? .allJobs : .job(jobID), reason: reason, by: .requester,
            now: now)
    }

    /// The requester lifts a block of that scope.
    public func unblock(taskerID: Int64, requesterID: Int64, jobID: Int64, allJobs: Bool) throws {
        _ = try store.jobs.owned(id: jobID, by: requesterID)
        try store.taskerBlocks.unblock(taskerID: taskerID, requesterID: requesterID, allJobs ? .allJobs : .job(jobID))
    }

    /// Blocks and rejects; `by` the requester (who owns the scope) or the marketplace.
    func block(
        taskerID: Int64, requesterID: Int64, _ scope: TaskerBlocks.Scope, reason: String, by: TaskerBlocks.BlockedBy,
        now: Date
    ) throws -> Outcome {
        let ended = try store.taskerBlocks.block(
            taskerID: taskerID, requesterID: requesterID, scope, reason: reason, by: by, now: now)
        var rejected = 0
        for jobID in try store.taskerBlocks.jobsWithPending(taskerID: taskerID, requesterID: requesterID, scope) {
            rejected += try store.settlements.settle(
                jobID: jobID, requesterID: by == .requester ? requesterID : nil, .reject(reason: reason), .tasker(taskerID),
                now: now
            ).count
        }
        return Outcome(leasesEnded: ended, resultsRejected: rejected)
    }

    /// A block's reason follows the rules of a rejection's (`Review.rejection`): the
    /// tasker sees it.
    static func reason(_ text: String?) throws -> String {
        guard case .reject(let reason) = try Review.rejection(reason: text) else { return "" }
        return reason
    }
}
