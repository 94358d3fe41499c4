import Foundation
import Logging
import MariaStore
import Marketplace
import XCTest

@testable import Routes

/// The parts of the legacy protocol that need no server: routing, the command table, the
/// reading of the original JSON, the records' text, the PNG conversion.
final class LegacyProtocolTests: XCTestCase {
    func testBothSpellingsOfTheEndpointReachTheLegacyHandler() {
        let router = RouteTable.router()
        for (method, path) in [
            ("GET", "/Server.aph"), ("POST", "/Server.aph"), ("GET", "/server.aph/"),
            ("POST", "/server.aph/"), ("HEAD", "/SERVER.APH"),
        ] {
            guard case .found = router.match(method: method, path: path) else { return XCTFail("\(method) \(path)") }
        }
    }

    func testEveryCommandOfTheOriginalProtocolIsThere() {
        let commands = [
            "TaskerRegistration", "TaskerLogon", "RequesterRegistration", "RequesterLogon", "GetActiveJobs",
            "GetUserJobs", "GetAllJobs", "GetNexAvailableTrain", "GetNextAvailableTrain", "GetTaskImage",
            "GetTrainResultsPerTask", "GetTasksPerJob", "RemoveJobImages", "Uploader", "PublishJob1",
            "PublishJob2", "UpdateJob", "ReportTrain", "UploadImage", "UploadImageBinary", "RequestPayment",
        ]
        XCTAssertEqual(Set(LegacyEndpoint.commands.keys), Set(commands))
        for name in ["PublishJob1", "PublishJob2", "UpdateJob", "ReportTrain", "UploadImage", "UploadImageBinary"] {
            XCTAssertTrue(LegacyEndpoint.commands[name]!.takesBody, name)
        }
        // Only commands that change nothing may be authenticated by the cookie alone.
        let cookieCommands = Set(LegacyEndpoint.commands.values.filter(\.readOnly).map(\.name))
        XCTAssertEqual(
            cookieCommands,
            [
                "GetActiveJobs", "GetUserJobs", "GetAllJobs", "GetTaskImage",
                "GetTrainResultsPerTask", "GetTasksPerJob",
            ])
    }

    func testErrorsBecomeTheOriginalSentences() {
        let command = LegacyEndpoint.commands["GetNexAvailableTrain"]!
        let logger = Logger(label: "test")
        XCTAssertEqual(
            LegacyEndpoint.failure(MarketError(.notFound, "no_work", "x"), of: command, logger: logger).body,
            "Error: No Train available")
        XCTAssertEqual(
            LegacyEndpoint.failure(APIError.badRequest("Missing parameter JobID."), of: command, logger: logger).body,
            "Error: Missing parameter JobID.")
        let unexpected = LegacyEndpoint.failure(CocoaError(.fileReadNoSuchFile), of: command, logger: logger)
        XCTAssertEqual(unexpected.body, "Error: " + APIError.internalError.message)
        XCTAssertEqual(unexpected.response.status, 200)
        let throttled = LegacyEndpoint.failure(
            APIError(429, "too_many_attempts", "Wait.", headers: ["Retry-After": "9"]),
            of: command, logger: logger)
        XCTAssertEqual(throttled.response.header("Retry-After"), "9")
    }

    func testFieldsTakeStringsNumbersAndBooleans() throws {
        let fields = try LegacyFields.parse(
            Array(
                """
                {"bounty": 0.05, "budget": "20.00", "MaxTrains": "4", "X": 12.5, "Y": "7", "active": true,
                 "labels": ["car", "bus"], "title": "  Cars  ", "description": "", "nothing": null, "obj": {"a": 1}}
                """.utf8))
        XCTAssertEqual(try fields.money("bounty"), Money(cents: 5))
        XCTAssertEqual(try fields.money("budget"), Money(cents: 2000))
        XCTAssertEqual(try fields.integer("MaxTrains"), 4)
        XCTAssertEqual(try fields.number("X"), 12.5)
        XCTAssertEqual(try fields.number("Y"), 7)
        XCTAssertEqual(fields.text("active"), "True")
        XCTAssertEqual(try fields.names("labels"), ["car", "bus"])
        XCTAssertEqual(fields.text("title"), "Cars")
        XCTAssertNil(fields.text("description"))
        XCTAssertNil(fields.text("nothing"))
        XCTAssertNil(fields.text("obj"))
        XCTAssertNil(try fields.money("absent"))
    }

    func testFieldsRefuseWhatIsNotANumber() throws {
        let fields = try LegacyFields.parse(Array(#"{"bounty": "0.055", "X": "ten", "MaxTrains": 2.5}"#.utf8))
        XCTAssertThrowsError(try fields.money("bounty"))
        XCTAssertThrowsError(try fields.number("X"))
        XCTAssertThrowsError(try fields.integer("MaxTrains"))
        XCTAssertThrowsError(try LegacyFields.parse(Array("not json".utf8)))
        XCTAssertThrowsError(try LegacyFields.parse(Array("[1, 2]".utf8)))
        XCTAssertThrowsError(try LegacyFields.parse([]))
    }

    func testDatesAndLabels() throws {
        let fields = try LegacyFields.parse(
            Array(
                """
                {"startTime": "2026-11-26T15:00:00Z", "endTime": "", "day": "2026-12-01", "bad": "tomorrow", "labels": "car, person"}
                """.utf8))
        XCTAssertEqual(try fields.date("startTime"), .some(Date(timeIntervalSince1970: 1_795_705_200)))
        XCTAssertEqual(try fields.date("endTime"), .some(nil))
        XCTAssertNotNil(try fields.date("day") ?? nil)
        XCTAssertNil(try fields.date("absent"))
        XCTAssertThrowsError(try fields.date("bad"))
        XCTAssertEqual(try fields.names("labels"), ["car", "person"])
    }

    func testOldJobJSONBecomesAJobInput() throws {
        let fields = try LegacyFields.parse(
            Array(
                """
                {"ID": "0", "userID": "User1", "name": "ignored", "title": "", "description": "d", "instructions": "i",
                 "bounty": "0.5", "budget": 20, "budgetLeft": "0", "active": "True", "type": "Other", "guid": "x"}
                """.utf8))
        let draft = try LegacyJobCommands.input(fields, name: "cars", creating: true).draft(over: nil)
        XCTAssertEqual(draft.name, "cars")
        XCTAssertEqual(draft.title, "cars")
        XCTAssertEqual(draft.type, "ImageRegion")
        XCTAssertEqual(draft.bounty, Money(cents: 50))
        XCTAssertEqual(draft.budget, Money(cents: 2000))
        XCTAssertEqual(draft.resultsPerImage, JobInput.defaultResultsPerImage)
    }

    func testLeaseIsFoundInTheGuid() {
        XCTAssertEqual(LegacyTrainRecord.leaseID(fromGuid: "lease-90"), 90)
        XCTAssertEqual(LegacyTrainRecord.leaseID(fromGuid: "90"), 90)
        XCTAssertNil(LegacyTrainRecord.leaseID(fromGuid: "lease-0"))
        XCTAssertNil(LegacyTrainRecord.leaseID(fromGuid: "1 OR 1=1"))
        XCTAssertNil(LegacyTrainRecord.leaseID(fromGuid: "6f1c5e1a-0000-4000-8000-000000000000"))
    }

    func testNumbersAreWrittenAsTheOriginalDid() {
        XCTAssertEqual(LegacyFormat.number(0), "0")
        XCTAssertEqual(LegacyFormat.number(12), "12")
        XCTAssertEqual(LegacyFormat.number(12.5), "12.5")
        XCTAssertEqual(LegacyFormat.number(123.45999999999), "123.46")
        XCTAssertEqual(LegacyFormat.date(nil), "")
        XCTAssertEqual(LegacyFormat.date(Date(timeIntervalSince1970: 0)), "1970-01-01T00:00:00Z")
    }

    func testHTMLEscaping() {
        XCTAssertEqual(
            LegacyImageCommands.html(#"<script>alert("x&y")</script>'"#),
            "&lt;script&gt;alert(&quot;x&amp;y&quot;)&lt;/script&gt;&#39;")
    }

    func testJPEGAndWebPBecomePNG() throws {
        for encoded in [LegacyProtocolTests.jpeg, LegacyProtocolTests.webp] {
            let bytes = Array(Data(base64Encoded: encoded)!)
            let png = try PNGConverter.png(from: bytes, header: XCTUnwrap(ImageHeader(bytes)))
            let header = try XCTUnwrap(ImageHeader(png))
            XCTAssertEqual(header, ImageHeader(format: .png, width: 4, height: 3))
        }
    }

    func testPNGIsServedAsItIs() throws {
        let png = Array(Data(base64Encoded: LegacyProtocolTests.png)!)
        XCTAssertEqual(try PNGConverter.png(from: png, header: XCTUnwrap(ImageHeader(png))), png)
    }

    func testBrokenJPEGIsAnErrorNotACrash() throws {
        var bytes = Array(Data(base64Encoded: LegacyProtocolTests.jpeg)!)
        let header = try XCTUnwrap(ImageHeader(bytes))
        bytes.removeLast(bytes.count - 200)
        XCTAssertThrowsError(try PNGConverter.png(from: bytes + [UInt8](repeating: 0x11, count: 40), header: header))
    }

    // 4 x 3 images made with libgd.
    static let jpeg = """
        /9j/4AAQSkZJRgABAQEAYABgAAD//gA7Q1JFQVRPUjogZ2QtanBlZyB2MS4wICh1c2luZyBJSkcgSlBFRyB2NjIpLCBxdWFsaXR5ID0gODAK/9sAQwAGBAUGBQQGBgUGBwcGCAoQCgoJCQoUDg8MEBcUGBgXFBYWGh0lHxobIxwWFiAsICMmJykqKRkfLTAtKDAlKCko/9sAQwEHBwcKCAoTCgoTKBoWGigoKCgoKCgoKCgoKCgoKCgoKCgoKCgoKCgoKCgoKCgoKCgoKCgoKCgoKCgoKCgoKCgo/8AAEQgAAwAEAwEiAAIRAQMRAf/EAB8AAAEFAQEBAQEBAAAAAAAAAAABAgMEBQYHCAkKC//EALUQAAIBAwMCBAMFBQQEAAABfQECAwAEEQUSITFBBhNRYQcicRQygZGhCCNCscEVUtHwJDNicoIJChYXGBkaJSYnKCkqNDU2Nzg5OkNERUZHSElKU1RVVldYWVpjZGVmZ2hpanN0dXZ3eHl6g4SFhoeIiYqSk5SVlpeYmZqio6Slpqeoqaqys7S1tre4ubrCw8TFxsfIycrS09TV1tfY2drh4uPk5ebn6Onq8fLz9PX29/j5+v/EAB8BAAMBAQEBAQEBAQEAAAAAAAABAgMEBQYHCAkKC//EALURAAIBAgQEAwQHBQQEAAECdwABAgMRBAUhMQYSQVEHYXETIjKBCBRCkaGxwQkjM1LwFWJy0QoWJDThJfEXGBkaJicoKSo1Njc4OTpDREVGR0hJSlNUVVZXWFlaY2RlZmdoaWpzdHV2d3h5eoKDhIWGh4iJipKTlJWWl5iZmqKjpKWmp6ipqrKztLW2t7i5usLDxMXGx8jJytLT1NXW19jZ2uLj5OXm5+jp6vLz9PX29/j5+v/aAAwDAQACEQMRAD8A4Ciiivnj9hP/2Q==
        """
    static let webp = "UklGRjoAAABXRUJQVlA4IC4AAACwAQCdASoEAAMAAUAmJaACdLoABDAAAP7x3I/4DdfFtMv/vYL/3YL/3YL/WwAA"
    static let png = "iVBORw0KGgoAAAANSUhEUgAAAAQAAAADCAIAAAA7ljmRAAAAEElEQVR4nGPgEpGDIwacHAA2DwLRfmhzowAAAABJRU5ErkJggg=="
}
