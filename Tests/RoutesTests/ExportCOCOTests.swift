import MariaStore
import Marketplace
import XCTest

@testable import Routes

final class ExportCOCOTests: XCTestCase {
    func testCategoriesAreNumberedFromOneInLabelOrder() {
        let categories = COCOExport.categories(labels: ["person", "car", "traffic light"])
        XCTAssertEqual(
            categories,
            [
                .init(id: 1, name: "person", supercategory: "object"),
                .init(id: 2, name: "car", supercategory: "object"),
                .init(id: 3, name: "traffic light", supercategory: "object"),
            ])
        XCTAssertEqual(COCOExport.categoryIDs(labels: ["person", "car"]), ["person": 1, "car": 2])
    }

    func testCategoriesEncodeAsCOCO() throws {
        let json = String(decoding: try JSONCoding.encoder.encode(COCOExport.categories(labels: ["a/b"])), as: UTF8.self)
        XCTAssertEqual(json, #"[{"id":1,"name":"a/b","supercategory":"object"}]"#)
    }

    func testAnnotationKeepsTheStoredBoxAndItsArea() throws {
        let annotation = COCOExport.Annotation(
            id: 901, box: Box(x: 10.25, y: 20, w: 100.5, h: 50, label: "car"),
            categoryID: 2, imageID: 11, attributes: COCOExport.ResultAttributes(taskerId: 7, trainId: 55))
        let object = try XCTUnwrap(
            JSONSerialization.jsonObject(with: try JSONCoding.encoder.encode(annotation)) as? [String: Any])
        XCTAssertEqual(object["id"] as? Int, 901)
        XCTAssertEqual(object["image_id"] as? Int, 11)
        XCTAssertEqual(object["category_id"] as? Int, 2)
        XCTAssertEqual(object["bbox"] as? [Double], [10.25, 20, 100.5, 50])
        XCTAssertEqual(object["area"] as? Double, 5025)
        XCTAssertEqual(object["iscrowd"] as? Int, 0)
        XCTAssertEqual(object["attributes"] as? [String: Int], ["tasker_id": 7, "train_id": 55])
        XCTAssertNil(object["score"], "a tasker's box has no score")
    }

    func testFormatsAndFileNames() throws {
        XCTAssertEqual(try ExportFormat(query: "COCO"), .coco)
        XCTAssertThrowsError(try ExportFormat(query: nil)) { XCTAssertEqual(($0 as? APIError)?.status, 400) }
        XCTAssertThrowsError(try ExportFormat(query: "xml")) { XCTAssertEqual(($0 as? APIError)?.status, 422) }
        XCTAssertEqual(try ExportFormat.onlyFinished(query: "finished"), true)
        XCTAssertEqual(try ExportFormat.onlyFinished(query: nil), false)
        XCTAssertThrowsError(try ExportFormat.onlyFinished(query: "done"))
        XCTAssertEqual(ExportFormat.coco.filename(jobID: 12, onlyFinished: false), "job-12-coco.json")
        XCTAssertEqual(ExportFormat.yolo.filename(jobID: 12, onlyFinished: true), "job-12-yolo-finished.zip")
        XCTAssertEqual(ExportFormat.csv.filename(jobID: 3, onlyFinished: false), "job-3-trains.csv")
        XCTAssertEqual(ExportFormat.jsonl.filename(jobID: 3, onlyFinished: false), "job-3-trains.jsonl")
    }

    func testImageExtensionsFollowTheType() {
        XCTAssertEqual(ExportNames.fileExtension(mimeType: "image/png"), "png")
        XCTAssertEqual(ExportNames.fileExtension(mimeType: "image/jpeg"), "jpg")
        XCTAssertEqual(ExportNames.fileExtension(mimeType: "image/webp"), "webp")
    }
}
