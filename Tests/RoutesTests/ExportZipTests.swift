import XCTest
import ZIPFoundation

@testable import Routes

/// `ZipStream` writes the archive; ZIPFoundation's own reader reads it back.
final class ExportZipTests: XCTestCase {
    private var directory: URL!

    override func setUpWithError() throws {
        directory = FileManager.default.temporaryDirectory.appendingPathComponent("zipstream-\(UUID().uuidString)")
    }

    override func tearDownWithError() throws {
        try? FileManager.default.removeItem(at: directory)
    }

    private func spooled() throws -> [String] {
        (try? FileManager.default.contentsOfDirectory(atPath: directory.path)) ?? []
    }

    private func read(_ bytes: [UInt8]) throws -> [String: (method: CompressionMethod, data: Data)] {
        let archive = try Archive(data: Data(bytes), accessMode: .read)
        var entries: [String: (CompressionMethod, Data)] = [:]
        for entry in archive {
            var data = Data()
            _ = try archive.extract(entry, skipCRC32: false) { data.append($0) }
            entries[entry.path] = (entry.isCompressed ? .deflate : .none, data)
        }
        return entries
    }

    func testStoredAndDeflatedEntriesReadBack() throws {
        var output: [UInt8] = []
        let sink = ExportSink { output += $0 }
        let zip = try ZipStream(sink: sink, temporaryDirectory: directory, modified: Date(timeIntervalSince1970: 1_795_000_000))
        let image = (0..<100_000).map { UInt8(truncatingIfNeeded: $0 &* 31 &+ $0 >> 7) }
        let text = String(repeating: "0 0.500000 0.500000 1.000000 1.000000\n", count: 200)
        try zip.add("images/1_ab.png", image, method: .none)
        try zip.add("labels/1_ab.txt", Array(text.utf8), method: .deflate)
        try zip.add("labels/2_cd.txt", [], method: .deflate)
        try zip.add("data.yaml", Array("nc: 1\n".utf8), method: .deflate)
        try zip.finish()
        try sink.flush()
        XCTAssertEqual(try spooled(), [], "the central directory spool is removed")

        let entries = try read(output)
        XCTAssertEqual(Set(entries.keys), ["images/1_ab.png", "labels/1_ab.txt", "labels/2_cd.txt", "data.yaml"])
        XCTAssertEqual(entries["images/1_ab.png"]?.data, Data(image))
        XCTAssertEqual(entries["images/1_ab.png"]?.method, CompressionMethod.none)
        XCTAssertEqual(entries["labels/1_ab.txt"]?.data, Data(text.utf8))
        XCTAssertEqual(entries["labels/1_ab.txt"]?.method, .deflate)
        XCTAssertEqual(entries["labels/2_cd.txt"]?.data, Data())
        XCTAssertEqual(entries["data.yaml"]?.data, Data("nc: 1\n".utf8))
        XCTAssertLessThan(output.count, image.count + text.utf8.count / 4 + 1000, "text is compressed")
    }

    func testEntriesLeaveBeforeTheArchiveIsFinished() throws {
        var output: [UInt8] = []
        let sink = ExportSink(capacity: 1) { output += $0 }
        let zip = try ZipStream(sink: sink, temporaryDirectory: directory, modified: Date())
        try zip.add("a.bin", Array(repeating: 7, count: 5000), method: .none)
        let afterFirst = output.count
        XCTAssertGreaterThan(afterFirst, 5000, "header and data are written at once")
        try zip.add("b.txt", Array("hello".utf8), method: .deflate)
        XCTAssertGreaterThan(output.count, afterFirst)
        XCTAssertEqual(try spooled().count, 1, "only the central directory waits, in a temporary file")
        let beforeFinish = output
        try zip.finish()
        XCTAssertEqual(Array(output.prefix(beforeFinish.count)), beforeFinish, "nothing written is rewritten")
        XCTAssertEqual(try read(output).count, 2)
    }

    func testDiscardRemovesTheSpool() throws {
        let zip = try ZipStream(sink: ExportSink { _ in }, temporaryDirectory: directory, modified: Date())
        try zip.add("a.txt", Array("a".utf8), method: .deflate)
        XCTAssertEqual(try spooled().count, 1)
        zip.discard()
        XCTAssertEqual(try spooled(), [])
    }

    func testMoreThan65535EntriesUseZIP64() throws {
        var output: [UInt8] = []
        let sink = ExportSink { output += $0 }
        let zip = try ZipStream(sink: sink, temporaryDirectory: directory, modified: Date())
        let count = 70_000
        for index in 0..<count {
            try zip.add("labels/\(index).txt", index % 1000 == 0 ? Array("\(index)\n".utf8) : [], method: .none)
        }
        try zip.finish()
        try sink.flush()
        // the ZIP64 end of central directory record and its locator precede the classic record
        XCTAssertNotNil(output.firstRange(of: [0x50, 0x4b, 0x06, 0x06]))
        XCTAssertNotNil(output.firstRange(of: [0x50, 0x4b, 0x06, 0x07]))
        let archive = try Archive(data: Data(output), accessMode: .read)
        var seen = 0
        for _ in archive { seen += 1 }
        XCTAssertEqual(seen, count)
        var data = Data()
        _ = try archive.extract(try XCTUnwrap(archive["labels/69000.txt"])) { data.append($0) }
        XCTAssertEqual(String(decoding: data, as: UTF8.self), "69000\n")
    }

    func testDOSDateTime() {
        // 2026-11-26 15:04:07 UTC
        let (time, date) = ZipStream.dosDateTime(Date(timeIntervalSince1970: 1_795_705_447))
        XCTAssertEqual(time, UInt16(15 << 11 | 4 << 5 | 3))
        XCTAssertEqual(date, UInt16((2026 - 1980) << 9 | 11 << 5 | 26))
    }
}
