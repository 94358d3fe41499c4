import MariaStore
import XCTest

@testable import Routes

final class ExportVOCTests: XCTestCase {
    func testXMLOfOneImage() throws {
        let annotation = VOCExport.annotation(
            filename: "7_0123456789ab.png", width: 640, height: 480,
            boxes: [
                Box(x: 10, y: 20.5, w: 100, h: 50, label: "car & <truck>"),
                Box(x: 0, y: 0, w: 640, h: 480, label: "it's \"all\""),
            ])
        let xml = String(decoding: try VOCExport.xml(annotation), as: UTF8.self)
        XCTAssertEqual(
            xml,
            """
            <?xml version="1.0" encoding="UTF-8"?>
            <annotation>
                <folder>JPEGImages</folder>
                <filename>7_0123456789ab.png</filename>
                <source>
                    <database>TrainTasker</database>
                </source>
                <size>
                    <width>640</width>
                    <height>480</height>
                    <depth>3</depth>
                </size>
                <segmented>0</segmented>
                <object>
                    <name>car &amp; &lt;truck&gt;</name>
                    <pose>Unspecified</pose>
                    <truncated>0</truncated>
                    <difficult>0</difficult>
                    <bndbox>
                        <xmin>10</xmin>
                        <ymin>20.5</ymin>
                        <xmax>110</xmax>
                        <ymax>70.5</ymax>
                    </bndbox>
                </object>
                <object>
                    <name>it&apos;s &quot;all&quot;</name>
                    <pose>Unspecified</pose>
                    <truncated>0</truncated>
                    <difficult>0</difficult>
                    <bndbox>
                        <xmin>0</xmin>
                        <ymin>0</ymin>
                        <xmax>640</xmax>
                        <ymax>480</ymax>
                    </bndbox>
                </object>
            </annotation>

            """)
    }

    func testImageWithoutBoxesHasNoObject() throws {
        let xml = String(
            decoding: try VOCExport.xml(
                VOCExport.annotation(filename: "1_ab.jpg", width: 3, height: 2, boxes: [])), as: UTF8.self)
        XCTAssertFalse(xml.contains("<object"))
        XCTAssertTrue(xml.contains("<filename>1_ab.jpg</filename>"))
    }

    func testCoordinatesAreWholeNumbersOrShortestDecimals() {
        XCTAssertEqual(VOCExport.number(10), "10")
        XCTAssertEqual(VOCExport.number(0), "0")
        XCTAssertEqual(VOCExport.number(10.5), "10.5")
        XCTAssertEqual(VOCExport.number(0.1 + 0.2), "0.30000000000000004")
        XCTAssertEqual(Double(VOCExport.number(1234.5678)), 1234.5678)
    }

    func testTextThatXMLCannotHoldIsReplaced() throws {
        XCTAssertEqual(VOCExport.xmlSafe("a\u{1}b\u{FFFE}c\td"), "a\u{FFFD}b\u{FFFD}c\td")
        let xml = String(
            decoding: try VOCExport.xml(
                VOCExport.annotation(
                    filename: "1_ab.png", width: 9, height: 9, boxes: [Box(x: 1, y: 1, w: 1, h: 1, label: "x\u{0}y\rz")])),
            as: UTF8.self)
        XCTAssertTrue(xml.contains("<name>x\u{FFFD}y&#13;z</name>"), xml)
    }
}
