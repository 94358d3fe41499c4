import MariaStore
import Marketplace
import XCTest

@testable import Routes

final class RouterTests: XCTestCase {
    private func router() -> Router {
        var router = Router()
        router.get("/api/jobs/{jobId}") { _ in .text("show") }
        router.patch("/api/jobs/{jobId}") { _ in .text("update") }
        router.post("/api/jobs/{jobId}/leases") { _ in .text("take") }
        router.get("/api/me") { _ in .text("me") }
        return router
    }

    func testMatchesLiteralAndParameterSegments() throws {
        guard case .found(_, let parameters, _) = router().match(method: "POST", path: "/api/jobs/42/leases") else {
            return XCTFail("no match")
        }
        XCTAssertEqual(parameters, ["jobId": "42"])
    }

    func testUnknownPathIsNotFound() {
        guard case .notFound = router().match(method: "GET", path: "/api/jobs/42/nothing") else { return XCTFail() }
        guard case .notFound = router().match(method: "GET", path: "/api") else { return XCTFail() }
    }

    func testKnownPathWithOtherMethodListsAllowedMethods() {
        guard case .methodNotAllowed(let allowed) = router().match(method: "DELETE", path: "/api/jobs/7") else {
            return XCTFail("expected 405")
        }
        XCTAssertEqual(Set(allowed), ["GET", "PATCH"])
    }

    func testHeadIsServedByGet() {
        guard case .found = router().match(method: "HEAD", path: "/api/me") else { return XCTFail() }
    }

    func testLiteralSegmentsIgnoreCaseAndTrailingSlash() {
        guard case .found = router().match(method: "GET", path: "/API/Me/") else { return XCTFail() }
    }

    func testRouteTableHasNoDuplicateRoutes() {
        let routes = RouteTable.router().routes.map { "\($0.method) \($0.pattern.lowercased())" }
        XCTAssertEqual(routes.count, Set(routes).count)
    }

    func testOnlyImageUploadsTakeLargeBodies() {
        let table = RouteTable.router()
        XCTAssertEqual(table.bodySize(method: "POST", path: "/api/jobs/7/images"), .upload)
        XCTAssertEqual(
            table.bodySize(method: "POST", path: "/server.aph"),
            .uploadWhen(query: "Command", isOneOf: ["UploadImage", "UploadImageBinary"]))
        XCTAssertEqual(table.bodySize(method: "POST", path: "/api/jobs"), .small)
        XCTAssertEqual(table.bodySize(method: "POST", path: "/api/leases/3/train"), .small)
        XCTAssertEqual(table.bodySize(method: "PATCH", path: "/api/jobs/7/images"), .small, "405: no body needed")
        XCTAssertEqual(table.bodySize(method: "POST", path: "/api/nothing"), .small)

        var config = ServerConfig(
            database: ConnectionOptions(user: "nobody", password: "", name: "none"),
            dataDirectory: "/nonexistent")
        config.maxUploadBytes = 5 * 1024 * 1024
        let application = Application(config: config, router: table)
        XCTAssertEqual(application.bodyLimit(for: Request(method: "POST", path: "/api/jobs")), 1024 * 1024)
        // A 5 MiB image in base64 (4 bytes per 3, rounded up) and 1 MiB of wrapping.
        let upload = Int((Double(5 * 1024 * 1024) / 3).rounded(.up)) * 4 + 1024 * 1024
        XCTAssertEqual(application.bodyLimit(for: Request(method: "POST", path: "/api/jobs/7/images")), upload)
        // The legacy endpoint: an upload's limit for its two image commands only.
        for (command, limit) in [
            ("UploadImage", upload), ("UploadImageBinary", upload), ("ReportTrain", 1024 * 1024),
            ("GetActiveJobs", 1024 * 1024), ("", 1024 * 1024),
        ] {
            XCTAssertEqual(
                application.bodyLimit(for: Request(method: "POST", path: "/Server.aph", query: ["Command": command])),
                limit, command)
        }
    }
}
