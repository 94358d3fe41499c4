import Foundation
import MariaStore

/// Jobs in the original protocol: the lists, and PublishJob1 / PublishJob2 / UpdateJob
/// through the same store calls and rules as `/api/jobs` (a job is found by its `Name`
/// among the caller's own jobs; names are unique per requester).
enum LegacyJobCommands {
    /// Jobs the caller can work on now: a tasker's open jobs (as `GET /api/open-jobs`), a
    /// requester's own active jobs, every active job for an admin.
    static func activeJobs(_ request: LegacyRequest) throws -> LegacyReply {
        let user = try request.caller()
        let jobs: [Job]
        switch user.role {
        case .tasker: jobs = try request.store.jobs.open(for: user.id).map(\.job)
        case .requester: jobs = try ownJobs(of: user, request.store).filter { $0.state == .active }
        case .admin: jobs = try request.store.jobs.all().filter { $0.state == .active }
        }
        return try .json(jobs.map { LegacyJobRecord($0, for: user) })
    }

    /// The requester's own jobs, in every state.
    static func userJobs(_ request: LegacyRequest) throws -> LegacyReply {
        let requester = try request.requester()
        return try .json(try ownJobs(of: requester, request.store).map { LegacyJobRecord($0, for: requester) })
    }

    /// Every job for an admin; anyone else gets the jobs they may see: a requester their
    /// own, a tasker the open ones. Nobody sees another requester's drafts.
    static func allJobs(_ request: LegacyRequest) throws -> LegacyReply {
        let user = try request.caller()
        switch user.role {
        case .admin: return try .json(try request.store.jobs.all().map { LegacyJobRecord($0, for: user) })
        case .requester: return try userJobs(request)
        case .tasker: return try activeJobs(request)
        }
    }

    /// Creates the job as a draft (images come next, then PublishJob2).
    static func publishJob1(_ request: LegacyRequest) throws -> LegacyReply {
        let requester = try request.requester()
        let fields = try request.fields()
        let name = try jobName(request, fields)
        if try request.store.jobs.find(requesterID: requester.id, name: name) != nil {
            throw MarketError(.conflict, "name_taken", "Job name, \(name) already in use.")
        }
        let draft = try input(fields, name: name, creating: true).draft(over: nil)
        return try .json(LegacyJobRecord(try request.store.jobs.create(requesterID: requester.id, draft), for: requester))
    }

    /// Creates or updates the job by name and opens it for work: its images (each one a
    /// task since its upload) are handed out, and a draft's budget moves into escrow.
    /// When the balance does not cover the budget, nothing changes.
    static func publishJob2(_ request: LegacyRequest) throws -> LegacyReply {
        let requester = try request.requester()
        let fields = try request.fields()
        let name = try jobName(request, fields)
        let existing = try request.store.jobs.find(requesterID: requester.id, name: name)
        let draft = try input(fields, name: name, creating: existing == nil).draft(over: existing)
        let job = try request.store.jobs.publish(requesterID: requester.id, existing: existing, draft)
        return try .json(LegacyJobRecord(job, for: requester))
    }

    /// Changes the job found by name; `active` "False" pauses an active job and "True"
    /// resumes a paused one (a draft is opened by PublishJob2 only).
    static func updateJob(_ request: LegacyRequest) throws -> LegacyReply {
        let requester = try request.requester()
        let fields = try request.fields()
        let name = try jobName(request, fields)
        let jobs = request.store.jobs
        guard let job = try jobs.find(requesterID: requester.id, name: name) else { throw MarketError.notFound("job") }
        var updated = try jobs.update(
            id: job.id, requesterID: requester.id, try input(fields, name: name, creating: false).draft(over: job))
        switch (fields.text("active")?.lowercased(), updated.state) {
        case ("false"?, .active): updated = try jobs.pause(id: job.id, requesterID: requester.id)
        case ("true"?, .paused): updated = try jobs.resume(id: job.id, requesterID: requester.id)
        default: break
        }
        return try .json(LegacyJobRecord(updated, for: requester))
    }

    // MARK: The original Job JSON

    /// The job's name: the `Name` parameter, else the body's `name`.
    static func jobName(_ request: LegacyRequest, _ fields: LegacyFields) throws -> String {
        let name = (request.parameter("Name") ?? fields.text("name") ?? "").trimmingCharacters(in: .whitespacesAndNewlines)
        guard !name.isEmpty else { throw APIError.badRequest("Missing parameter Name.", code: "missing_parameter") }
        return name
    }

    /// The original Job JSON as the JSON API's job input. Read: `title` (default: the
    /// name, when creating), `description`, `instructions`, `bounty`, `budget`,
    /// `startTime`, `endTime`, `MaxTrains` (results per image; default
    /// `JobInput.defaultResultsPerImage`) and `labels` (a list or comma-separated; default
    /// the JSON API's). Ignored: `ID`, `userID`, `budgetLeft`, `active`, `guid`, `type`
    /// (always ImageRegion). Values may be strings or numbers.
    static func input(_ fields: LegacyFields, name: String, creating: Bool) throws -> JobInput {
        var input = JobInput()
        input.name = name
        input.title = fields.text("title") ?? (creating ? name : nil)
        input.description = fields.text("description")
        input.instructions = fields.text("instructions")
        input.labels = try fields.names("labels")
        input.bounty = try fields.money("bounty")
        input.budget = try fields.money("budget")
        input.resultsPerImage = try fields.integer("MaxTrains")
        input.startTime = try fields.date("startTime")
        input.endTime = try fields.date("endTime")
        return input
    }

    /// Every job of a requester, newest first.
    static func ownJobs(of user: User, _ store: Store) throws -> [Job] {
        var jobs: [Job] = []
        for page in 1... {
            let part = try store.jobs.list(requesterID: user.id, page: page, perPage: 500)
            jobs += part.items
            if part.items.isEmpty || jobs.count >= part.total { break }
        }
        return jobs
    }
}
