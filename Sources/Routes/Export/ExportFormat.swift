/// The formats of `GET /api/jobs/{jobId}/export?format=...`.
enum ExportFormat: String, CaseIterable, Sendable {
    /// COCO object detection JSON.
    case coco
    /// Ultralytics YOLO: a zip of images/, labels/, data.yaml, classes.txt.
    case yolo
    /// Pascal VOC: a zip of Annotations/, JPEGImages/, ImageSets/Main/default.txt.
    case voc
    /// One row per box, the columns of `/api/jobs/{jobId}/trains?format=csv`.
    case csv
    /// One train per line, with its boxes.
    case jsonl

    /// The `format` query parameter: 400 when it is missing, 422 when it is unknown.
    init(query value: String?) throws {
        let names = ExportFormat.allCases.map(\.rawValue).joined(separator: ", ")
        guard let value, !value.isEmpty else {
            throw APIError.badRequest("Choose an export format: ?format= one of \(names).")
        }
        guard let format = ExportFormat(rawValue: value.lowercased()) else {
            throw APIError.invalid("format must be one of \(names).", code: "unknown_format")
        }
        self = format
    }

    /// The `only` query parameter: absent (every image) or `finished`.
    static func onlyFinished(query value: String?) throws -> Bool {
        switch value {
        case nil, "": return false
        case "finished": return true
        default: throw APIError.invalid("only must be \"finished\" (or left out for every image).")
        }
    }

    var contentType: String {
        switch self {
        case .coco: return "application/json; charset=utf-8"
        case .yolo, .voc: return "application/zip"
        case .csv: return "text/csv; charset=utf-8"
        case .jsonl: return "application/x-ndjson; charset=utf-8"
        }
    }

    /// `job-12-coco.json`, `job-12-yolo-finished.zip`, `job-12-trains.csv`,
    /// `job-12-coco-consensus.json`...
    func filename(jobID: Int64, onlyFinished: Bool, results: ExportResults = .raw) -> String {
        let what: String
        let fileExtension: String
        switch self {
        case .coco: (what, fileExtension) = ("coco", "json")
        case .yolo: (what, fileExtension) = ("yolo", "zip")
        case .voc: (what, fileExtension) = ("voc", "zip")
        case .csv: (what, fileExtension) = (results == .consensus ? "images" : "trains", "csv")
        case .jsonl: (what, fileExtension) = (results == .consensus ? "images" : "trains", "jsonl")
        }
        let kind = results == .consensus ? "-consensus" : ""
        return "job-\(jobID)-\(what)\(kind)\(onlyFinished ? "-finished" : "").\(fileExtension)"
    }
}
