import MariaStore
import Marketplace
import XCTest

/// The consensus of the results on one image: which objects it keeps, where their boxes
/// lie, and how far each result agrees with it.
final class QualityConsensusTests: XCTestCase {
    let cat = Box(x: 100, y: 100, w: 200, h: 150, label: "cat")
    let dog = Box(x: 400, y: 200, w: 120, h: 180, label: "dog")

    func testThreeAgreeingResultsGiveOneConfidentBoxPerObject() {
        let consensus = Consensus([
            result(1, [moved(cat, 2, -1), moved(dog, 0, 3)]),
            result(2, [moved(cat, -2, 1), moved(dog, 1, -2)]),
            result(3, [moved(cat, 1, 0), moved(dog, -3, 1)]),
        ])
        XCTAssertEqual(consensus.boxes.map(\.box.label), ["cat", "dog"])
        XCTAssertGreaterThan(consensus.boxes[0].box.iou(with: cat), 0.97)
        XCTAssertGreaterThan(consensus.boxes[1].box.iou(with: dog), 0.95)
        for object in consensus.boxes {
            XCTAssertEqual(object.share, 1)
            XCTAssertEqual(object.trainIDs, [1, 2, 3])
            XCTAssertGreaterThan(object.score, 0.95)
        }
        XCTAssertGreaterThan(consensus.agreement, 0.95)
        XCTAssertLessThanOrEqual(consensus.agreement, 1)
        for agreement in consensus.results {
            XCTAssertEqual([agreement.matched, agreement.missed, agreement.extras], [2, 0, 0])
            XCTAssertEqual(agreement.f1, 1)
            XCTAssertEqual(ReviewVerdict(agreement), .agrees)
        }
    }

    func testATaskerWhoSplitAnObjectGivesItOneBoxAndOneExtra() {
        let left = Box(x: 100, y: 100, w: 120, h: 150, label: "cat")
        let right = Box(x: 220, y: 100, w: 80, h: 150, label: "cat")
        // The splitter comes first, so the clusters start from its boxes.
        let consensus = Consensus([
            result(1, [left, right]),
            result(2, [moved(cat, 1, 1)]),
            result(3, [moved(cat, -1, 0)]),
        ])
        XCTAssertEqual(consensus.boxes.count, 1)
        XCTAssertGreaterThan(consensus.boxes[0].box.iou(with: cat), 0.98)
        XCTAssertEqual(consensus.boxes[0].trainIDs, [1, 2, 3])
        let splitter = consensus.results[0]
        XCTAssertEqual([splitter.matched, splitter.missed, splitter.extras], [1, 0, 1])
        guard case .disagrees(let reason) = ReviewVerdict(splitter) else { return XCTFail("the splitter agrees") }
        XCTAssertTrue(reason.contains("marked 1 object the others did not"), reason)
        XCTAssertEqual(ReviewVerdict(consensus.results[1]), .agrees)
    }

    func testABoxWithAnotherLabelIsNotMatchedAndTheOthersLabelWins() {
        var wrong = moved(cat, 2, 2)
        wrong.label = "dog"
        let consensus = Consensus([result(1, [moved(cat, 1, 0)]), result(2, [wrong]), result(3, [moved(cat, 0, 1)])])
        XCTAssertEqual(consensus.boxes.map(\.box.label), ["cat"])
        XCTAssertEqual(consensus.boxes[0].trainIDs, [1, 3])
        let mislabelled = consensus.results[1]
        XCTAssertEqual([mislabelled.matched, mislabelled.missed, mislabelled.extras, mislabelled.mislabelled], [0, 1, 1, 1])
        XCTAssertEqual(ReviewVerdict(mislabelled), .disagrees(reason: "labelled 1 object differently from the others"))
    }

    func testAllNothingToMarkIsAnEmptyConsensusInFullAgreement() {
        let consensus = Consensus((1...3).map { result($0, [], nothingToMark: true) })
        XCTAssertEqual(consensus.boxes, [])
        XCTAssertEqual(consensus.agreement, 1)
        XCTAssertEqual(consensus.results.map(\.f1), [1, 1, 1])
        XCTAssertEqual(consensus.results.map { ReviewVerdict($0) }, [.agrees, .agrees, .agrees])
    }

    func testASpammerAmongThreeHonestResultsChangesNothingAndDisagrees() {
        let honest = [
            result(1, [moved(cat, 2, -1), moved(dog, 0, 3)]),
            result(2, [moved(cat, -2, 1), moved(dog, 1, -2)]),
            result(3, [moved(cat, 1, 0), moved(dog, -3, 1)]),
        ]
        let spammer = result(4, [Box(x: 0, y: 0, w: 640, h: 480, label: "cat")])
        let withSpammer = Consensus(honest + [spammer])
        XCTAssertEqual(withSpammer.boxes.map(\.box), Consensus(honest).boxes.map(\.box))
        XCTAssertEqual(withSpammer.boxes.map(\.share), [0.75, 0.75])
        XCTAssertEqual(
            ReviewVerdict(withSpammer.results[3]),
            .disagrees(reason: "missed 2 of 2 objects the others marked; marked 1 object the others did not"))
        XCTAssertEqual(withSpammer.results[0..<3].map { ReviewVerdict($0) }, [.agrees, .agrees, .agrees])
    }

    func testAnObjectHalfTheResultsMarkedIsKept() {
        let consensus = Consensus([
            result(1, [cat]), result(2, [moved(cat, 2, 2)]), result(3, [], nothingToMark: true),
            result(4, [], nothingToMark: true),
        ])
        XCTAssertEqual(consensus.boxes.count, 1)
        XCTAssertEqual(consensus.boxes[0].share, 0.5)
        XCTAssertEqual(
            ReviewVerdict(consensus.results[2]), .disagrees(reason: "marked nothing where the others marked 1 object"))
    }

    func testAnObjectOneOfThreeResultsMarkedIsDropped() {
        let consensus = Consensus([
            result(1, [cat]), result(2, [], nothingToMark: true), result(3, [], nothingToMark: true),
        ])
        XCTAssertEqual(consensus.boxes, [])
        XCTAssertEqual(consensus.results.map(\.f1), [0, 1, 1])
        XCTAssertEqual(consensus.agreement, 2.0 / 3, accuracy: 1e-12)
        XCTAssertEqual(
            ReviewVerdict(consensus.results[0]), .disagrees(reason: "marked 1 object where the others marked nothing"))
    }

    func testTheBoxIsTheWeightedMedianOfTheCorners() {
        let boxes = [10.0, 20, 30].map { Box(x: $0, y: 0, w: 100, h: 100, label: "cat") }
        let even = Consensus((0..<3).map { result(Int64($0 + 1), [boxes[$0]]) })
        XCTAssertEqual(even.boxes.map(\.box), [boxes[1]])
        let trusted = Consensus((0..<3).map { result(Int64($0 + 1), [boxes[$0]], weight: $0 == 2 ? 5 : 1) })
        XCTAssertEqual(trusted.boxes.map(\.box), [boxes[2]])
        // Two boxes: the weighted mean.
        let two = Consensus([result(1, [boxes[0]], weight: 1), result(2, [boxes[1]], weight: 3)])
        XCTAssertEqual(two.boxes.map(\.box), [Box(x: 17.5, y: 0, w: 100, h: 100, label: "cat")])
    }

    func testTheOrderOfTheInputDoesNotMatter() {
        let results = [
            result(3, [moved(cat, 1, 0), moved(dog, -3, 1)]),
            result(1, [moved(cat, 2, -1)]),
            result(2, [moved(cat, -2, 1), moved(dog, 1, -2)]),
        ]
        let consensus = Consensus(results)
        XCTAssertEqual(consensus.results.map(\.trainID), [1, 2, 3])
        XCTAssertEqual(Consensus(results.reversed()).boxes, consensus.boxes)
        XCTAssertEqual(consensus.boxes.map(\.box.label), ["cat", "dog"])
    }

    func testALateResultIsComparedWithTheConsensus() {
        let consensus = Consensus([result(1, [cat, dog]), result(2, [moved(cat, 1, 1), moved(dog, 1, 1)])])
        let late = consensus.agreement(of: result(9, [moved(cat, 0, 2)]))
        XCTAssertEqual([late.objects, late.marked, late.matched, late.missed, late.extras], [2, 1, 1, 1, 0])
        XCTAssertEqual(late.f1, 2.0 / 3, accuracy: 1e-12)
        XCTAssertEqual(ReviewVerdict(late), .disagrees(reason: "missed 1 of 2 objects the others marked"))
    }

    func testASingleResultAgreesWithItself() {
        let consensus = Consensus([result(1, [cat, dog])])
        XCTAssertEqual(consensus.resultCount, 1)
        XCTAssertEqual(consensus.boxes.map(\.box), [cat, dog])
        XCTAssertEqual(consensus.agreement, 1)
        XCTAssertEqual(Consensus([]).agreement, 0)
    }

    func testAConsensusOfFiveResultsOfFiveBoxesTakesMicroseconds() {
        let objects = (0..<5).map { Box(x: Double($0) * 120, y: Double($0 % 2) * 200, w: 100, h: 90, label: "cat") }
        let results = (1...5).map { id in
            result(Int64(id), objects.map { moved($0, Double(id % 3) - 1, Double(id % 2)) })
        }
        let runs = 200
        let start = ContinuousClock.now
        for _ in 0..<runs { XCTAssertEqual(Consensus(results).boxes.count, 5) }
        let each = (ContinuousClock.now - start) / runs
        // A generous bound for a debug build on a busy machine; optimised, tens of microseconds.
        XCTAssertLessThan(each, .milliseconds(5))
    }

    func testFiveResultsOfFiveHundredBoxesStayQuadraticAtWorst() {
        let objects = (0..<500).map { Box(x: Double($0 % 25) * 40, y: Double($0 / 25) * 40, w: 30, h: 30, label: "cat") }
        let results = (1...5).map { id in result(Int64(id), objects.map { moved($0, Double(id % 3) - 1, 0) }) }
        let start = ContinuousClock.now
        let consensus = Consensus(results)
        XCTAssertEqual(consensus.boxes.count, 500)
        XCTAssertGreaterThan(consensus.agreement, 0.9)
        XCTAssertLessThan(ContinuousClock.now - start, .seconds(20))
    }

    func testAnObjectOneMoreResultCouldKeepOrDropIsUndecided() {
        // The dog: 1 of 3 (a second mark would make 2 of 4, kept).
        let three = Consensus([
            result(1, [cat, dog]), result(2, [moved(cat, 1, 0)]), result(3, [moved(cat, 0, 1)]),
        ])
        XCTAssertEqual(three.boxes.map(\.box.label), ["cat"])
        XCTAssertEqual(three.undecided, 1)
        // 1 of 4: even a fifth mark makes only 2 of 5.
        let four = Consensus([
            result(1, [cat, dog]), result(2, [moved(cat, 1, 0)]), result(3, [moved(cat, 0, 1)]),
            result(4, [moved(cat, 1, 1)]),
        ])
        XCTAssertEqual(four.undecided, 0)
        // 2 of 4, a tie: kept, but a fifth result without it would drop it.
        let tie = Consensus([
            result(1, [cat, dog]), result(2, [moved(cat, 1, 0), moved(dog, 1, 0)]), result(3, [moved(cat, 0, 1)]),
            result(4, [moved(cat, 1, 1)]),
        ])
        XCTAssertEqual(tie.boxes.map(\.box.label), ["cat", "dog"])
        XCTAssertEqual(tie.undecided, 1)
    }

    private func result(_ id: Int64, _ boxes: [Box], nothingToMark: Bool = false, weight: Double = 1) -> ConsensusInput {
        ConsensusInput(trainID: id, taskerID: 100 + id, boxes: boxes, nothingToMark: nothingToMark, weight: weight)
    }

    private func moved(_ box: Box, _ dx: Double, _ dy: Double) -> Box {
        Box(x: box.x + dx, y: box.y + dy, w: box.w, h: box.h, label: box.label)
    }
}
