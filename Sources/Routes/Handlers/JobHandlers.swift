import Foundation
import MariaStore

/// Requesters' jobs, and the list of open jobs taskers choose from.
enum JobHandlers {
    static func create(_ context: RequestContext) throws -> Response {
        let requester = try context.require(.requester)
        let draft = try context.decode(JobInput.self).draft(over: nil)
        return try .json(JobView(try context.store.jobs.create(requesterID: requester.id, draft)), status: 201)
    }

    static func list(_ context: RequestContext) throws -> Response {
        let requester = try context.require(.requester)
        let (page, perPage) = try context.paging()
        return try .json(
            PageView(try context.store.jobs.list(requesterID: requester.id, page: page, perPage: perPage)) { JobView($0) })
    }

    /// The owner sees everything; a tasker sees an open job without its budget.
    static func show(_ context: RequestContext) throws -> Response {
        let user = try context.requireUser()
        let id = try context.id("jobId")
        guard let job = try context.store.jobs.find(id: id) else { throw APIError.notFound("No such job.") }
        if job.requesterID == user.id || user.role == .admin { return try .json(JobView(job)) }
        guard user.role == .tasker, job.state == .active else { throw APIError.notFound("No such job.") }
        return try .json(JobView(job, forTasker: try context.store.jobs.tasksLeft(jobID: id, taskerID: user.id)))
    }

    static func update(_ context: RequestContext) throws -> Response {
        let requester = try context.require(.requester)
        let id = try context.id("jobId")
        let job = try context.store.jobs.owned(id: id, by: requester.id)
        let draft = try context.decode(JobInput.self).draft(over: job)
        return try .json(JobView(try context.store.jobs.update(id: id, requesterID: requester.id, draft)))
    }

    static func activate(_ context: RequestContext) throws -> Response {
        try change(context) { try $0.activate(id: $1, requesterID: $2) }
    }
    static func pause(_ context: RequestContext) throws -> Response {
        try change(context) { try $0.pause(id: $1, requesterID: $2) }
    }
    static func resume(_ context: RequestContext) throws -> Response {
        try change(context) { try $0.resume(id: $1, requesterID: $2) }
    }
    static func finish(_ context: RequestContext) throws -> Response {
        try change(context) { try $0.finish(id: $1, requesterID: $2) }
    }

    private static func change(_ context: RequestContext, _ transition: (Jobs, Int64, Int64) throws -> Job) throws -> Response {
        let requester = try context.require(.requester)
        return try .json(JobView(try transition(context.store.jobs, try context.id("jobId"), requester.id)))
    }

    /// `POST /api/jobs/{jobId}/top-up`: `{"amount": "5.00"}` (optional) is added to the
    /// budget, then the slots it pays for open.
    static func topUp(_ context: RequestContext) throws -> Response {
        struct Input: Decodable { let amount: Money? }
        let requester = try context.require(.requester)
        let id = try context.id("jobId")
        let amount = context.request.body.isEmpty ? .zero : (try context.decode(Input.self).amount ?? .zero)
        guard amount >= .zero else { throw APIError.invalid("amount must be 0.00 or more.") }
        let (job, slots, charged) = try context.store.jobs.topUp(id: id, requesterID: requester.id, amount: amount)
        return try .json(TopUpView(slotsOpened: slots, charged: charged, job: JobView(job)))
    }

    /// `GET /api/open-jobs?sort=-bounty|bounty|newest&label=NAME`.
    static func openJobs(_ context: RequestContext) throws -> Response {
        let tasker = try context.require(.tasker)
        let order = try context.choice("sort", as: Jobs.OpenJobOrder.self) ?? .bountyDescending
        let label = context.request.query["label"].flatMap { $0.isEmpty ? nil : $0 }
        let open = try context.store.jobs.open(for: tasker.id, order: order, label: label)
        return try .json(ItemsView(items: open.map { JobView($0.job, forTasker: $0.imagesLeftForMe) }))
    }
}
