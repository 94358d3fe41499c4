import MariaStore
import Marketplace
import XCTest

/// Answers on gold images scored against their known boxes, and the accuracy they add up to.
final class QualityGoldTests: XCTestCase {
    let gold = [
        Box(x: 10, y: 10, w: 100, h: 100, label: "cat"),
        Box(x: 300, y: 10, w: 100, h: 100, label: "cat"),
        Box(x: 10, y: 300, w: 80, h: 120, label: "dog"),
    ]

    func testAPerfectAnswer() {
        let score = GoldScore(answer: gold.map { shifted($0, by: 3) }, gold: gold)
        XCTAssertEqual([score.truePositives, score.falsePositives, score.falseNegatives], [3, 0, 0])
        XCTAssertEqual([score.precision, score.recall, score.f1], [1, 1, 1])
        XCTAssertTrue(score.passed)
        XCTAssertEqual(score.missed, [])
        XCTAssertEqual(score.extra, [])
        XCTAssertGreaterThan(score.meanIoU, 0.9)
    }

    func testAMissedObjectIsShownToTheTasker() {
        let score = GoldScore(answer: Array(gold[0..<2]), gold: gold)
        XCTAssertEqual([score.truePositives, score.falsePositives, score.falseNegatives], [2, 0, 1])
        XCTAssertEqual(score.precision, 1)
        XCTAssertEqual(score.recall, 2.0 / 3, accuracy: 1e-12)
        XCTAssertEqual(score.f1, 0.8, accuracy: 1e-12)
        XCTAssertEqual(score.missed, [gold[2]])
        XCTAssertTrue(score.passed)
        XCTAssertFalse(GoldScore(answer: Array(gold[0..<2]), gold: gold, passLine: 0.9).passed)
    }

    func testAnExtraBoxLowersPrecision() {
        let extra = Box(x: 500, y: 500, w: 50, h: 50, label: "cat")
        let score = GoldScore(answer: gold + [extra], gold: gold)
        XCTAssertEqual([score.truePositives, score.falsePositives, score.falseNegatives], [3, 1, 0])
        XCTAssertEqual(score.precision, 0.75)
        XCTAssertEqual(score.recall, 1)
        XCTAssertEqual(score.extra, [extra])
    }

    func testAWrongLabelIsAMissAndAnExtra() {
        var wrong = gold[2]
        wrong.label = "cat"
        let score = GoldScore(answer: [gold[0], gold[1], wrong], gold: gold)
        XCTAssertEqual([score.truePositives, score.falsePositives, score.falseNegatives], [2, 1, 1])
        XCTAssertEqual(score.missed, [gold[2]])
        XCTAssertEqual(score.extra, [wrong])
    }

    func testAnEmptyGoldImage() {
        let nothing = GoldScore(answer: [], gold: [])
        XCTAssertEqual([nothing.precision, nothing.recall, nothing.f1], [1, 1, 1])
        XCTAssertTrue(nothing.passed)
        let boxes = GoldScore(answer: [gold[0]], gold: [])
        XCTAssertEqual(boxes.precision, 0)
        XCTAssertEqual(boxes.f1, 0)
        XCTAssertFalse(boxes.passed)
        let missedAll = GoldScore(answer: [], gold: gold)
        XCTAssertEqual([missedAll.recall, missedAll.f1], [0, 0])
    }

    func testAccuracyIsTheMeanF1OfTheGoldAnswers() {
        var accuracy = TaskerAccuracy()
        XCTAssertEqual(accuracy.accuracy, 1)
        accuracy.add(GoldScore(answer: gold, gold: gold))
        accuracy.add(GoldScore(answer: Array(gold[0..<2]), gold: gold))
        accuracy.add(GoldScore(answer: [], gold: []))
        accuracy.add(GoldScore(answer: [], gold: gold))
        XCTAssertEqual(accuracy.goldAnswers, 4)
        XCTAssertEqual(accuracy.accuracy, (1 + 0.8 + 1 + 0) / 4, accuracy: 1e-12)
        XCTAssertEqual(TaskerAccuracy(goldAnswers: 4, totalF1: 2.8), accuracy)
    }

    func testATaskerIsBlockedOnlyAfterEnoughGoldAnswersBelowTheThreshold() {
        let misses = TaskerAccuracy((0..<3).map { _ in GoldScore(answer: [], gold: gold) })
        XCTAssertFalse(misses.shouldBlock(threshold: 0.5, minimumAnswers: 5))
        XCTAssertTrue(misses.shouldBlock(threshold: 0.5, minimumAnswers: 3))
        XCTAssertFalse(TaskerAccuracy().shouldBlock(threshold: 0.5, minimumAnswers: 0))
        let good = TaskerAccuracy((0..<10).map { _ in GoldScore(answer: gold, gold: gold) })
        XCTAssertFalse(good.shouldBlock(threshold: 0.5, minimumAnswers: 3))
    }

    private func shifted(_ box: Box, by dx: Double) -> Box {
        Box(x: box.x + dx, y: box.y, w: box.w, h: box.h, label: box.label)
    }
}
