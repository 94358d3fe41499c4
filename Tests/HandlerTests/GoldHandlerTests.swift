import Foundation
import MariaStore
import Marketplace
import Routes
import XCTest

/// The gold routes and what a tasker sees of a gold image, driven in process
/// (`TestApplication`).
final class GoldHandlerTests: XCTestCase {
    /// A requester's draft job with two 40x30 images (added through the store: their bytes
    /// are not the point here) and the tasks' ids.
    private func draftJob(_ app: TestApplication) throws -> (requester: String, job: Int64, tasks: [Int64]) {
        let requester = try app.register("requester")
        try app.store.ledger.credit(userID: requester.id, amount: Money("5.00")!, memo: nil)
        let job = try app.json(
            app.request(
                "POST", "/api/jobs", token: requester.token,
                json: [
                    "name": "gold", "title": "Gold", "labels": ["car"], "bounty": "0.10", "budget": "5.00",
                    "resultsPerImage": 1, "quality": ["goldAnswersPerImage": 2, "goldRate": ["early": 1, "earlyImages": 10]],
                ]), 201)
        let jobID = try XCTUnwrap((job["id"] as? NSNumber)?.int64Value)
        let tasks = try (0..<2).map { index in
            try app.store.tasks.add(
                jobID: jobID, requesterID: requester.id,
                image: NewImage(
                    sha256: [UInt8](repeating: UInt8(index + 1), count: 32), mimeType: "image/png", width: 40,
                    height: 30, byteCount: 10, filename: "\(index).png")
            ).task.id
        }
        return (requester.token, jobID, tasks)
    }

    func testAGoldImageLooksToATaskerLikeAnyOther() throws {
        let app = try TestApplication()
        let (requester, job, tasks) = try draftJob(app)
        let gold: [String: Any] = ["boxes": [["x": 2, "y": 3, "w": 10, "h": 8, "label": "car"]]]
        let marked = try app.json(
            app.request("PUT", "/api/jobs/\(job)/tasks/\(tasks[0])/gold", token: requester, json: gold), 200)
        XCTAssertEqual((marked["gold"] as? [String: Any])?["nothingToMark"] as? Bool, false)
        XCTAssertEqual(
            try app.refusal(
                app.request(
                    "PUT", "/api/jobs/\(job)/tasks/\(tasks[1])/gold", token: requester,
                    json: ["boxes": [["x": 35, "y": 3, "w": 10, "h": 8, "label": "car"]]]), 422), "box_outside_image")
        XCTAssertEqual(
            try app.refusal(
                app.request(
                    "PUT", "/api/jobs/\(job)/tasks/\(tasks[1])/gold", token: requester,
                    json: ["boxes": [["x": 1, "y": 1, "w": 5, "h": 5, "label": "bus"]]]), 422), "unknown_label")
        let activated = try app.json(app.request("POST", "/api/jobs/\(job)/activate", token: requester), 200)
        XCTAssertEqual(activated["goldImageCount"] as? Int, 1)
        XCTAssertEqual(activated["slotsFunded"] as? Int, 3, "two gold answers and one result")

        // With a gold rate of every image, the tasker's first lease is the gold image.
        let tasker = try app.register("tasker").token
        let lease = try app.json(app.request("POST", "/api/jobs/\(job)/leases", token: tasker), 201)
        XCTAssertEqual((lease["taskId"] as? NSNumber)?.int64Value, tasks[0])
        let seen = try app.json(app.request("GET", "/api/tasks/\(tasks[0])", token: tasker), 200)
        for field in ["gold", "resultsWanted", "trainCount", "liveLeases", "heldSlots", "agreement", "qualityDone"] {
            XCTAssertNil(seen[field], "a tasker sees \(field)")
        }
        let owner = try app.json(app.request("GET", "/api/tasks/\(tasks[0])", token: requester), 200)
        XCTAssertNotNil(owner["gold"])
        XCTAssertEqual(
            try app.refusal(app.request("DELETE", "/api/jobs/\(job)/tasks/\(tasks[0])/gold", token: requester), 409),
            "image_worked_on")
    }

    func testACOCOFileThatDoesNotMatchTheJobIsRefusedWholly() throws {
        let app = try TestApplication()
        let (requester, job, _) = try draftJob(app)
        func coco(_ fileName: String, category: String) -> [String: Any] {
            [
                "images": [["id": 1, "file_name": fileName, "width": 40, "height": 30], ["id": 2, "file_name": "1.png"]],
                "categories": [["id": 3, "name": category]],
                "annotations": [["id": 1, "image_id": 1, "category_id": 3, "bbox": [1, 2, 3, 4]]],
            ]
        }
        let path = "/api/jobs/\(job)/gold/coco"
        XCTAssertEqual(
            try app.refusal(app.request("POST", path, token: requester, json: coco("9.png", category: "car")), 422),
            "coco_unknown_image")
        XCTAssertEqual(
            try app.refusal(app.request("POST", path, token: requester, json: coco("0.png", category: "bus")), 422),
            "coco_unknown_category")
        XCTAssertEqual(
            try app.refusal(app.request("POST", path, token: requester, json: ["images": "no"]), 422), "coco_invalid")
        XCTAssertEqual(try app.store.jobs.find(id: job)?.goldImageCount, 0, "nothing marked")
        let imported = try app.json(app.request("POST", path, token: requester, json: coco("0.png", category: "car")), 200)
        XCTAssertEqual(imported["marked"] as? Int, 2, "the second image: gold with nothing to mark")
        XCTAssertEqual(try app.store.jobs.find(id: job)?.goldImageCount, 2)
    }
}
