import Foundation
import MariaStore
import Marketplace

/// The requester reviews the results of a job: a summary by state and by tasker, and
/// decisions (approve, or reject with a reason) over a selection of pending results,
/// previewed before they are made.
enum ReviewHandlers {
    /// `POST /api/jobs/{jobId}/review`.
    struct DecisionInput: Decodable {
        let action: String
        let reason: String?
        let trainIds: [Int64]?
        let taskerId: Int64?
        let state: String?
        let preview: Bool?
    }

    static func summary(_ context: RequestContext) throws -> Response {
        let requester = try context.require(.requester)
        let summary = try context.review.summary(jobID: try context.id("jobId"), requesterID: requester.id)
        return try .json(ReviewSummaryView(summary))
    }

    static func decide(_ context: RequestContext) throws -> Response {
        let requester = try context.require(.requester)
        let jobID = try context.id("jobId")
        let input = try context.decode(DecisionInput.self)
        let decision = try decision(input)
        let selection = try selection(input)
        if input.preview ?? false {
            let outcome = try context.review.preview(jobID: jobID, requesterID: requester.id, decision, selection)
            return try .json(DecisionView(action: input.action, preview: true, outcome))
        }
        let outcome = try context.review.decide(jobID: jobID, requesterID: requester.id, decision, selection)
        return try .json(DecisionView(action: input.action, preview: false, outcome))
    }

    private static func decision(_ input: DecisionInput) throws -> Settlements.Decision {
        switch input.action {
        case "approve":
            return .approve
        case "reject":
            return try Review.rejection(reason: input.reason)
        default:
            throw APIError.badRequest("action must be \"approve\" or \"reject\".")
        }
    }

    /// Exactly one of: `trainIds`, `taskerId` (everything pending of that tasker), `state:
    /// "pending"` (everything pending in the job).
    private static func selection(_ input: DecisionInput) throws -> Settlements.Selection {
        let given = [input.trainIds != nil, input.taskerId != nil, input.state != nil].filter { $0 }.count
        guard given == 1 else {
            throw APIError.badRequest("Choose the results with exactly one of trainIds, taskerId or state.")
        }
        if let ids = input.trainIds {
            guard (1...Review.maxNamedResults).contains(ids.count), ids.allSatisfy({ $0 > 0 }) else {
                throw APIError.badRequest("trainIds holds 1 to \(Review.maxNamedResults) result ids.")
            }
            return .results(ids)
        }
        if let tasker = input.taskerId {
            guard tasker > 0 else { throw APIError.badRequest("taskerId must be a positive number.") }
            return .tasker(tasker)
        }
        guard input.state == ResultState.pending.rawValue else {
            throw APIError.badRequest("state must be \"pending\": only pending results can be decided.")
        }
        return .allPending
    }
}
