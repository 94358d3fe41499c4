import MariaStore
import XCTest

@testable import Routes

/// The rule that turns the original app's canvas boxes into image pixels (docs/LEGACY.md).
final class LegacyCanvasTests: XCTestCase {
    private typealias Rect = LegacyCanvas.Rect
    private typealias Size = LegacyCanvas.Size

    private func convert(
        _ box: Rect, image: Size, declared: CoordinateSpace? = nil,
        canvas: Size = LegacyCanvas.standard
    ) -> (box: Rect, space: CoordinateSpace)? {
        LegacyCanvas.imageBox(box, declared: declared, image: image, canvas: canvas)
    }

    func testBoxOnTheCanvasIsScaledToTheImage() throws {
        let result = try XCTUnwrap(convert(Rect(x: 100, y: 50, w: 200, h: 100), image: Size(width: 1000, height: 600)))
        XCTAssertEqual(result.box, Rect(x: 200, y: 100, w: 400, h: 200))
        XCTAssertEqual(result.space, .legacyCanvas)
    }

    func testEachAxisHasItsOwnScaleBecauseTheAppStretchedTheImage() throws {
        let result = try XCTUnwrap(convert(Rect(x: 100, y: 50, w: 200, h: 100), image: Size(width: 640, height: 480)))
        XCTAssertEqual(result.box, Rect(x: 128, y: 80, w: 256, h: 160))
    }

    func testImageOfTheCanvasSizeKeepsTheNumbersButRecordsTheCanvas() throws {
        let result = try XCTUnwrap(convert(Rect(x: 10, y: 20, w: 30, h: 40), image: Size(width: 500, height: 300)))
        XCTAssertEqual(result.box, Rect(x: 10, y: 20, w: 30, h: 40))
        XCTAssertEqual(result.space, .legacyCanvas)
    }

    func testSmallImageIsScaledDown() throws {
        let result = try XCTUnwrap(convert(Rect(x: 100, y: 60, w: 250, h: 150), image: Size(width: 250, height: 150)))
        XCTAssertEqual(result.box, Rect(x: 50, y: 30, w: 125, h: 75))
    }

    func testBoxDraggedPastTheCanvasEdgeKeepsItsPartOnTheCanvas() throws {
        let result = try XCTUnwrap(convert(Rect(x: 450, y: -20, w: 100, h: 70), image: Size(width: 1000, height: 600)))
        XCTAssertEqual(result.box, Rect(x: 900, y: 0, w: 100, h: 100))
        XCTAssertEqual(result.space, .legacyCanvas)
    }

    func testBoxThatMissesTheCanvasIsReadAsImagePixels() throws {
        let result = try XCTUnwrap(convert(Rect(x: 600, y: 400, w: 100, h: 80), image: Size(width: 2000, height: 1500)))
        XCTAssertEqual(result.box, Rect(x: 600, y: 400, w: 100, h: 80))
        XCTAssertEqual(result.space, .image)
    }

    func testBoxStartingAtTheCanvasEdgeDoesNotOverlapIt() {
        XCTAssertEqual(LegacyCanvas.space(of: Rect(x: 500, y: 0, w: 10, h: 10)), .image)
        XCTAssertEqual(LegacyCanvas.space(of: Rect(x: 0, y: 300, w: 10, h: 10)), .image)
        XCTAssertEqual(LegacyCanvas.space(of: Rect(x: -10, y: 0, w: 10, h: 10)), .image)
        XCTAssertEqual(LegacyCanvas.space(of: Rect(x: 499.5, y: 299.5, w: 10, h: 10)), .legacyCanvas)
        XCTAssertEqual(LegacyCanvas.space(of: Rect(x: -10, y: -10, w: 10.5, h: 10.5)), .legacyCanvas)
    }

    func testBoxOutsideBothCanvasAndImageIsRefused() {
        XCTAssertNil(convert(Rect(x: 900, y: 700, w: 50, h: 50), image: Size(width: 800, height: 600)))
        XCTAssertNil(convert(Rect(x: -100, y: -100, w: 50, h: 50), image: Size(width: 800, height: 600)))
    }

    func testBoxWithoutAreaIsRefused() {
        XCTAssertNil(convert(Rect(x: 10, y: 10, w: 0, h: 20), image: Size(width: 800, height: 600)))
        XCTAssertNil(convert(Rect(x: 10, y: 10, w: 20, h: 0), image: Size(width: 800, height: 600)))
        XCTAssertNil(convert(Rect(x: 10, y: 10, w: 0.001, h: 20), image: Size(width: 800, height: 600), declared: .image))
    }

    func testNonFiniteValuesAreRefused() {
        XCTAssertNil(convert(Rect(x: .nan, y: 0, w: 10, h: 10), image: Size(width: 800, height: 600)))
        XCTAssertNil(convert(Rect(x: 0, y: 0, w: .infinity, h: 10), image: Size(width: 800, height: 600)))
    }

    func testNegativeSizeReachesLeftAndUp() throws {
        let result = try XCTUnwrap(convert(Rect(x: 300, y: 200, w: -100, h: -50), image: Size(width: 1000, height: 600)))
        XCTAssertEqual(result.box, Rect(x: 400, y: 300, w: 200, h: 100))
    }

    func testDeclaredImageSpaceIsOnlyClipped() throws {
        let result = try XCTUnwrap(
            convert(
                Rect(x: 100, y: 50, w: 200, h: 100), image: Size(width: 1000, height: 600),
                declared: .image))
        XCTAssertEqual(result.box, Rect(x: 100, y: 50, w: 200, h: 100))
        XCTAssertEqual(result.space, .image)
        let clipped = try XCTUnwrap(
            convert(
                Rect(x: 900, y: 500, w: 200, h: 200), image: Size(width: 1000, height: 600),
                declared: .image))
        XCTAssertEqual(clipped.box, Rect(x: 900, y: 500, w: 100, h: 100))
    }

    func testDeclaredCanvasAppliesEvenOffTheCanvas() throws {
        let result = try XCTUnwrap(
            convert(
                Rect(x: 450, y: 250, w: 200, h: 200), image: Size(width: 1000, height: 600),
                declared: .legacyCanvas))
        XCTAssertEqual(result.box, Rect(x: 900, y: 500, w: 100, h: 100))
        XCTAssertEqual(result.space, .legacyCanvas)
    }

    func testNarrowPhoneCanvasWhenTheClientSaysSo() throws {
        let canvas = try XCTUnwrap(LegacyCanvas.canvas(width: 375, height: nil))
        XCTAssertEqual(canvas, Size(width: 375, height: 225))
        let result = try XCTUnwrap(
            convert(
                Rect(x: 75, y: 45, w: 150, h: 90), image: Size(width: 750, height: 450),
                canvas: canvas))
        XCTAssertEqual(result.box, Rect(x: 150, y: 90, w: 300, h: 180))
    }

    func testCanvasSizeChoices() {
        XCTAssertEqual(LegacyCanvas.canvas(width: nil, height: nil), LegacyCanvas.standard)
        XCTAssertEqual(LegacyCanvas.canvas(width: 400, height: 100), Size(width: 400, height: 100))
        XCTAssertNil(LegacyCanvas.canvas(width: nil, height: 300))
        XCTAssertNil(LegacyCanvas.canvas(width: 0, height: nil))
        XCTAssertNil(LegacyCanvas.canvas(width: 20_000, height: nil))
        XCTAssertNil(LegacyCanvas.canvas(width: .nan, height: nil))
    }

    func testEdgesAreRoundedToHundredthsAndStayInsideTheImage() throws {
        let result = try XCTUnwrap(convert(Rect(x: 0.123, y: 10, w: 499.9, h: 100), image: Size(width: 333, height: 111)))
        XCTAssertEqual(result.box.x, 0.08, accuracy: 1e-9)
        XCTAssertLessThanOrEqual(result.box.x + result.box.w, 333)
    }

    /// Whatever arrives, a result lies inside the image with a positive size, as the store
    /// requires (`x + w <= width` in floating point).
    func testEveryResultFitsTheImage() {
        var generator = SystemRandomNumberGenerator()
        for _ in 0..<20_000 {
            let image = Size(
                width: Double(Int.random(in: 1...4000, using: &generator)),
                height: Double(Int.random(in: 1...4000, using: &generator)))
            let box = Rect(
                x: Double.random(in: -600...4500, using: &generator), y: Double.random(in: -600...4500, using: &generator),
                w: Double.random(in: -600...4500, using: &generator), h: Double.random(in: -600...4500, using: &generator))
            let declared: CoordinateSpace? = [nil, .image, .legacyCanvas].randomElement(using: &generator)!
            guard let result = convert(box, image: image, declared: declared) else { continue }
            XCTAssertGreaterThanOrEqual(result.box.x, 0)
            XCTAssertGreaterThanOrEqual(result.box.y, 0)
            XCTAssertGreaterThan(result.box.w, 0)
            XCTAssertGreaterThan(result.box.h, 0)
            XCTAssertLessThanOrEqual(result.box.x + result.box.w, image.width, "\(box) on \(image)")
            XCTAssertLessThanOrEqual(result.box.y + result.box.h, image.height, "\(box) on \(image)")
        }
    }

    func testSameInputGivesTheSameBox() {
        let box = Rect(x: 123.456, y: 78.9, w: 111.111, h: 22.22)
        let image = Size(width: 1234, height: 567)
        XCTAssertEqual(convert(box, image: image)?.box, convert(box, image: image)?.box)
    }
}
