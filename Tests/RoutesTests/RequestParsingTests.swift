import XCTest

@testable import Routes

final class RequestParsingTests: XCTestCase {
    func testPercentAndPlusDecoding() {
        XCTAssertEqual(URLEncoding.decode("a%20b+c", plusIsSpace: true), "a b c")
        XCTAssertEqual(URLEncoding.decode("a%20b+c", plusIsSpace: false), "a b+c")
        XCTAssertEqual(URLEncoding.decode("%C3%A9t%C3%A9", plusIsSpace: true), "été")
        XCTAssertNil(URLEncoding.decode("bad%2", plusIsSpace: true))
        XCTAssertNil(URLEncoding.decode("%zz", plusIsSpace: true))
        XCTAssertNil(URLEncoding.decode("%FF", plusIsSpace: true), "not UTF-8")
    }

    func testQueryStringDecoding() {
        let query = URLEncoding.decodeQuery("Command=TaskerLogon&Email=ann%40example.com&Password=a+b%26c&empty=&=x&broken=%2")
        XCTAssertEqual(query["Command"], "TaskerLogon")
        XCTAssertEqual(query["Email"], "ann@example.com")
        XCTAssertEqual(query["Password"], "a b&c")
        XCTAssertEqual(query["empty"], "")
        XCTAssertNil(query["broken"])
        XCTAssertEqual(query.count, 4)
    }

    func testRequestFromCGIVariables() {
        let request = Request(
            cgi: [
                "REQUEST_METHOD": "post", "REQUEST_URI": "/api/jobs/3/images?filename=a%20b.png",
                "QUERY_STRING": "filename=a%20b.png", "CONTENT_TYPE": "image/png; charset=binary",
                "CONTENT_LENGTH": "3", "HTTP_COOKIE": "x=1; tt_session=abc; y=2",
                "HTTP_AUTHORIZATION": "Bearer t", "HTTP_X_REQUEST_ID": "rid", "REMOTE_ADDR": "127.0.0.1",
            ], body: [1, 2, 3])
        XCTAssertEqual(request.method, "POST")
        XCTAssertEqual(request.path, "/api/jobs/3/images")
        XCTAssertEqual(request.query["filename"], "a b.png")
        XCTAssertEqual(request.contentType, "image/png")
        XCTAssertEqual(request.cookie("tt_session"), "abc")
        XCTAssertEqual(request.headers["authorization"], "Bearer t")
        XCTAssertEqual(request.requestID, "rid")
        XCTAssertEqual(request.body, [1, 2, 3])
    }

    func testJSONErrorsNameTheField() {
        struct Input: Decodable {
            let name: String
            let count: Int
        }
        func message(_ json: String) -> String? {
            do {
                _ = try JSONBody.decode(Input.self, from: Array(json.utf8))
                return nil
            } catch let error as APIError {
                XCTAssertEqual(error.status, 400)
                return error.message
            } catch { return "\(error)" }
        }
        XCTAssertEqual(message(#"{"name": "a"}"#), "Missing field count.")
        XCTAssertTrue(message(#"{"name": "a", "count": "x"}"#)?.contains("count") ?? false)
        XCTAssertEqual(message("{oops"), "The body is not valid JSON.")
        XCTAssertEqual(message(""), "The request needs a JSON body.")
        XCTAssertNil(message(#"{"name": "a", "count": 2}"#))
    }
}
