import CSV
import Foundation
import MariaStore

/// Requesters read the results of their jobs, per task and per job, as JSON or CSV.
enum ResultHandlers {
    static func perTask(_ context: RequestContext) throws -> Response {
        let requester = try context.require(.requester)
        let task = try ImageHandlers.visibleTask(context, user: requester)
        _ = try context.store.jobs.owned(id: task.jobID, by: requester.id)
        let trains = try context.store.trains.list(taskID: task.id)
        if context.request.query["format"] == "csv" { return try csv(trains, tasks: [task.id: task]) }
        return try .json(ItemsView(items: trains.map { TrainView($0, showingTasker: true) }))
    }

    static func perJob(_ context: RequestContext) throws -> Response {
        let requester = try context.require(.requester)
        let jobID = try context.id("jobId")
        _ = try context.store.jobs.owned(id: jobID, by: requester.id)
        let (page, perPage) = try context.paging()
        let trains = try context.store.trains.list(
            jobID: jobID, state: try context.choice("state", as: ResultState.self),
            taskerID: try context.queryID("taskerId"),
            page: page, perPage: perPage)
        if context.request.query["format"] == "csv" {
            var tasks: [Int64: TaskRecord] = [:]
            for id in Set(trains.items.map(\.taskID)) { tasks[id] = try context.store.tasks.find(id: id) }
            return try csv(trains.items, tasks: tasks)
        }
        return try .json(PageView(trains) { TrainView($0, showingTasker: true) })
    }

    static let csvHeader = [
        "train_id", "task_id", "job_id", "tasker_id", "filename", "image_width", "image_height",
        "nothing_to_mark", "label", "x", "y", "w", "h", "created_at", "state", "gold",
    ]

    /// One row per box (one row with empty box fields for a "nothing to mark" train).
    static func csv(_ trains: [Train], tasks: [Int64: TaskRecord]) throws -> Response {
        let stream = OutputStream(toMemory: ())
        let writer = try CSVWriter(stream: stream)
        try writer.write(row: csvHeader)
        let dates = ISO8601DateFormatter()
        for train in trains {
            let task = tasks[train.taskID]
            let common = [
                String(train.id), String(train.taskID), String(train.jobID), String(train.taskerID),
                task?.filename ?? "", task.map { String($0.width) } ?? "", task.map { String($0.height) } ?? "",
                train.nothingToMark ? "1" : "0",
            ]
            let created = dates.string(from: train.createdAt)
            let state = train.state.rawValue
            let gold = task?.isGold == true ? "1" : "0"
            if train.boxes.isEmpty {
                try writer.write(row: common + ["", "", "", "", "", created, state, gold])
            }
            for box in train.boxes {
                try writer.write(
                    row: common + [box.label, "\(box.x)", "\(box.y)", "\(box.w)", "\(box.h)", created, state, gold])
            }
        }
        writer.stream.close()
        let data = stream.property(forKey: .dataWrittenToMemoryStreamKey) as? Data ?? Data()
        return Response(status: 200, headers: [("Content-Type", "text/csv; charset=utf-8")], body: Array(data))
    }
}
