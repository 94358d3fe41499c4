import Foundation
import Logging

/// `/Server.aph?Command=...` (the phone app calls `/server.aph/?Command=...`): the original
/// TrainTasker protocol (docs/LEGACY.md), answered on top
/// of the same core as the JSON API. This file dispatches a command to its handler and
/// turns every failure into the original's `Error: <sentence>` with HTTP 200, in one place.
enum LegacyEndpoint {
    static func handle(_ context: RequestContext) throws -> Response {
        guard let command = commands[context.request.query["Command"] ?? ""] else {
            return LegacyReply.error("Unknown command.").response
        }
        do {
            guard !command.takesBody || context.request.method == "POST" else {
                throw APIError(405, "post_needed", "\(command.name) needs a POST request with a body.")
            }
            return try command.run(LegacyRequest(context, command: command)).response
        } catch {
            return failure(error, of: command, logger: context.logger).response
        }
    }

    /// The one place where an error becomes a reply: the original's own sentence where the
    /// command had one for that case, else the API's message (which never holds SQL, a
    /// path or a stack trace; anything unexpected is logged in full by `APIError.from`).
    static func failure(_ error: Error, of command: LegacyCommand, logger: Logger) -> LegacyReply {
        let apiError = APIError.from(error, logger: logger)
        var reply = LegacyReply.error(command.messages[apiError.code] ?? apiError.message)
        if let retry = apiError.headers["Retry-After"] { reply.headers.append(("Retry-After", retry)) }
        return reply
    }

    /// The commands whose body is an image: they take an upload's body size, every other
    /// command a small one (1 MiB), so that a large body cannot hold a worker thread on any
    /// command of this one route (`Router.BodySize.uploadWhen`).
    static let uploadCommands: Set<String> = ["UploadImage", "UploadImageBinary"]

    /// Every command of the original protocol, by its exact (case-sensitive) name.
    static let commands: [String: LegacyCommand] = {
        let noWork = [
            "no_work": "No Train available",
            "job_not_open": "No Train available: this job is not open for work.",
        ]
        let list: [LegacyCommand] = [
            // Accounts
            .init(
                "TaskerRegistration", LegacyAccountCommands.taskerRegistration,
                messages: ["email_taken": "Email already in use."]),
            .init(
                "TaskerLogon", LegacyAccountCommands.taskerLogon,
                messages: ["invalid_credentials": "Name or Passwor is incorrect"]),
            .init(
                "RequesterRegistration", LegacyAccountCommands.requesterRegistration,
                messages: ["email_taken": "Email already in use."]),
            .init(
                "RequesterLogon", LegacyAccountCommands.requesterLogon,
                messages: ["invalid_credentials": "Name or Passwor is incorrect"]),
            .init("RequestPayment", LegacyAccountCommands.requestPayment),
            // Jobs
            .init("GetActiveJobs", LegacyJobCommands.activeJobs, readOnly: true),
            .init("GetUserJobs", LegacyJobCommands.userJobs, readOnly: true),
            .init("GetAllJobs", LegacyJobCommands.allJobs, readOnly: true),
            .init("PublishJob1", LegacyJobCommands.publishJob1, takesBody: true),
            .init("PublishJob2", LegacyJobCommands.publishJob2, takesBody: true),
            .init(
                "UpdateJob", LegacyJobCommands.updateJob, takesBody: true,
                messages: ["not_found": "Job Record not found"]),
            // Work and results
            .init("GetNexAvailableTrain", LegacyWorkCommands.nextAvailableTrain, messages: noWork),
            .init("GetNextAvailableTrain", LegacyWorkCommands.nextAvailableTrain, messages: noWork),
            .init("ReportTrain", LegacyWorkCommands.reportTrain, takesBody: true),
            .init("GetTrainResultsPerTask", LegacyWorkCommands.trainResultsPerTask, readOnly: true),
            .init("GetTasksPerJob", LegacyWorkCommands.tasksPerJob, readOnly: true),
            // Images
            .init(
                "GetTaskImage", LegacyImageCommands.taskImage, readOnly: true,
                messages: ["not_found": "TaskRecord not found"]),
            .init("UploadImage", LegacyImageCommands.uploadImage, takesBody: true),
            .init("UploadImageBinary", LegacyImageCommands.uploadImageBinary, takesBody: true),
            .init("RemoveJobImages", LegacyImageCommands.removeJobImages),
            .init("Uploader", LegacyImageCommands.uploader),
        ]
        return Dictionary(uniqueKeysWithValues: list.map { ($0.name, $0) })
    }()
}

/// One command: its handler, whether it takes a POST body, whether it may be
/// authenticated by the session cookie alone (only commands that change nothing: a link
/// on another site cannot make a signed-in browser change anything), and the original's
/// own sentences for some error codes.
// The table is shared by every worker thread; the handlers are static functions that keep
// no state.
struct LegacyCommand: Sendable {
    let name: String
    let takesBody: Bool
    let readOnly: Bool
    let messages: [String: String]
    let run: @Sendable (LegacyRequest) throws -> LegacyReply

    init(
        _ name: String, _ run: @escaping @Sendable (LegacyRequest) throws -> LegacyReply, takesBody: Bool = false,
        readOnly: Bool = false, messages: [String: String] = [:]
    ) {
        self.name = name
        self.run = run
        self.takesBody = takesBody
        self.readOnly = readOnly
        self.messages = messages
    }
}

/// What every legacy command answers: a body with HTTP 200, as the original server did
/// (plain text, JSON records, or an HTML page). A failure is also a 200, whose body is
/// `Error: ` and a sentence; the phone app looks for "Error:" in the reply.
struct LegacyReply {
    var body: String
    var contentType = "text/plain; charset=utf-8"
    var headers: [(name: String, value: String)] = []

    static func text(_ text: String) -> LegacyReply { LegacyReply(body: text) }

    static func error(_ sentence: String) -> LegacyReply { LegacyReply(body: "Error: " + sentence) }

    static func html(_ page: String) -> LegacyReply { LegacyReply(body: page, contentType: "text/html; charset=utf-8") }

    /// A record or a list of records as JSON, their fields in one order every time (sorted
    /// by name: Foundation's encoder keeps no declaration order; clients read them by key).
    static func json<T: Encodable>(_ value: T) throws -> LegacyReply {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.withoutEscapingSlashes, .sortedKeys]
        return LegacyReply(
            body: String(decoding: try encoder.encode(value), as: UTF8.self),
            contentType: "application/json; charset=utf-8")
    }

    var response: Response {
        var response = Response.text(body, status: 200, contentType: contentType)
        for header in headers { response.addHeader(header.name, header.value) }
        return response
    }
}
