import TestSupport
import XCTest

@testable import Marketplace

final class ImageHeaderTests: XCTestCase {
    func testPNG() {
        XCTAssertEqual(
            ImageHeader(ImageFixtures.png(width: 640, height: 480)), ImageHeader(format: .png, width: 640, height: 480))
    }

    func testJPEGSkipsSegmentsBeforeTheFrame() {
        let app0: [UInt8] = [0xFF, 0xE0, 0x00, 0x10] + Array(repeating: 0, count: 14)
        let dht: [UInt8] = [0xFF, 0xC4, 0x00, 0x04, 0, 0]
        let sof2: [UInt8] = [0xFF, 0xC2, 0x00, 0x11, 0x08, 0x01, 0xE0, 0x02, 0x80, 0x03] + Array(repeating: 0, count: 9)
        let jpeg = [0xFF, 0xD8] + app0 + dht + sof2
        XCTAssertEqual(ImageHeader(jpeg), ImageHeader(format: .jpeg, width: 640, height: 480))
    }

    func testWebPLossyLosslessAndExtended() {
        func riff(_ chunk: String, _ payload: [UInt8]) -> [UInt8] {
            Array("RIFF".utf8) + [0, 0, 0, 0] + Array("WEBP".utf8) + Array(chunk.utf8) + [0, 0, 0, 0] + payload
                + Array(repeating: 0, count: 16)
        }
        let lossy = riff("VP8 ", [0, 0, 0, 0x9D, 0x01, 0x2A, 0x80, 0x02, 0xE0, 0x01])
        XCTAssertEqual(ImageHeader(lossy), ImageHeader(format: .webp, width: 640, height: 480))
        // 14 bits width-1, 14 bits height-1: 639 and 479.
        let bits = UInt32(639) | UInt32(479) << 14
        let lossless = riff("VP8L", [0x2F] + withUnsafeBytes(of: bits.littleEndian, Array.init))
        XCTAssertEqual(ImageHeader(lossless), ImageHeader(format: .webp, width: 640, height: 480))
        let extended = riff("VP8X", [0, 0, 0, 0, 0x7F, 0x02, 0x00, 0xDF, 0x01, 0x00])
        XCTAssertEqual(ImageHeader(extended), ImageHeader(format: .webp, width: 640, height: 480))
    }

    func testRefusesOtherFormatsAndTruncatedHeaders() {
        XCTAssertNil(ImageHeader(Array("GIF89a......................".utf8)))
        XCTAssertNil(ImageHeader(Array("<svg xmlns='http://www.w3.org/2000/svg'/>".utf8)))
        XCTAssertNil(ImageHeader(Array(ImageFixtures.png(width: 10, height: 10).prefix(20))))
        XCTAssertNil(ImageHeader(ImageFixtures.png(width: 0, height: 10)))
        XCTAssertNil(ImageHeader([0xFF, 0xD8, 0xFF, 0xD9]))
        XCTAssertNil(ImageHeader([]))
    }
}
