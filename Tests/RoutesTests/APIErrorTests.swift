import Logging
import MariaStore
import XCTest

@testable import Routes

final class APIErrorTests: XCTestCase {
    let logger = Logger(label: "test")

    func testMarketRulesMapToStatuses() {
        XCTAssertEqual(APIError.from(MarketError(.notFound, "no_work", "x"), logger: logger).status, 404)
        XCTAssertEqual(APIError.from(MarketError(.forbidden, "f", "x"), logger: logger).status, 403)
        XCTAssertEqual(APIError.from(MarketError(.conflict, "c", "x"), logger: logger).status, 409)
        XCTAssertEqual(APIError.from(MarketError.insufficientBalance, logger: logger).status, 422)
        let throttled = APIError.from(
            MarketError(.tooManyAttempts, "too_many_attempts", "Wait.", retryAfterSeconds: 7), logger: logger)
        XCTAssertEqual(throttled.status, 429)
        XCTAssertEqual(throttled.headers["Retry-After"], "7")
    }

    func testDatabaseErrorsNeverShowSQL() throws {
        let error = DatabaseError(code: 1064, message: "syntax", sql: "SELECT secret FROM users")
        let mapped = APIError.from(error, logger: logger)
        XCTAssertEqual(mapped.status, 500)
        let body = String(decoding: try mapped.response.collectedBody(), as: UTF8.self)
        XCTAssertFalse(body.contains("SELECT"))
        XCTAssertEqual(APIError.from(DatabaseError(code: 2006, message: "gone"), logger: logger).status, 503)
    }

    func testErrorBodyShape() throws {
        let response = APIError(429, "too_many_attempts", "Wait.", headers: ["Retry-After": "4"]).response
        XCTAssertEqual(response.status, 429)
        XCTAssertEqual(response.header("Retry-After"), "4")
        let json = try JSONSerialization.jsonObject(with: Data(response.body)) as? [String: [String: String]]
        XCTAssertEqual(json?["error"]?["code"], "too_many_attempts")
        XCTAssertEqual(json?["error"]?["message"], "Wait.")
    }
}
