import MariaStore
import XCTest

@testable import Marketplace

/// The geometry under the quality engine: overlap, one-to-one pairing, robust averages.
final class QualityBoxTests: XCTestCase {
    func testIoUOfIdenticalDisjointAndHalfOverlappingBoxes() {
        let box = Box(x: 0, y: 0, w: 100, h: 100, label: "cat")
        XCTAssertEqual(box.iou(with: box), 1)
        XCTAssertEqual(box.iou(with: Box(x: 200, y: 0, w: 100, h: 100, label: "cat")), 0)
        // Touching edges share no area.
        XCTAssertEqual(box.iou(with: Box(x: 100, y: 0, w: 100, h: 100, label: "cat")), 0)
        // Half of each: 5,000 shared of 15,000 covered.
        XCTAssertEqual(box.iou(with: Box(x: 50, y: 0, w: 100, h: 100, label: "dog")), 1.0 / 3, accuracy: 1e-12)
        // A box inside another: its area over the other's.
        XCTAssertEqual(box.iou(with: Box(x: 25, y: 25, w: 50, h: 50, label: "cat")), 0.25, accuracy: 1e-12)
    }

    func testABoxWithoutAreaOverlapsNothing() {
        let box = Box(x: 0, y: 0, w: 100, h: 100, label: "cat")
        XCTAssertEqual(box.iou(with: Box(x: 10, y: 10, w: 0, h: 50, label: "cat")), 0)
        XCTAssertEqual(box.iou(with: Box(x: .nan, y: 10, w: 10, h: 50, label: "cat")), 0)
    }

    func testMatchingPairsTheBestOverlapFirstAndOnlyOneToOne() {
        let expected = [Box(x: 0, y: 0, w: 100, h: 100, label: "cat")]
        let found = [
            Box(x: 10, y: 0, w: 100, h: 100, label: "cat"),
            Box(x: 2, y: 0, w: 100, h: 100, label: "cat"),
        ]
        let matching = BoxMatching(expected: expected, found: found, iouThreshold: 0.5)
        XCTAssertEqual(matching.pairs.map(\.found), [1])
        XCTAssertEqual(matching.missed, [])
        XCTAssertEqual(matching.extra, [0])
    }

    func testMatchingPairsOnlyTheSameLabelAboveTheThreshold() {
        let expected = [Box(x: 0, y: 0, w: 100, h: 100, label: "cat"), Box(x: 300, y: 0, w: 100, h: 100, label: "cat")]
        let found = [
            Box(x: 0, y: 0, w: 100, h: 100, label: "dog"),
            // IoU 1/3 with the second cat.
            Box(x: 350, y: 0, w: 100, h: 100, label: "cat"),
        ]
        let matching = BoxMatching(expected: expected, found: found, iouThreshold: 0.5)
        XCTAssertEqual(matching.pairs, [])
        XCTAssertEqual(matching.missed, [0, 1])
        XCTAssertEqual(matching.extra, [0, 1])
        XCTAssertEqual(BoxMatching(expected: expected, found: found, iouThreshold: 0.3).pairs.map(\.expected), [1])
        XCTAssertEqual(
            BoxMatching(expected: expected, found: found, iouThreshold: 0.5, ignoringLabels: true).pairs.map(\.found), [0])
    }

    func testAThresholdOfZeroStillNeedsOverlap() {
        let matching = BoxMatching(
            expected: [Box(x: 0, y: 0, w: 10, h: 10, label: "cat")], found: [Box(x: 50, y: 0, w: 10, h: 10, label: "cat")],
            iouThreshold: 0)
        XCTAssertEqual(matching.pairs, [])
    }

    func testWeightedMedianHonoursWeights() {
        XCTAssertEqual(weightedMedian([10, 20, 30], weights: [1, 1, 1]), 20)
        XCTAssertEqual(weightedMedian([30, 10, 20], weights: [5, 1, 1]), 30)
        XCTAssertEqual(weightedMedian([10, 20, 30, 40], weights: [1, 1, 1, 1]), 25)
        XCTAssertEqual(weightedMedian([10, 20, 30, 40], weights: [1, 1, 3, 1]), 30)
        // No usable weight: all count the same.
        XCTAssertEqual(weightedMedian([10, 20, 30], weights: [0, -1, .nan]), 20)
        // A weight of 0 takes no part.
        XCTAssertEqual(weightedMedian([10, 20, 30], weights: [1, 1, 0]), 15)
        XCTAssertEqual(weightedMean([10, 20], weights: [1, 3]), 17.5)
    }

    func testRobustAverageOfTwoBoxesIsTheirWeightedMean() {
        let average = Box.robustAverage(
            of: [Box(x: 0, y: 0, w: 100, h: 100, label: "a"), Box(x: 20, y: 40, w: 100, h: 100, label: "b")],
            weights: [3, 1], label: "cat")
        XCTAssertEqual(average, Box(x: 5, y: 10, w: 100, h: 100, label: "cat"))
    }
}
