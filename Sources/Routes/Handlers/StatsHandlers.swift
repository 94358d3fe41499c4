import Foundation
import MariaStore

/// `GET /api/jobs/{jobId}/stats`: how a job is going, for its requester only (404 for
/// anyone else's job, 403 for a tasker).
enum StatsHandlers {
    static func show(_ context: RequestContext) throws -> Response {
        let requester = try context.require(.requester)
        let job = try context.store.jobs.owned(id: try context.id("jobId"), by: requester.id)
        return try .json(JobStatsView(job, try context.store.stats.job(job)))
    }
}

/// ```json
/// {"jobId": 12, "imagesFinished": 3, "imageCount": 5, "trainCount": 11,
///  "budget": "10.00", "budgetLeft": "9.45", "spent": "0.55", "reserved": "0.05",
///  "trainsPerHour": [{"hour": "2026-11-26T15:00:00Z", "count": 3}],
///  "taskerCount": 2, "taskers": [{"taskerId": 7, "screenName": "ann", "trains": 6, "earned": "0.30"}]}
/// ```
/// `budgetLeft` is the escrow still held, `reserved` the part of it held for results pending
/// review, `spent` the bounties paid (approved results); `trainsPerHour` covers the last 7 days (hours with trains);
/// `taskers` lists the 1000 taskers with the most trains, `taskerCount` all of them.
struct JobStatsView: Encodable {
    struct Hour: Encodable {
        let hour: Date
        let count: Int
    }

    struct Tasker: Encodable {
        let taskerId: Int64
        let screenName: String
        let trains: Int
        let earned: Money
    }

    let jobId: Int64
    let imagesFinished: Int
    let imageCount: Int
    let trainCount: Int
    let budget: Money
    let budgetLeft: Money
    let spent: Money
    let reserved: Money
    let trainsPerHour: [Hour]
    let taskerCount: Int
    let taskers: [Tasker]

    init(_ job: Job, _ stats: JobStats) {
        jobId = job.id
        imagesFinished = stats.imagesFinished
        imageCount = job.imageCount
        trainCount = job.trainCount
        budget = job.budget
        budgetLeft = job.budgetLeft
        spent = stats.spent
        reserved = job.bounty * job.pendingCount
        trainsPerHour = stats.trainsPerHour.map { Hour(hour: $0.hour, count: $0.count) }
        taskerCount = stats.taskerCount
        taskers = stats.taskers.map {
            Tasker(taskerId: $0.taskerID, screenName: $0.screenName, trains: $0.trains, earned: $0.earned)
        }
    }
}
