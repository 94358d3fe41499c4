import Foundation
import Marketplace
import Routes
import XCTest

@testable import TaskerFCGI

final class CGIResponseTests: XCTestCase {
    func testStatusLineHeadersAndBody() {
        let response = Response.text("hi", status: 201)
        XCTAssertEqual(
            String(decoding: CGIResponse.bytes(response), as: UTF8.self),
            "Status: 201 Created\r\nContent-Type: text/plain; charset=utf-8\r\nContent-Length: 2\r\n\r\nhi")
    }

    func testHeadOmitsBodyButKeepsLength() {
        let text = String(decoding: CGIResponse.bytes(.text("hello"), includeBody: false), as: UTF8.self)
        XCTAssertTrue(text.hasSuffix("Content-Length: 5\r\n\r\n"))
    }

    func testFilesSentByTheFrontEndAndStreamsHaveNoLength() {
        let store = ImageStore(root: URL(fileURLWithPath: "/srv/tt/images"))
        let redirect = String(
            decoding: CGIResponse.bytes(
                .sentByFrontEnd(
                    FileSending.accelRedirect.header(for: "ab/abc", in: store), contentType: "image/png")), as: UTF8.self)
        XCTAssertTrue(redirect.contains("X-Accel-Redirect: /_images/ab/abc\r\n"))
        XCTAssertFalse(redirect.contains("Content-Length"))
        let sendfile = String(
            decoding: CGIResponse.bytes(
                .sentByFrontEnd(
                    FileSending.sendfile.header(for: "ab/abc", in: store), contentType: "image/webp")), as: UTF8.self)
        XCTAssertTrue(sendfile.contains("X-Sendfile: /srv/tt/images/ab/abc\r\n"))
        XCTAssertTrue(sendfile.contains("Content-Type: image/webp\r\n"))
        XCTAssertFalse(sendfile.contains("Content-Length"))
        let streamed = Response.streamed(contentType: "text/csv", filename: "a b\".csv") { write in try write([1, 2][...]) }
        let head = String(decoding: CGIResponse.bytes(streamed), as: UTF8.self)
        XCTAssertFalse(head.contains("Content-Length"))
        XCTAssertTrue(head.contains("Content-Disposition: attachment; filename=\"ab.csv\""))
    }

    func testHeaderValuesCannotInjectLines() {
        var response = Response.noContent
        response.setHeader("X-Test", "a\r\nSet-Cookie: evil=1")
        let text = String(decoding: CGIResponse.bytes(response), as: UTF8.self)
        XCTAssertTrue(text.contains("X-Test: aSet-Cookie: evil=1\r\n"))
        XCTAssertEqual(text.components(separatedBy: "\r\n").filter { $0.hasPrefix("Set-Cookie") }.count, 0)
    }
}
