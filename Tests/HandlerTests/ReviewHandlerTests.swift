import Foundation
import MariaStore
import Marketplace
import Routes
import XCTest

/// The review routes and the tasker's earnings, driven in process (`TestApplication`).
final class ReviewHandlerTests: XCTestCase {
    /// A requester's active job of `images` images (one result each, 0.10 a result), made
    /// through the API; the images are added through the store, as their bytes are not the
    /// point here.
    private func activeJob(_ app: TestApplication, images: Int) throws -> (requester: String, job: Int64) {
        let requester = try app.register("requester")
        try app.store.ledger.credit(userID: requester.id, amount: Money("1.00")!, memo: nil)
        let job = try app.json(
            app.request(
                "POST", "/api/jobs", token: requester.token,
                json: [
                    "name": "review", "title": "Review", "labels": ["car"], "bounty": "0.10", "budget": "1.00",
                    "resultsPerImage": 1, "autoApproveAfterHours": 24,
                ]), 201)
        let jobID = try XCTUnwrap((job["id"] as? NSNumber)?.int64Value)
        for index in 0..<images {
            _ = try app.store.tasks.add(
                jobID: jobID, requesterID: requester.id,
                image: NewImage(
                    sha256: [UInt8](repeating: UInt8(index), count: 32), mimeType: "image/png", width: 40, height: 30,
                    byteCount: 10, filename: nil))
        }
        let activated = try app.json(app.request("POST", "/api/jobs/\(jobID)/activate", token: requester.token), 200)
        XCTAssertEqual(activated["budgetLeft"] as? String, "\(images == 1 ? "0.10" : "0.\(images)0")")
        XCTAssertEqual(activated["autoApproveAfterHours"] as? Int, 24)
        return (requester.token, jobID)
    }

    /// A tasker takes a lease and hands in one box; returns the result's id.
    private func handIn(_ app: TestApplication, job: Int64, tasker: String) throws -> Int64 {
        let lease = try app.json(app.request("POST", "/api/jobs/\(job)/leases", token: tasker), 201)
        let leaseID = try XCTUnwrap((lease["id"] as? NSNumber)?.int64Value)
        let train = try app.json(
            app.request(
                "POST", "/api/leases/\(leaseID)/train", token: tasker,
                json: ["boxes": [["x": 1, "y": 1, "w": 5, "h": 5]]]), 201)
        XCTAssertEqual(train["state"] as? String, "pending")
        return try XCTUnwrap((train["id"] as? NSNumber)?.int64Value)
    }

    private func earnings(_ app: TestApplication, _ tasker: String) throws -> [String: Any] {
        try app.json(app.request("GET", "/api/me/earnings", token: tasker), 200)
    }

    func testApprovalPaysOnceAndTheRefusalsChangeNothing() throws {
        let app = try TestApplication()
        let (requester, job) = try activeJob(app, images: 1)
        let tasker = try app.register("tasker").token
        let result = try handIn(app, job: job, tasker: tasker)
        XCTAssertEqual(try earnings(app, tasker)["pending"] as? String, "0.10")
        XCTAssertEqual(try earnings(app, tasker)["available"] as? String, "0.00")

        let approve: [String: Any] = ["action": "approve", "trainIds": [result]]
        let other = try app.register("requester").token
        XCTAssertEqual(
            try app.refusal(app.request("POST", "/api/jobs/\(job)/review", token: other, json: approve), 404), "not_found")
        XCTAssertEqual(
            try app.refusal(app.request("POST", "/api/jobs/\(job)/review", token: tasker, json: approve), 403), "forbidden")
        XCTAssertEqual(
            try app.refusal(
                app.request(
                    "POST", "/api/jobs/\(job)/review", token: requester,
                    json: ["action": "reject", "reason": "  ", "trainIds": [result]]), 422), "reason_required")
        XCTAssertEqual(
            try app.refusal(
                app.request(
                    "POST", "/api/jobs/\(job)/review", token: requester,
                    json: ["action": "approve", "state": "pending", "taskerId": 1]), 400), "bad_request")
        let preview = try app.json(
            app.request("POST", "/api/jobs/\(job)/review", token: requester, json: approve.merging(["preview": true]) { $1 }), 200
        )
        XCTAssertEqual(preview["count"] as? Int, 1)
        XCTAssertEqual(preview["amount"] as? String, "0.10")
        XCTAssertEqual(try earnings(app, tasker)["available"] as? String, "0.00", "a preview moves nothing")

        let decided = try app.json(app.request("POST", "/api/jobs/\(job)/review", token: requester, json: approve), 200)
        XCTAssertEqual(decided["count"] as? Int, 1)
        XCTAssertEqual(try earnings(app, tasker)["available"] as? String, "0.10")
        XCTAssertEqual(try earnings(app, tasker)["pending"] as? String, "0.00")
        XCTAssertEqual(
            try app.refusal(app.request("POST", "/api/jobs/\(job)/review", token: requester, json: approve), 409),
            "already_settled")
        XCTAssertEqual(try app.store.ledger.disagreements(), [])
    }

    func testARejectionIsShownToTheTaskerAndItsSlotIsOfferedAgain() throws {
        let app = try TestApplication()
        let (requester, job) = try activeJob(app, images: 1)
        let first = try app.register("tasker").token
        let second = try app.register("tasker").token
        let result = try handIn(app, job: job, tasker: first)
        _ = try app.json(
            app.request(
                "POST", "/api/jobs/\(job)/review", token: requester,
                json: ["action": "reject", "reason": "The box misses the car.", "trainIds": [result]]), 200)
        let history = try app.json(app.request("GET", "/api/me/results", token: first, query: ["state": "rejected"]), 200)
        let item = try XCTUnwrap((history["items"] as? [[String: Any]])?.first)
        XCTAssertEqual(item["rejectReason"] as? String, "The box misses the car.")
        XCTAssertEqual(try earnings(app, first)["rejected"] as? String, "0.10")
        XCTAssertEqual(
            try app.refusal(app.request("POST", "/api/jobs/\(job)/leases", token: first), 404), "no_work",
            "never the same image twice")
        _ = try handIn(app, job: job, tasker: second)
        let summary = try app.json(app.request("GET", "/api/jobs/\(job)/review", token: requester), 200)
        XCTAssertEqual((summary["pending"] as? [String: Any])?["count"] as? Int, 1)
        XCTAssertEqual((summary["rejected"] as? [String: Any])?["count"] as? Int, 1)
        XCTAssertEqual(try app.store.ledger.disagreements(), [])
    }
}
