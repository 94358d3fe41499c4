import TestSupport
import XCTest

@testable import Marketplace

final class ImageEndingTests: XCTestCase {
    func testPNGRunsToItsIENDChunk() {
        let png = ImageFixtures.png(width: 4, height: 3)
        XCTAssertTrue(ImageEnding.isComplete(png, as: .png))
        XCTAssertTrue(ImageEnding.isComplete(png + Array("appended by a tool".utf8), as: .png))
        XCTAssertFalse(ImageEnding.isComplete(Array(png.dropLast(12)), as: .png), "without IEND")
        XCTAssertFalse(ImageEnding.isComplete(Array(png.dropLast(13)), as: .png), "cut inside IHDR's CRC")
        // A chunk whose length runs past the end of the file.
        var cut = Array(png.dropLast(12))
        cut += [0, 0, 0x10, 0] + Array("IDAT".utf8) + [1, 2, 3]
        XCTAssertFalse(ImageEnding.isComplete(cut, as: .png))
    }

    /// SOI, an APP1 holding a thumbnail (with its own end marker), a frame, a scan header,
    /// entropy-coded bytes (0xFF stuffed as 0xFF 0x00), then the end marker.
    static func jpeg(end: Bool) -> [UInt8] {
        let thumbnail: [UInt8] = [0xFF, 0xD8, 0xFF, 0xD9]
        let app1: [UInt8] = [0xFF, 0xE1, 0x00, UInt8(2 + thumbnail.count)] + thumbnail
        let sof0: [UInt8] = [0xFF, 0xC0, 0x00, 0x0B, 0x08, 0x00, 0x03, 0x00, 0x04, 0x01, 0x01, 0x11, 0x00]
        let sos: [UInt8] = [0xFF, 0xDA, 0x00, 0x08, 0x01, 0x01, 0x00, 0x00, 0x3F, 0x00]
        let scan: [UInt8] = [0x12, 0xFF, 0x00, 0x34, 0xFF, 0xD0, 0x56]
        return [0xFF, 0xD8] + app1 + sof0 + sos + scan + (end ? [0xFF, 0xD9] : [])
    }

    func testJPEGEndsAfterItsScan() {
        XCTAssertEqual(ImageHeader(Self.jpeg(end: true)), ImageHeader(format: .jpeg, width: 4, height: 3))
        XCTAssertTrue(ImageEnding.isComplete(Self.jpeg(end: true), as: .jpeg))
        XCTAssertTrue(ImageEnding.isComplete(Self.jpeg(end: true) + Array("SEFT trailer".utf8), as: .jpeg))
        // The thumbnail's end marker, before the scan, does not count.
        XCTAssertFalse(ImageEnding.isComplete(Self.jpeg(end: false), as: .jpeg))
        XCTAssertFalse(ImageEnding.isComplete(Array(Self.jpeg(end: true).prefix(20)), as: .jpeg), "cut before the scan")
        XCTAssertFalse(ImageEnding.isComplete([0xFF, 0xD8, 0xFF, 0xD9], as: .jpeg))
    }

    func testWebPIsAsLongAsItsRIFFHeaderSays() {
        let payload = Array("WEBP".utf8) + Array("VP8L".utf8) + Array(repeating: 0, count: 18)
        let size = UInt32(payload.count)
        let webp = Array("RIFF".utf8) + withUnsafeBytes(of: size.littleEndian, Array.init) + payload
        XCTAssertTrue(ImageEnding.isComplete(webp, as: .webp))
        XCTAssertTrue(ImageEnding.isComplete(webp + [0], as: .webp))
        XCTAssertFalse(ImageEnding.isComplete(Array(webp.dropLast()), as: .webp))
    }
}
