import Foundation
import MariaStore
import Marketplace

/// Images become tasks; images are shown only to those allowed to see them.
enum ImageHandlers {
    /// `POST /api/jobs/{jobId}/images`: raw bytes, multipart files or base64 text.
    static func upload(_ context: RequestContext) throws -> Response {
        let requester = try context.require(.requester)
        let job = try context.store.jobs.owned(id: try context.id("jobId"), by: requester.id)
        let images = try ImageUpload.images(in: context.request, maxBytes: context.services.config.maxUploadBytes)
        let added = try store(images, to: job, context: context)
        return try .json(
            ItemsView(items: added.map { UploadedTaskView(task: TaskView($0.task), duplicate: $0.duplicate) }),
            status: 201)
    }

    /// Writes the files (content-addressed, so writing one twice is harmless), then adds
    /// one task per distinct image, all in one transaction: a request whose images cannot
    /// all be added adds none. A finished job is refused before any file is written. Files
    /// are never taken away here: another request may be adding a task for the same bytes
    /// at this moment. A failure after the writing (the job finished meanwhile, the
    /// database gone) leaves its new files unused on disk, where an upload of the same
    /// bytes finds them.
    static func store(
        _ images: [UploadedImage], to job: Job,
        context: RequestContext
    ) throws -> [(task: TaskRecord, duplicate: Bool)] {
        guard job.state != .finished else { throw MarketError.finishedJobTakesNoImages }
        for image in images { try context.services.images.store(image.bytes, sha256: image.sha256) }
        return try context.store.tasks.add(
            jobID: job.id, requesterID: job.requesterID,
            images: images.map { image in
                NewImage(
                    sha256: image.sha256, mimeType: image.header.format.mimeType, width: image.header.width,
                    height: image.header.height, byteCount: image.bytes.count, filename: image.filename)
            })
    }

    /// `GET /api/tasks/{taskId}/image`: the front end sends the file (`FileSending`).
    static func image(_ context: RequestContext) throws -> Response {
        let user = try context.requireUser()
        let task = try visibleTask(context, user: user)
        let services = context.services
        let header = services.config.fileSending.header(
            for: ImageStore.relativePath(sha256: task.sha256),
            in: services.images)
        return .sentByFrontEnd(header, contentType: task.mimeType)
    }

    static func show(_ context: RequestContext) throws -> Response {
        let user = try context.requireUser()
        let task = try visibleTask(context, user: user)
        let owner = try user.role == .admin || context.store.jobs.find(id: task.jobID)?.requesterID == user.id
        return try .json(TaskView(task, forOwner: owner))
    }

    static func list(_ context: RequestContext) throws -> Response {
        let requester = try context.require(.requester)
        let jobID = try context.id("jobId")
        _ = try context.store.jobs.owned(id: jobID, by: requester.id)
        let (page, perPage) = try context.paging()
        return try .json(PageView(try context.store.tasks.list(jobID: jobID, page: page, perPage: perPage)) { TaskView($0) })
    }

    /// The task, if the user may see it (404 otherwise, so ids cannot be probed).
    static func visibleTask(_ context: RequestContext, user: User) throws -> TaskRecord {
        let id = try context.id("taskId")
        guard let task = try context.store.tasks.find(id: id), try context.store.tasks.isVisible(taskID: id, to: user) else {
            throw APIError.notFound("No such task.")
        }
        return task
    }
}
