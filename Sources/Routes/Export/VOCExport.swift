import Foundation
import MariaStore
import Marketplace
import XMLCoder
import ZIPFoundation

/// Pascal VOC as a zip:
///
///     Annotations/<stem>.xml        one VOC annotation per image (XMLCoder)
///     JPEGImages/<name>             the image files, whatever their type (VOC's folder name)
///     ImageSets/Main/default.txt    every image stem, one a line
///     missing-images.txt            only when some image file was not found in the store
///
/// Coordinates: `bndbox` holds the box's pixel edges exactly as stored, 0-based:
/// `xmin = x`, `ymin = y`, `xmax = x + w`, `ymax = y + h`. A whole number is written
/// without a decimal point (`10`), any other as its shortest exact decimal (`10.5`).
/// This is not VOC's traditional 1-based integer convention (which would need rounding
/// and a +1); the data loses nothing this way, and readers that parse with
/// `float()` (Ultralytics, torchvision, CVAT) take it as it is.
struct VOCExport {
    let export: ExportJob

    struct Annotation: Encodable, Equatable {
        let folder: String
        let filename: String
        let source: Source
        let size: Size
        let segmented: Int
        let object: [Object]
    }

    struct Source: Encodable, Equatable {
        let database: String
    }

    struct Size: Encodable, Equatable {
        let width: Int
        let height: Int
        let depth: Int
    }

    struct Object: Encodable, Equatable {
        let name: String
        let pose: String
        let truncated: Int
        let difficult: Int
        let bndbox: BoundingBox
    }

    struct BoundingBox: Encodable, Equatable {
        let xmin: String
        let ymin: String
        let xmax: String
        let ymax: String
    }

    static let imageFolder = "JPEGImages"

    /// The annotation of one image.
    static func annotation(filename: String, width: Int, height: Int, boxes: [Box]) -> Annotation {
        Annotation(
            folder: imageFolder, filename: filename, source: Source(database: "TrainTasker"),
            size: Size(width: width, height: height, depth: 3), segmented: 0,
            object: boxes.map { box in
                Object(
                    name: xmlSafe(box.label), pose: "Unspecified", truncated: 0, difficult: 0,
                    bndbox: BoundingBox(
                        xmin: number(box.x), ymin: number(box.y),
                        xmax: number(box.x + box.w), ymax: number(box.y + box.h)))
            })
    }

    /// The encoder of the annotations; one per export (an `XMLEncoder` is a class with
    /// settings, not to be shared between threads).
    static func makeEncoder() -> XMLEncoder {
        let encoder = XMLEncoder()
        encoder.outputFormatting = [.prettyPrinted]
        // XMLCoder escapes & < > ' " already; a carriage return would be read back as a
        // line feed unless it is a character reference.
        encoder.charactersEscapedInElements.append(("\r", "&#13;"))
        return encoder
    }

    /// The XML document of one annotation, UTF-8.
    static func xml(_ annotation: Annotation, encoder: XMLEncoder = makeEncoder()) throws -> [UInt8] {
        let data = try encoder.encode(
            annotation, withRootKey: "annotation",
            header: XMLHeader(version: 1.0, encoding: "UTF-8"))
        return Array(data) + [UInt8(ascii: "\n")]
    }

    /// A coordinate: `10` for a whole number, else the shortest decimal that reads back
    /// as the same Double (`10.5`, `0.30000000000000004`).
    static func number(_ value: Double) -> String {
        if value.isFinite, value == value.rounded(), abs(value) < 1e15 { return String(Int64(value)) }
        return "\(value)"
    }

    /// Text that XML 1.0 can hold: characters it forbids even as references (most
    /// control characters, U+FFFE, U+FFFF) become U+FFFD.
    static func xmlSafe(_ text: String) -> String {
        String(
            String.UnicodeScalarView(
                text.unicodeScalars.map { scalar in
                    switch scalar.value {
                    case 0x9, 0xA, 0xD, 0x20...0xD7FF, 0xE000...0xFFFD, 0x10000...0x10FFFF: return scalar
                    default: return "\u{FFFD}"
                    }
                }))
    }

    func write(to sink: ExportSink) throws {
        let zip = try ZipStream(sink: sink, temporaryDirectory: export.temporaryDirectory, modified: export.started)
        defer { zip.discard() }
        let stems = try SpoolFile(directory: export.temporaryDirectory, prefix: "export-voc-list")
        defer { stems.remove() }
        let encoder = VOCExport.makeEncoder()
        var missing: [String] = []
        try export.forEachImageBoxes { task, boxes in
            let name = ExportNames.image(task)
            let stem = ExportNames.stem(task)
            if let image = export.imageBytes(of: task) {
                try zip.add("\(VOCExport.imageFolder)/\(name)", image, method: .none)
            } else {
                missing.append(name)
            }
            let annotation = VOCExport.annotation(filename: name, width: task.width, height: task.height, boxes: boxes)
            try zip.add("Annotations/\(stem).xml", try VOCExport.xml(annotation, encoder: encoder), method: .deflate)
            try stems.append(Array((stem + "\n").utf8))
        }
        var list: [UInt8] = []
        list.reserveCapacity(Int(stems.size))
        try stems.readBack { list += $0 }
        stems.remove()
        try zip.add("ImageSets/Main/default.txt", list, method: .deflate)
        if !missing.isEmpty {
            try zip.add("missing-images.txt", Array(missing.map { $0 + "\n" }.joined().utf8), method: .deflate)
        }
        try zip.finish()
    }
}
