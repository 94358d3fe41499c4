import Foundation
import MariaStore

/// A requester reviews the results of their job: approve (the bounty is paid) or reject with
/// a reason the tasker sees (the slot is offered again), over a selection of pending results,
/// previewed before it is made. Results whose review window ran out are approved by the
/// worker (`approveDue`). The money and the states move in `Settlements`; the rules of a
/// decision are here.
public struct Review {
    let store: Store

    public init(store: Store) { self.store = store }

    /// A rejection's reason is plain text of at most this many characters.
    public static let maxReasonLength = 500
    /// A decision names at most this many results.
    public static let maxNamedResults = 10_000

    /// A rejection with `reason`, which must say something: the tasker sees it.
    public static func rejection(reason: String?) throws -> Settlements.Decision {
        let reason = (reason ?? "").trimmingCharacters(in: .whitespacesAndNewlines)
        guard !reason.isEmpty else {
            throw MarketError(.invalid, "reason_required", "A rejection needs a reason: the tasker sees it.")
        }
        guard reason.unicodeScalars.count <= maxReasonLength, TextRules.hasNoControls(reason, allowingLineBreaks: true) else {
            throw MarketError(
                .invalid, "invalid_reason", "The reason is plain text of at most \(maxReasonLength) characters.")
        }
        return .reject(reason: reason)
    }

    /// The job's results by state and by tasker. `requesterID` must own the job.
    public func summary(jobID: Int64, requesterID: Int64) throws -> ReviewSummary {
        try store.settlements.summary(jobID: jobID, requesterID: requesterID)
    }

    /// What `decide` would do now, changing nothing.
    public func preview(
        jobID: Int64, requesterID: Int64, _ decision: Settlements.Decision, _ selection: Settlements.Selection
    ) throws -> Settlements.Outcome {
        try store.settlements.preview(jobID: jobID, requesterID: requesterID, decision, selection)
    }

    /// Decides the selected pending results of the requester's job. Results named by id of
    /// which none is pending any more are a conflict (`already_settled`): someone decided
    /// them first.
    public func decide(
        jobID: Int64, requesterID: Int64, _ decision: Settlements.Decision, _ selection: Settlements.Selection,
        now: Date = Date()
    ) throws -> Settlements.Outcome {
        let outcome = try store.settlements.settle(jobID: jobID, requesterID: requesterID, decision, selection, now: now)
        if case .results = selection, outcome.count == 0 {
            throw MarketError(.conflict, "already_settled", "None of these results is pending review any more.")
        }
        return outcome
    }

    /// Approves, for every job, the pending results older than its review window. Returns
    /// how many. Each job on its own, so that one that fails does not hold up the others
    /// (its error is thrown after the rest are done).
    @discardableResult
    public func approveDue(now: Date = Date()) throws -> Int {
        var approved = 0
        var failure: Error?
        for (jobID, cutoff) in try store.settlements.dueForApproval(now: now) {
            do {
                approved += try store.settlements.settle(
                    jobID: jobID, requesterID: nil, .autoApprove, .handedInBefore(cutoff), now: now
                ).count
            } catch {
                failure = failure ?? error
            }
        }
        if let failure { throw failure }
        return approved
    }
}
