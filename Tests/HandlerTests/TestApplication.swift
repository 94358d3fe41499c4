import Foundation
import Logging
import MariaStore
import Marketplace
import Routes
import TestSupport
import XCTest

/// The API in process: `Application.respond` over a fresh test database, as the worker
/// calls it, without nginx or FastCGI. A handler's behaviour is tested here; what needs the
/// real front end stays in the end-to-end suite.
final class TestApplication {
    let database: TestDatabase
    let application: Application
    let store: Store
    private let logger = Logger(label: "handler-tests")

    init() throws {
        database = try TestDatabase()
        var config = try TestDatabase.serverConfig()
        config.database = database.options
        config.dataDirectory =
            FileManager.default.temporaryDirectory
            .appendingPathComponent("tt-handlers-\(database.name)").path
        try FileManager.default.createDirectory(atPath: config.dataDirectory + "/images", withIntermediateDirectories: true)
        application = Application(config: config)
        store = Store(try database.connect())
    }

    deinit {
        try? FileManager.default.removeItem(atPath: application.services.config.dataDirectory)
    }

    /// One request; `json` is sent as the body, `token` as the bearer.
    func request(
        _ method: String, _ path: String, token: String? = nil, query: [String: String] = [:],
        json: [String: Any]? = nil, body: [UInt8] = [], contentType: String? = nil
    ) throws -> Response {
        var headers: [String: String] = [:]
        var bytes = body
        if let json {
            bytes = Array(try JSONSerialization.data(withJSONObject: json))
            headers["content-type"] = "application/json"
        }
        if let contentType { headers["content-type"] = contentType }
        if let token { headers["authorization"] = "Bearer \(token)" }
        headers["content-length"] = String(bytes.count)
        let request = Request(method: method, path: path, query: query, headers: headers, body: bytes)
        return application.respond(to: request, store: store, logger: logger)
    }

    /// The JSON body of a response that must have `status`.
    func json(
        _ response: Response, _ status: Int, file: StaticString = #filePath, line: UInt = #line
    ) throws -> [String: Any] {
        let body = try response.collectedBody()
        XCTAssertEqual(response.status, status, String(decoding: body, as: UTF8.self), file: file, line: line)
        return try XCTUnwrap(JSONSerialization.jsonObject(with: Data(body)) as? [String: Any], file: file, line: line)
    }

    /// The error code of a refusal that must have `status`.
    func refusal(
        _ response: Response, _ status: Int, file: StaticString = #filePath, line: UInt = #line
    ) throws -> String {
        let error = try XCTUnwrap(json(response, status, file: file, line: line)["error"] as? [String: Any])
        return try XCTUnwrap(error["code"] as? String)
    }

    /// A new user of `role` through `POST /api/auth/register`; returns the id and the token.
    func register(_ role: String) throws -> (id: Int64, token: String) {
        let answer = try json(
            request(
                "POST", "/api/auth/register",
                json: [
                    "email": "\(role)\(UInt32.random(in: 0...UInt32.max))@example.com",
                    "password": "handler tests 42", "role": role,
                ]), 201)
        let user = try XCTUnwrap(answer["user"] as? [String: Any])
        return (try XCTUnwrap((user["id"] as? NSNumber)?.int64Value), try XCTUnwrap(answer["token"] as? String))
    }
}
