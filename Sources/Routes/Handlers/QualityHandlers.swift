import Foundation
import MariaStore
import Marketplace

/// What a requester sees of quality control: an image's consensus, each tasker's accuracy
/// and agreement in a job, and blocks; and what a tasker sees of their own accuracy.
enum QualityHandlers {
    /// `GET /api/jobs/{jobId}/tasks/{taskId}/consensus`: the consensus as it stands now.
    static func consensus(_ context: RequestContext) throws -> Response {
        let requester = try context.require(.requester)
        let job = try context.store.jobs.owned(id: try context.id("jobId"), by: requester.id)
        guard let task = try context.store.tasks.find(id: try context.id("taskId")), task.jobID == job.id else {
            throw APIError.notFound("No such image in this job.")
        }
        let (results, consensus) = try Assessor(store: context.store).consensus(of: task)
        return try .json(ConsensusView(task: task, results: results, consensus: consensus))
    }

    /// `GET /api/jobs/{jobId}/taskers`.
    static func taskers(_ context: RequestContext) throws -> Response {
        let requester = try context.require(.requester)
        let job = try context.store.jobs.owned(id: try context.id("jobId"), by: requester.id)
        return try .json(ItemsView(items: try context.store.qualityFigures.taskers(jobID: job.id).map(TaskerQualityView.init)))
    }

    /// `POST /api/jobs/{jobId}/taskers/{taskerId}/block`: `{"reason": "...", "allJobs": false}`.
    struct BlockInput: Decodable {
        let reason: String?
        let allJobs: Bool?
    }

    static func block(_ context: RequestContext) throws -> Response {
        let requester = try context.require(.requester)
        let input = try context.decode(BlockInput.self)
        let outcome = try Blocking(store: context.store).block(
            taskerID: try context.id("taskerId"), requesterID: requester.id, jobID: try context.id("jobId"),
            allJobs: input.allJobs ?? false, reason: input.reason)
        return try .json(
            BlockView(allJobs: input.allJobs ?? false, leasesEnded: outcome.leasesEnded, resultsRejected: outcome.resultsRejected)
        )
    }

    /// `DELETE /api/jobs/{jobId}/taskers/{taskerId}/block[?allJobs=true]`.
    static func unblock(_ context: RequestContext) throws -> Response {
        let requester = try context.require(.requester)
        try Blocking(store: context.store).unblock(
            taskerID: try context.id("taskerId"), requesterID: requester.id, jobID: try context.id("jobId"),
            allJobs: try context.flag("allJobs"))
        return .noContent
    }

    /// `GET /api/me/accuracy`: the tasker's accuracy on gold images, and the checks they failed.
    static func myAccuracy(_ context: RequestContext) throws -> Response {
        let tasker = try context.require(.tasker)
        return try .json(MyAccuracyView(try context.store.qualityFigures.ofTasker(tasker.id)))
    }
}
