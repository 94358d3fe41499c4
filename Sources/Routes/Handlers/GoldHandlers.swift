import Foundation
import MariaStore
import Marketplace

/// A requester's gold images: marked one at a time with the boxes drawn in the requester
/// app, or many at once from COCO annotations (`GoldMarking`).
enum GoldHandlers {
    /// `PUT /api/jobs/{jobId}/tasks/{taskId}/gold`: `{"boxes": [...], "nothingToMark": false}`.
    struct GoldInput: Decodable {
        let boxes: [LeaseHandlers.BoxInput]?
        let nothingToMark: Bool?
    }

    static func mark(_ context: RequestContext) throws -> Response {
        let requester = try context.require(.requester)
        let input = try context.decode(GoldInput.self)
        let answer = GoldAnswer(
            boxes: (input.boxes ?? []).map {
                Box(x: $0.x.value, y: $0.y.value, w: $0.w.value, h: $0.h.value, label: $0.label ?? "")
            }, nothingToMark: input.nothingToMark ?? false)
        let task = try marking(context).mark(
            taskID: try context.id("taskId"), jobID: try context.id("jobId"), requesterID: requester.id, answer: answer)
        return try .json(TaskView(task))
    }

    /// `DELETE /api/jobs/{jobId}/tasks/{taskId}/gold`: an ordinary image again.
    static func unmark(_ context: RequestContext) throws -> Response {
        let requester = try context.require(.requester)
        let task = try marking(context).mark(
            taskID: try context.id("taskId"), jobID: try context.id("jobId"), requesterID: requester.id, answer: nil)
        return try .json(TaskView(task))
    }

    /// `POST /api/jobs/{jobId}/gold/coco`: a COCO annotation file as the body.
    static func importCOCO(_ context: RequestContext) throws -> Response {
        let requester = try context.require(.requester)
        guard !context.request.body.isEmpty else {
            throw APIError.badRequest("Send a COCO annotation file (JSON) as the body.")
        }
        let marked = try marking(context).importCOCO(
            context.request.body, jobID: try context.id("jobId"), requesterID: requester.id)
        return try .json(GoldImportView(marked: marked.count, images: marked.map { TaskView($0.0) }))
    }

    private static func marking(_ context: RequestContext) -> GoldMarking {
        GoldMarking(store: context.store, goldPlans: context.services.goldPlans)
    }
}

struct GoldImportView: Encodable {
    let marked: Int
    let images: [TaskView]
}
