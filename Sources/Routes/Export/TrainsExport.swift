import Foundation
import MariaStore
import Marketplace

/// The trains of a job, one page at a time: CSV with one row per box (the same columns
/// and rows as `/api/jobs/{jobId}/trains?format=csv`, made by the same code), or JSON
/// Lines with one train per line.
struct TrainsExport {
    let export: ExportJob

    /// `ResultHandlers.csv` writes each page (header first); the header is sent once.
    func writeCSV(to sink: ExportSink) throws {
        let header = try ResultHandlers.csv([], tasks: [:]).body
        try sink.append(header)
        try export.forEachTrainPage { page in
            let body = try ResultHandlers.csv(page.map(\.train), tasks: export.tasks(of: page)).body
            guard body.starts(with: header) else { throw TrainsExportError.unexpectedCSVHeader }
            try sink.append(body[header.count...])
        }
    }

    /// One line per train: the API's Train record plus `image` (the export file name
    /// and the image's size).
    func writeJSONLines(to sink: ExportSink) throws {
        let encoder = JSONCoding.encoder
        try export.forEachTrainPage { page in
            for item in page {
                try sink.append(try encoder.encode(Line(train: item.train, task: item.task)))
                try sink.append(CollectionOfOne(UInt8(ascii: "\n")))
            }
        }
    }

    struct Line: Encodable {
        struct Image: Encodable {
            let fileName: String
            let originalFilename: String?
            let width: Int
            let height: Int
            /// A gold image (its result is a tasker's answer to a quality check).
            var gold: Bool? = nil
        }

        let train: Train
        let task: TaskRecord

        enum CodingKeys: String, CodingKey { case image }

        func encode(to encoder: Encoder) throws {
            try TrainView(train).encode(to: encoder)
            var container = encoder.container(keyedBy: CodingKeys.self)
            try container.encode(
                Image(
                    fileName: ExportNames.image(task), originalFilename: task.filename,
                    width: task.width, height: task.height, gold: task.isGold ? true : nil), forKey: .image)
        }
    }
}

enum TrainsExportError: Error {
    /// `ResultHandlers.csv` changed the way it starts its output.
    case unexpectedCSVHeader
}
