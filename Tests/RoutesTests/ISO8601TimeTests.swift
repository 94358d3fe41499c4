import XCTest

@testable import Routes

final class ISO8601TimeTests: XCTestCase {
    func testTimesThatExist() {
        let noon = Date(timeIntervalSince1970: 1_795_705_200)  // 2026-11-26T15:00:00Z
        XCTAssertEqual(ISO8601Time.date(from: "2026-11-26T15:00:00Z"), noon)
        XCTAssertEqual(ISO8601Time.date(from: "2026-11-26T17:00:00+02:00"), noon)
        XCTAssertEqual(ISO8601Time.date(from: "2026-11-26T14:30:00-00:30"), noon)
        XCTAssertEqual(ISO8601Time.date(from: "2026-11-26T15:00:00.250Z")?.timeIntervalSince(noon) ?? -1, 0.25, accuracy: 0.001)
        XCTAssertNotNil(ISO8601Time.date(from: "2024-02-29T00:00:00Z"), "a leap day")
        XCTAssertNotNil(ISO8601Time.date(from: "2000-02-29T00:00:00Z"), "divisible by 400")
        XCTAssertEqual(ISO8601Time.date(from: "2026-11-26", allowingDayOnly: true), Date(timeIntervalSince1970: 1_795_651_200))
    }

    func testTimesThatDoNotExistOrAreNotWhole() {
        for text in [
            "2026-02-30T00:00:00Z", "2027-02-29T00:00:00Z", "1900-02-29T00:00:00Z", "2026-13-01T00:00:00Z",
            "2026-04-31T00:00:00Z", "2026-11-26T24:00:00Z", "2026-11-26T15:60:00Z", "2026-11-26T15:00:60Z",
            "2026-11-26T15:00:00", "2026-11-26 15:00:00Z", "2026-11-26T15:00:00ZJUNK", "2026-11-26T15:00:00+0200",
            "2026-11-26T15:00:00+25:00", "2026-11-26T15:00:00.Z", "20261126T150000Z", "2026-11-26", "tomorrow",
            "0999-12-31T00:00:00Z", "10000-01-01T00:00:00Z", "",
        ] {
            XCTAssertNil(ISO8601Time.date(from: text), text)
        }
        XCTAssertNil(ISO8601Time.date(from: "2026-02-30", allowingDayOnly: true))
    }
}
