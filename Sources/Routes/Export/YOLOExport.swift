import Foundation
import MariaStore
import Marketplace
import ZIPFoundation

/// Ultralytics YOLO detection dataset as a zip:
///
///     data.yaml             path, train: images, val: images, nc, names
///     classes.txt           the class names, one a line (class index = line number - 1)
///     images/<name>         the image files, stored as they are (already compressed)
///     labels/<stem>.txt     one line per box: `class cx cy w h`, normalised to 0...1
///                           by the image's width and height; empty for an image without boxes
///     missing-images.txt    only when some image file was not found in the store
///
/// Class indexes are the job's labels in order, from 0.
struct YOLOExport {
    let export: ExportJob

    /// One label line: class index, box centre and size divided by the image's size.
    static func line(_ box: Box, classIndex: Int, imageWidth: Int, imageHeight: Int) -> String {
        let width = Double(imageWidth)
        let height = Double(imageHeight)
        return [
            String(classIndex),
            number((box.x + box.w / 2) / width), number((box.y + box.h / 2) / height),
            number(box.w / width), number(box.h / height),
        ].joined(separator: " ")
    }

    /// The label file of one image: a line per box whose label is a class, in order.
    static func labelFile(_ boxes: [Box], classIndexes: [String: Int], imageWidth: Int, imageHeight: Int) -> String {
        var text = ""
        for box in boxes {
            guard let index = classIndexes[box.label] else { continue }
            text += line(box, classIndex: index, imageWidth: imageWidth, imageHeight: imageHeight) + "\n"
        }
        return text
    }

    static func classIndexes(labels: [String]) -> [String: Int] {
        Dictionary(labels.enumerated().map { ($0.element, $0.offset) }, uniquingKeysWith: { first, _ in first })
    }

    /// Fixed-point with 10 decimals, trailing zeros trimmed down to 6: `0.5` is
    /// `0.500000`, `1/3` is `0.3333333333`. No exponent notation, which some YOLO readers
    /// do not parse; 10 decimals keep a box within 1e-6 of a pixel for images up to
    /// 10,000 pixels.
    static func number(_ value: Double) -> String {
        guard value.isFinite, abs(value) < 1e8 else { return String(format: "%.10f", value) }
        let scaled = Int64((abs(value) * 1e10).rounded())
        let whole = scaled / 10_000_000_000
        var fraction = String(scaled % 10_000_000_000)
        fraction = String(repeating: "0", count: 10 - fraction.count) + fraction
        while fraction.count > 6, fraction.hasSuffix("0") { fraction.removeLast() }
        return "\(value < 0 && scaled != 0 ? "-" : "")\(whole).\(fraction)"
    }

    /// `data.yaml` for Ultralytics: names are JSON strings, which YAML reads as
    /// double-quoted scalars, so any label is safe in it.
    static func dataYAML(labels: [String]) throws -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.withoutEscapingSlashes]
        let names = try labels.map { String(decoding: try encoder.encode($0), as: UTF8.self) }
        return """
            # YOLO detection dataset exported by TrainTasker.
            # path is the folder this archive was unpacked into; images serve as train and val.
            path: .
            train: images
            val: images
            nc: \(labels.count)
            names: [\(names.joined(separator: ", "))]

            """
    }

    /// `classes.txt`: one class name a line.
    static func classesText(labels: [String]) -> String {
        labels.map { ExportNames.singleLine($0) + "\n" }.joined()
    }

    func write(to sink: ExportSink) throws {
        let zip = try ZipStream(sink: sink, temporaryDirectory: export.temporaryDirectory, modified: export.started)
        defer { zip.discard() }
        try zip.add("data.yaml", Array(try YOLOExport.dataYAML(labels: export.labels).utf8), method: .deflate)
        try zip.add("classes.txt", Array(YOLOExport.classesText(labels: export.labels).utf8), method: .deflate)

        let classIndexes = YOLOExport.classIndexes(labels: export.labels)
        var missing: [String] = []
        try export.forEachImageBoxes { task, boxes in
            let name = ExportNames.image(task)
            if let image = export.imageBytes(of: task) {
                try zip.add("images/\(name)", image, method: .none)
            } else {
                missing.append(name)
            }
            let labels = YOLOExport.labelFile(
                boxes, classIndexes: classIndexes,
                imageWidth: task.width, imageHeight: task.height)
            try zip.add("labels/\(ExportNames.stem(task)).txt", Array(labels.utf8), method: .deflate)
        }
        if !missing.isEmpty {
            try zip.add("missing-images.txt", Array(missing.map { $0 + "\n" }.joined().utf8), method: .deflate)
        }
        try zip.finish()
    }
}
