import Marketplace
import TestSupport
import XCTest

@testable import Routes

final class ImageUploadTests: XCTestCase {
    let png = ImageFixtures.png(width: 4, height: 3)

    func testRawBody() throws {
        let request = Request(
            method: "POST", path: "/", query: ["filename": "../../etc/cat.png"],
            headers: ["content-type": "image/png"], body: png)
        let images = try ImageUpload.images(in: request, maxBytes: 1000)
        XCTAssertEqual(images.map(\.filename), ["cat.png"])
        XCTAssertEqual(images[0].header, ImageHeader(format: .png, width: 4, height: 3))
        XCTAssertEqual(images[0].sha256.count, 32)
    }

    func testBase64WithDataPrefix() throws {
        let text = "data:image/png;base64," + Data(png).base64EncodedString(options: .lineLength64Characters)
        let request = Request(method: "POST", path: "/", headers: ["content-type": "text/plain"], body: Array(text.utf8))
        XCTAssertEqual(try ImageUpload.images(in: request, maxBytes: 1000).first?.bytes, png)
    }

    func testMultipartWithTwoFiles() throws {
        let boundary = "XyZ"
        var body: [UInt8] = []
        for (name, bytes) in [("a.png", png), ("b.png", ImageFixtures.png(width: 8, height: 8))] {
            body += Array(
                "--\(boundary)\r\nContent-Disposition: form-data; name=\"file\"; filename=\"\(name)\"\r\nContent-Type: image/png\r\n\r\n"
                    .utf8)
            body += bytes + Array("\r\n".utf8)
        }
        body += Array("--\(boundary)\r\nContent-Disposition: form-data; name=\"note\"\r\n\r\nhello\r\n--\(boundary)--\r\n".utf8)
        let request = Request(
            method: "POST", path: "/", headers: ["content-type": "multipart/form-data; boundary=\(boundary)"],
            body: body)
        let images = try ImageUpload.images(in: request, maxBytes: 1000)
        XCTAssertEqual(images.map(\.filename), ["a.png", "b.png"])
        XCTAssertEqual(images.map(\.header.width), [4, 8])
    }

    func testRefusals() {
        func status(_ body: [UInt8], type: String = "image/png", max: Int = 1000) -> Int? {
            let request = Request(method: "POST", path: "/", headers: ["content-type": type], body: body)
            do {
                _ = try ImageUpload.images(in: request, maxBytes: max)
                return nil
            } catch let error as APIError {
                return error.status
            } catch { return -1 }
        }
        XCTAssertEqual(status(Array("GIF89a-not-accepted-here-at-all".utf8)), 415)
        XCTAssertEqual(status(Array(png.dropLast(12))), 415, "a PNG cut short")
        // One file more than a request may hold.
        var body: [UInt8] = []
        for index in 0...ImageUpload.maxFiles {
            body +=
                Array("--B\r\nContent-Disposition: form-data; name=\"f\"; filename=\"\(index).png\"\r\n\r\n".utf8) + png
                + Array("\r\n".utf8)
        }
        body += Array("--B--\r\n".utf8)
        XCTAssertEqual(status(body, type: "multipart/form-data; boundary=B", max: 1000), 413, "too many files")
        XCTAssertEqual(status(png, max: 10), 413)
        XCTAssertEqual(status([]), 400)
        XCTAssertEqual(status(Array("***".utf8), type: "text/plain"), 400)
        XCTAssertEqual(status(Array("x".utf8), type: "multipart/form-data"), 400)
    }
}
