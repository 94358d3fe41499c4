import Foundation
import MariaStore

/// Images in the original protocol, through the JSON API's upload path (`ImageUpload`,
/// `ImageHandlers.store`: checked by their bytes, stored by content, one task each).
/// Files are only ever named by their SHA-256: a client's `Path` is never read.
enum LegacyImageCommands {
    /// `GetTaskImage&TaskID=`: the image as base64 PNG text (JPEG and WebP converted), for
    /// whoever may see the task in the JSON API: its requester, a tasker who holds or held
    /// a lease on it, an admin.
    static func taskImage(_ request: LegacyRequest) throws -> LegacyReply {
        let user = try request.caller()
        let taskID = try request.id("TaskID")
        guard let task = try request.store.tasks.find(id: taskID),
            try request.store.tasks.isVisible(taskID: taskID, to: user)
        else { throw MarketError.notFound("task") }
        let png = try PNGConverter.cachedPNG(sha256: task.sha256, images: request.context.services.images)
        return .text(Data(png).base64EncodedString())
    }

    /// `UploadImage&UserID=&JobID=` with base64 text (a `data:` prefix is allowed) as the body.
    static func uploadImage(_ request: LegacyRequest) throws -> LegacyReply {
        var upload = request.context.request
        upload.headers["content-type"] = "text/plain"
        return try store(upload, request)
    }

    /// `UploadImageBinary&UserID=&JobID=` with `multipart/form-data` (one or more files), or
    /// the raw image bytes as the body.
    static func uploadImageBinary(_ request: LegacyRequest) throws -> LegacyReply {
        try store(request.context.request, request)
    }

    /// `RemoveJobImages&UserID=&JobID=`: removes the job's images that nobody has worked on
    /// (no lease ever), answering how many. A file leaves the disk only when no task of any
    /// job still uses the same image.
    static func removeJobImages(_ request: LegacyRequest) throws -> LegacyReply {
        let requester = try request.requester()
        let jobID = try request.id("JobID")
        let removed = try request.store.tasks.removeUntouched(jobID: jobID, requesterID: requester.id)
        for sha256 in Set(removed) where !(try request.store.tasks.imageInUse(sha256: sha256)) {
            request.context.services.images.remove(sha256: sha256)
        }
        return .text("\(removed.count) files deleted.")
    }

    /// `Uploader&UserID=&JobID=`: a small HTML page that uploads files to the job through
    /// UploadImageBinary. Only for the job's owner; everything echoed is escaped.
    static func uploader(_ request: LegacyRequest) throws -> LegacyReply {
        let requester = try request.requester()
        let jobID = try request.id("JobID")
        let job = try request.store.jobs.owned(id: jobID, by: requester.id)
        var action = URLComponents()
        action.path = "/Server.aph"
        action.queryItems = [
            URLQueryItem(name: "Command", value: "UploadImageBinary"),
            URLQueryItem(name: "UserID", value: try request.require("UserID")),
            URLQueryItem(name: "JobID", value: String(job.id)),
        ]
        let target = action.percentEncodedQuery.map { "/Server.aph?" + $0 } ?? "/Server.aph"
        return .html(
            """
            <!DOCTYPE html>
            <html lang="en">
            <head><meta charset="utf-8"><title>Upload images: \(html(job.title))</title></head>
            <body>
            <h1>Upload images to \(html(job.title))</h1>
            <p>Job \(html(job.name)) (number \(job.id)). PNG, JPEG or WebP files.</p>
            <form method="post" enctype="multipart/form-data" action="\(html(target))">
            <input type="file" name="file" accept="image/png,image/jpeg,image/webp" multiple required>
            <button type="submit">Upload</button>
            </form>
            </body>
            </html>
            """)
    }

    private static func store(_ upload: Request, _ request: LegacyRequest) throws -> LegacyReply {
        let requester = try request.requester()
        let job = try request.store.jobs.owned(id: try request.id("JobID"), by: requester.id)
        let images = try ImageUpload.images(in: upload, maxBytes: request.context.services.config.maxUploadBytes)
        _ = try ImageHandlers.store(images, to: job, context: request.context)
        return .text("Ok")
    }

    /// Text made safe to place in HTML, in element content or a quoted attribute.
    static func html(_ text: String) -> String {
        var escaped = ""
        escaped.reserveCapacity(text.count)
        for character in text {
            switch character {
            case "&": escaped += "&amp;"
            case "<": escaped += "&lt;"
            case ">": escaped += "&gt;"
            case "\"": escaped += "&quot;"
            case "'": escaped += "&#39;"
            default: escaped.append(character)
            }
        }
        return escaped
    }
}
