import Foundation
import MariaStore

/// A requester marks images of their job as gold, with the boxes a careful tasker would
/// draw: one at a time (drawn in the requester app), or many at once from COCO annotations
/// (`importCOCO`). Only an image nobody has worked on can change kind (`GoldImages`).
public struct GoldMarking {
    let store: Store
    let goldPlans: GoldPlans?

    public init(store: Store, goldPlans: GoldPlans? = nil) {
        self.store = store
        self.goldPlans = goldPlans
    }

    /// Marks the image gold with `answer`, checked as a result would be; nil makes it an
    /// ordinary image again.
    public func mark(taskID: Int64, jobID: Int64, requesterID: Int64, answer: GoldAnswer?) throws -> TaskRecord {
        let job = try store.jobs.owned(id: jobID, by: requesterID)
        guard let task = try store.tasks.find(id: taskID), task.jobID == job.id else {
            throw MarketError.notFound("image in this job")
        }
        if let answer {
            try TrainRules.validate(
                boxes: answer.boxes, nothingToMark: answer.nothingToMark, width: task.width, height: task.height,
                labels: job.labels)
        }
        let marked = try store.goldImages.set(answer, taskID: taskID, jobID: jobID, requesterID: requesterID)
        goldPlans?.forget(jobID: jobID)
        return marked
    }

    /// Marks gold every image that a COCO object-detection file (pycocotools' format)
    /// annotates: its `images` matched to the job's by `file_name` (the name it was uploaded
    /// with, or the name exports give it), its `categories` to the job's labels by `name`,
    /// each annotation's `bbox` ([x, y, width, height] in pixels) a known box; an image
    /// listed without annotations is gold with nothing to mark. All or none: a file that
    /// does not match the job is refused, naming what does not match. Returns the images
    /// marked.
    public func importCOCO(_ bytes: [UInt8], jobID: Int64, requesterID: Int64) throws -> [(TaskRecord, GoldAnswer)] {
        let job = try store.jobs.owned(id: jobID, by: requesterID)
        let file: COCOFile
        do {
            file = try JSONDecoder().decode(COCOFile.self, from: Data(bytes))
        } catch {
            throw GoldMarking.invalid("coco_invalid", "This is not a COCO annotation file: \(GoldMarking.describe(error))")
        }
        let tasks = try allTasks(of: job.id)
        var byName: [String: TaskRecord] = [:]
        for task in tasks {
            byName[ExportNames.image(task)] = task
            if let name = task.filename { byName[name] = byName[name] ?? task }
        }
        var labels: [Int64: String] = [:]
        for category in file.categories {
            guard job.labels.contains(category.name) else {
                throw GoldMarking.invalid(
                    "coco_unknown_category",
                    "Category \"\(category.name)\" (id \(category.id)) is not one of this job's labels: \(job.labels.joined(separator: ", "))."
                )
            }
            labels[category.id] = category.name
        }
        var images: [Int64: TaskRecord] = [:]
        for image in file.images {
            guard let task = byName[image.fileName] else {
                throw GoldMarking.invalid(
                    "coco_unknown_image", "Image \"\(image.fileName)\" (id \(image.id)) is not an image of this job.")
            }
            if let width = image.width, let height = image.height, width != task.width || height != task.height {
                throw GoldMarking.invalid(
                    "coco_image_size",
                    "Image \"\(image.fileName)\" is \(width)x\(height) in the file but \(task.width)x\(task.height) in the job.")
            }
            images[image.id] = task
        }
        var boxes: [Int64: [Box]] = [:]
        for annotation in file.annotations {
            guard let task = images[annotation.imageID] else {
                throw GoldMarking.invalid(
                    "coco_unknown_image",
                    "Annotation \(annotation.id) names image id \(annotation.imageID), which the file does not list.")
            }
            guard let label = labels[annotation.categoryID] else {
                throw GoldMarking.invalid(
                    "coco_unknown_category",
                    "Annotation \(annotation.id) names category id \(annotation.categoryID), which the file does not list.")
            }
            guard annotation.bbox.count == 4 else {
                throw GoldMarking.invalid("coco_invalid_box", "Annotation \(annotation.id): bbox must be [x, y, width, height].")
            }
            let b = annotation.bbox
            boxes[task.id, default: []].append(Box(x: b[0], y: b[1], w: b[2], h: b[3], label: label))
        }
        let answers = try images.values.sorted { $0.id < $1.id }.map { task -> (TaskRecord, GoldAnswer) in
            let answer = GoldAnswer(boxes: boxes[task.id] ?? [], nothingToMark: boxes[task.id] == nil)
            do {
                try TrainRules.validate(
                    boxes: answer.boxes, nothingToMark: answer.nothingToMark, width: task.width, height: task.height,
                    labels: job.labels)
            } catch let error as MarketError {
                throw GoldMarking.invalid(error.code, "Image \"\(ExportNames.image(task))\": \(error.message)")
            }
            return (task, answer)
        }
        guard !answers.isEmpty else { throw GoldMarking.invalid("coco_empty", "The file lists no image.") }
        _ = try store.goldImages.set(answers.map { ($0.0.id, $0.1) }, jobID: jobID, requesterID: requesterID)
        goldPlans?.forget(jobID: jobID)
        return answers
    }

    private func allTasks(of jobID: Int64) throws -> [TaskRecord] {
        var tasks: [TaskRecord] = []
        var page = 1
        while true {
            let items = try store.tasks.list(jobID: jobID, page: page, perPage: 1000).items
            tasks += items
            if items.count < 1000 { return tasks }
            page += 1
        }
    }

    private static func invalid(_ code: String, _ message: String) -> MarketError {
        MarketError(.invalid, code, message)
    }

    /// A decoding error in words, without Swift's type names.
    private static func describe(_ error: Error) -> String {
        guard let error = error as? DecodingError else { return "it is not JSON." }
        switch error {
        case .keyNotFound(let key, let context):
            return "\(path(context.codingPath + [key])) is missing."
        case .typeMismatch(_, let context), .valueNotFound(_, let context):
            return "\(path(context.codingPath)) has the wrong type."
        case .dataCorrupted(let context):
            return context.codingPath.isEmpty ? "it is not JSON." : "\(path(context.codingPath)) is not valid."
        @unknown default:
            return "it does not have the COCO layout."
        }
    }

    private static func path(_ keys: [CodingKey]) -> String {
        keys.isEmpty ? "the file" : keys.map { $0.intValue.map { "[\($0)]" } ?? ".\($0.stringValue)" }.joined()
    }
}

/// The parts of a COCO object-detection file that gold images need.
struct COCOFile: Decodable {
    struct Image: Decodable {
        let id: Int64
        let fileName: String
        let width: Int?
        let height: Int?
        enum CodingKeys: String, CodingKey {
            case id, width, height
            case fileName = "file_name"
        }
    }

    struct Category: Decodable {
        let id: Int64
        let name: String
    }

    struct Annotation: Decodable {
        let id: Int64
        let imageID: Int64
        let categoryID: Int64
        let bbox: [Double]
        enum CodingKeys: String, CodingKey {
            case id, bbox
            case imageID = "image_id"
            case categoryID = "category_id"
        }
    }

    let images: [Image]
    let annotations: [Annotation]
    let categories: [Category]
}
