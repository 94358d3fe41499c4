import Foundation
import Logging
import MariaStore
import Marketplace

/// One export in progress: the job, what the export covers, and where it reads from.
/// Every walk over the data is a page at a time (`Exports.pageSize` rows), so memory
/// does not grow with the job.
struct ExportJob {
    let job: Job
    let scope: ExportScope
    let store: Store
    let images: ImageStore
    /// Where zip exports spool their central directory (`<dataDirectory>/tmp`).
    let temporaryDirectory: URL
    let logger: Logger
    let started: Date
    /// Each tasker's results, or one set of boxes per image.
    var results: ExportResults = .raw

    /// Category / class order: the job's labels as the requester listed them.
    var labels: [String] { job.labels }

    /// Every image (task) of the export in id order.
    func forEachTaskPage(_ body: ([TaskRecord]) throws -> Void) throws {
        var after: Int64 = 0
        while true {
            let page = try store.exports.tasks(scope, after: after)
            guard let last = page.last else { return }
            try body(page)
            if page.count < Exports.pageSize { return }
            after = last.id
        }
    }

    /// Every image of the export with the boxes drawn on it (all of its trains' boxes).
    func forEachImage(_ body: (TaskRecord, [Box]) throws -> Void) throws {
        try forEachTaskPage { page in
            guard let first = page.first, let last = page.last else { return }
            let boxes = try store.exports.boxes(scope, taskIDs: first.id...last.id)
            for task in page { try body(task, boxes[task.id] ?? []) }
        }
    }

    /// Every image of the export with its consensus (`ImageConsensus`).
    func forEachConsensus(_ body: (TaskRecord, ImageConsensus) throws -> Void) throws {
        let weights = try store.assessments.accuracy(jobID: job.id)
        try forEachTaskPage { page in
            guard let first = page.first, let last = page.last else { return }
            let results = try store.exports.results(scope, taskIDs: first.id...last.id)
            for task in page {
                try body(
                    task,
                    ImageConsensus(
                        task: task, results: results[task.id] ?? [], weights: weights,
                        iouThreshold: job.quality.iouThreshold))
            }
        }
    }

    /// Every image with the boxes the export gives it: all of its results' boxes (raw),
    /// or its consensus's.
    func forEachImageBoxes(_ body: (TaskRecord, [Box]) throws -> Void) throws {
        switch results {
        case .raw: try forEachImage(body)
        case .consensus: try forEachConsensus { task, consensus in try body(task, consensus.boxes.map(\.box)) }
        }
    }

    /// Every train of the export in id order, with its boxes.
    func forEachTrainPage(_ body: ([ExportTrain]) throws -> Void) throws {
        var after: Int64 = 0
        while true {
            let page = try store.exports.trains(scope, after: after)
            guard let last = page.last else { return }
            try body(page)
            if page.count < Exports.pageSize { return }
            after = last.train.id
        }
    }

    /// The tasks a page of trains refers to, by id.
    func tasks(of page: [ExportTrain]) -> [Int64: TaskRecord] {
        Dictionary(page.map { ($0.task.id, $0.task) }, uniquingKeysWith: { first, _ in first })
    }

    /// The bytes of a task's image, or nil (logged) when the file is not in the store.
    func imageBytes(of task: TaskRecord) -> [UInt8]? {
        do {
            return try images.read(sha256: task.sha256)
        } catch {
            logger.error(
                "export: image file missing",
                metadata: [
                    "job": "\(job.id)", "task": "\(task.id)",
                    "error": "\(error)",
                ])
            return nil
        }
    }
}
