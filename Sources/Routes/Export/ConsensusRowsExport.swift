import CSV
import Foundation
import MariaStore
import Marketplace

/// The consensus of each image as rows: CSV with one row per consensus box (one row with
/// empty box fields for an image whose consensus is empty), or JSON Lines with one image
/// per line. Each carries the image's agreement and number of results, and whether it is
/// a gold image (whose boxes are its known answer).
struct ConsensusRowsExport {
    let export: ExportJob

    static let csvHeader = [
        "task_id", "image", "filename", "width", "height", "gold", "result_count", "agreement",
        "label", "x", "y", "w", "h", "score", "share", "mean_iou",
    ]

    /// Each image's rows are written after a header, which is sent once: the CSV writer
    /// puts the line break before a row, so each image's rows start with one.
    func writeCSV(to sink: ExportSink) throws {
        let header = try ConsensusRowsExport.csv([])
        try sink.append(header)
        try export.forEachConsensus { task, consensus in
            let common = [
                String(task.id), ExportNames.image(task), task.filename ?? "", String(task.width), String(task.height),
                task.isGold ? "1" : "0", String(consensus.resultCount), consensus.agreement.map { "\($0)" } ?? "",
            ]
            var rows = consensus.boxes.map { scored in
                let box = scored.box
                return common + [
                    box.label, "\(box.x)", "\(box.y)", "\(box.w)", "\(box.h)", "\(scored.score)", "\(scored.share)",
                    "\(scored.meanIoU)",
                ]
            }
            if rows.isEmpty { rows = [common + Array(repeating: "", count: 8)] }
            try sink.append(try ConsensusRowsExport.csv(rows).dropFirst(header.count))
        }
    }

    /// The header and `rows` as CSV.
    private static func csv(_ rows: [[String]]) throws -> [UInt8] {
        let stream = OutputStream(toMemory: ())
        let writer = try CSVWriter(stream: stream)
        try writer.write(row: csvHeader)
        for row in rows { try writer.write(row: row) }
        writer.stream.close()
        guard let data = stream.property(forKey: .dataWrittenToMemoryStreamKey) as? Data else { return [] }
        return Array(data)
    }

    func writeJSONLines(to sink: ExportSink) throws {
        let encoder = JSONCoding.encoder
        try export.forEachConsensus { task, consensus in
            try sink.append(try encoder.encode(Line(task: task, consensus: consensus)))
            try sink.append(CollectionOfOne(UInt8(ascii: "\n")))
        }
    }

    struct Line: Encodable {
        struct ScoredBox: Encodable {
            let x: Double
            let y: Double
            let w: Double
            let h: Double
            let label: String
            let score: Double
            let share: Double
            let meanIoU: Double
        }

        let taskId: Int64
        let image: TrainsExport.Line.Image
        let gold: Bool
        let resultCount: Int
        let agreement: Double?
        let boxes: [ScoredBox]

        init(task: TaskRecord, consensus: ImageConsensus) {
            taskId = task.id
            image = .init(
                fileName: ExportNames.image(task), originalFilename: task.filename, width: task.width, height: task.height)
            gold = consensus.gold
            resultCount = consensus.resultCount
            agreement = consensus.agreement
            boxes = consensus.boxes.map {
                ScoredBox(
                    x: $0.box.x, y: $0.box.y, w: $0.box.w, h: $0.box.h, label: $0.box.label, score: $0.score,
                    share: $0.share, meanIoU: $0.meanIoU)
            }
        }
    }
}
