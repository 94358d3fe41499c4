import MariaStore
import XCTest

@testable import Routes

final class ExportYOLOTests: XCTestCase {
    func testLineIsClassThenCentreAndSizeNormalisedByTheImage() {
        let box = Box(x: 10, y: 20, w: 100, h: 50, label: "car")
        // centre (60, 45) in a 640x480 image
        XCTAssertEqual(
            YOLOExport.line(box, classIndex: 1, imageWidth: 640, imageHeight: 480),
            "1 0.093750 0.093750 0.156250 0.1041666667")
    }

    func testWholeImageBoxIsOneHalfAndOne() {
        let box = Box(x: 0, y: 0, w: 33, h: 17, label: "a")
        XCTAssertEqual(
            YOLOExport.line(box, classIndex: 0, imageWidth: 33, imageHeight: 17),
            "0 0.500000 0.500000 1.000000 1.000000")
    }

    func testLinesDenormaliseToTheBoxWithinOneMillionth() throws {
        let boxes = [
            Box(x: 0.5, y: 1.25, w: 7.75, h: 3.125, label: "a"),
            Box(x: 1234.567, y: 89.0123, w: 2000.5, h: 0.75, label: "b"),
            Box(x: 4095, y: 3071, w: 1, h: 1, label: "a"),
        ]
        let (width, height) = (4096, 3072)
        for box in boxes {
            let fields = YOLOExport.line(box, classIndex: 0, imageWidth: width, imageHeight: height)
                .split(separator: " ").compactMap { Double($0) }
            XCTAssertEqual(fields.count, 5)
            let w = fields[3] * Double(width)
            let h = fields[4] * Double(height)
            let x = fields[1] * Double(width) - w / 2
            let y = fields[2] * Double(height) - h / 2
            for (got, want) in [(x, box.x), (y, box.y), (w, box.w), (h, box.h)] {
                XCTAssertEqual(got, want, accuracy: max(abs(want), 1) * 1e-6, "\(box)")
            }
        }
    }

    func testNumbersAreFixedPointWithSixToTenDecimals() {
        XCTAssertEqual(YOLOExport.number(0), "0.000000")
        XCTAssertEqual(YOLOExport.number(1), "1.000000")
        XCTAssertEqual(YOLOExport.number(0.5), "0.500000")
        XCTAssertEqual(YOLOExport.number(1.0 / 3), "0.3333333333")
        XCTAssertEqual(YOLOExport.number(2.0 / 3), "0.6666666667")
        XCTAssertEqual(YOLOExport.number(0.0000001), "0.0000001")
        XCTAssertEqual(YOLOExport.number(0.00000000004), "0.000000")
        XCTAssertFalse(YOLOExport.number(1e-9).contains("e"))
    }

    func testLabelFileHasALinePerKnownBoxAndIsEmptyWithoutBoxes() {
        let indexes = YOLOExport.classIndexes(labels: ["car", "person"])
        XCTAssertEqual(indexes, ["car": 0, "person": 1])
        let boxes = [
            Box(x: 0, y: 0, w: 10, h: 10, label: "person"), Box(x: 10, y: 10, w: 10, h: 10, label: "car"),
            Box(x: 0, y: 0, w: 1, h: 1, label: "not a class"),
        ]
        XCTAssertEqual(
            YOLOExport.labelFile(boxes, classIndexes: indexes, imageWidth: 20, imageHeight: 20),
            "1 0.250000 0.250000 0.500000 0.500000\n0 0.750000 0.750000 0.500000 0.500000\n")
        XCTAssertEqual(YOLOExport.labelFile([], classIndexes: indexes, imageWidth: 20, imageHeight: 20), "")
    }

    func testDataYAMLQuotesEveryName() throws {
        let yaml = try YOLOExport.dataYAML(labels: ["car", "a: b", "say \"hi\"\n#x", "ünïcode/ü"])
        XCTAssertTrue(yaml.contains("\npath: .\ntrain: images\nval: images\nnc: 4\n"))
        XCTAssertTrue(yaml.contains(#"names: ["car", "a: b", "say \"hi\"\n#x", "ünïcode/ü"]"#), yaml)
    }

    func testClassesTextIsOneNameALine() {
        XCTAssertEqual(YOLOExport.classesText(labels: ["car", "two\nlines"]), "car\ntwo lines\n")
    }
}
