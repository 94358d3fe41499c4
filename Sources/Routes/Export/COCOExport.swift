import Foundation
import MariaStore
import Marketplace

/// COCO object detection JSON (https://cocodataset.org/#format-data), written front to
/// back: `info`, `licenses` and `categories`, then the images (one pass over the tasks),
/// then the annotations (a second pass over the trains), each element encoded on its
/// own, so the document is never whole in memory.
///
/// - images: `id` is the task id, `file_name` the export name (`ExportNames`).
/// - categories: ids 1... in the job's label order, supercategory "object".
/// - annotations: one per box; `id` is the box id, `bbox` is `[x, y, w, h]` in pixels
///   exactly as stored, `area` is `w * h`, `attributes` names the tasker and train.
/// - with `?results=consensus`, one annotation per box of each image's consensus, numbered
///   from 1, with `score` (the consensus box's confidence) and `attributes` (`share`,
///   `mean_iou`); each image has `agreement` and `result_count`.
/// - a gold image has `"gold": true`; in a consensus export its annotations are its known
///   boxes, with score 1.
struct COCOExport {
    let export: ExportJob

    struct Info: Encodable {
        let description: String
        let version = "1.0"
        let year: Int
        let contributor = "TrainTasker"
        let url = ""
        let dateCreated: Date
        let jobId: Int64
        let onlyFinished: Bool

        enum CodingKeys: String, CodingKey {
            case description, version, year, contributor, url
            case dateCreated = "date_created"
            case jobId = "job_id"
            case onlyFinished = "only_finished"
        }
    }

    struct Category: Encodable, Equatable {
        let id: Int
        let name: String
        let supercategory: String
    }

    struct Image: Encodable {
        let id: Int64
        let fileName: String
        let width: Int
        let height: Int
        let originalFilename: String?
        let gold: Bool?
        let agreement: Double?
        let resultCount: Int?

        enum CodingKeys: String, CodingKey {
            case id, width, height, gold, agreement
            case fileName = "file_name"
            case originalFilename = "original_filename"
            case resultCount = "result_count"
        }

        init(_ task: TaskRecord, consensus: ImageConsensus? = nil) {
            id = task.id
            fileName = ExportNames.image(task)
            width = task.width
            height = task.height
            originalFilename = task.filename
            gold = task.isGold ? true : nil
            agreement = consensus?.agreement
            resultCount = consensus?.resultCount
        }
    }

    /// One box: a tasker's (`ResultAttributes`), or one of an image's consensus, with its
    /// `score` (`ConsensusAttributes`).
    struct Annotation<Attributes: Encodable>: Encodable {
        let id: Int64
        let imageId: Int64
        let categoryId: Int
        let bbox: [Double]
        let area: Double
        let iscrowd = 0
        let score: Double?
        let attributes: Attributes

        enum CodingKeys: String, CodingKey {
            case id, bbox, area, iscrowd, score, attributes
            case imageId = "image_id"
            case categoryId = "category_id"
        }

        init(id: Int64, box: Box, categoryID: Int, imageID: Int64, score: Double? = nil, attributes: Attributes) {
            self.id = id
            imageId = imageID
            categoryId = categoryID
            bbox = [box.x, box.y, box.w, box.h]
            area = box.w * box.h
            self.score = score
            self.attributes = attributes
        }
    }

    struct ResultAttributes: Encodable {
        let taskerId: Int64
        let trainId: Int64
        enum CodingKeys: String, CodingKey {
            case taskerId = "tasker_id"
            case trainId = "train_id"
        }
    }

    struct ConsensusAttributes: Encodable {
        let share: Double
        let meanIoU: Double
        enum CodingKeys: String, CodingKey {
            case share
            case meanIoU = "mean_iou"
        }
    }

    /// The job's labels as COCO categories: ids from 1 in label order.
    static func categories(labels: [String]) -> [Category] {
        labels.enumerated().map { Category(id: $0.offset + 1, name: $0.element, supercategory: "object") }
    }

    /// Category id by label name.
    static func categoryIDs(labels: [String]) -> [String: Int] {
        Dictionary(categories(labels: labels).map { ($0.name, $0.id) }, uniquingKeysWith: { first, _ in first })
    }

    func write(to sink: ExportSink) throws {
        let encoder = JSONCoding.encoder
        let info = Info(
            description: export.job.title.isEmpty ? export.job.name : export.job.title,
            year: ZipStream.utcCalendar.component(.year, from: export.started),
            dateCreated: export.started, jobId: export.job.id, onlyFinished: export.scope.onlyFinished)
        try sink.append("{\"info\":")
        try sink.append(try encoder.encode(info))
        try sink.append(",\"licenses\":[],\"categories\":")
        try sink.append(try encoder.encode(COCOExport.categories(labels: export.labels)))
        if export.results == .consensus {
            try writeConsensus(to: sink, encoder: encoder)
        } else {
            try writeResults(to: sink, encoder: encoder)
        }
        try sink.append("\n]}\n")
    }

    /// Each tasker's boxes: the images in one pass, the annotations in a second.
    private func writeResults(to sink: ExportSink, encoder: JSONEncoder) throws {
        try sink.append(",\"images\":[")
        var separator = "\n"
        try export.forEachTaskPage { page in
            for task in page {
                try sink.append(separator)
                try sink.append(try encoder.encode(Image(task)))
                separator = ",\n"
            }
        }
        try sink.append("\n],\"annotations\":[")

        let categoryIDs = COCOExport.categoryIDs(labels: export.labels)
        var unknownLabels = 0
        separator = "\n"
        try export.forEachTrainPage { page in
            for item in page {
                let train = item.train
                for (box, boxID) in zip(train.boxes, item.boxIDs) {
                    guard let category = categoryIDs[box.label] else {
                        unknownLabels += 1
                        continue
                    }
                    try sink.append(separator)
                    try sink.append(
                        try encoder.encode(
                            Annotation(
                                id: boxID, box: box, categoryID: category, imageID: train.taskID,
                                attributes: ResultAttributes(taskerId: train.taskerID, trainId: train.id))))
                    separator = ",\n"
                }
            }
        }
        if unknownLabels > 0 {
            export.logger.warning(
                "export: boxes with labels the job does not have were left out",
                metadata: ["job": "\(export.job.id)", "boxes": "\(unknownLabels)"])
        }
    }

    /// One set of boxes per image. Keeping each image's consensus for the second pass would
    /// hold the whole job in memory, so each pass computes it again.
    private func writeConsensus(to sink: ExportSink, encoder: JSONEncoder) throws {
        try sink.append(",\"images\":[")
        var separator = "\n"
        try export.forEachConsensus { task, consensus in
            try sink.append(separator)
            try sink.append(try encoder.encode(Image(task, consensus: consensus)))
            separator = ",\n"
        }
        try sink.append("\n],\"annotations\":[")
        let categoryIDs = COCOExport.categoryIDs(labels: export.labels)
        var id: Int64 = 0
        separator = "\n"
        try export.forEachConsensus { task, consensus in
            for scored in consensus.boxes {
                guard let category = categoryIDs[scored.box.label] else { continue }
                id += 1
                try sink.append(separator)
                try sink.append(
                    try encoder.encode(
                        Annotation(
                            id: id, box: scored.box, categoryID: category, imageID: task.id, score: scored.score,
                            attributes: ConsensusAttributes(share: scored.share, meanIoU: scored.meanIoU))))
                separator = ",\n"
            }
        }
    }
}
