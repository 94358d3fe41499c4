import MariaStore
import Marketplace
import XCTest

/// The verdict on a result and the reason a tasker reads when it disagrees.
final class QualityReviewVerdictTests: XCTestCase {
    let square = Box(x: 0, y: 0, w: 100, h: 100, label: "cat")

    func testBoxesThatFitPoorlySayByHowMuch() {
        // At the job's IoU of 0.3, a box moved by 42 pixels still matches: 58 / 142 = 41%.
        let consensus = Consensus(
            [ConsensusInput(trainID: 1, taskerID: 1, boxes: [square]), ConsensusInput(trainID: 2, taskerID: 2, boxes: [square])],
            iouThreshold: 0.3)
        let moved = consensus.agreement(of: ConsensusInput(trainID: 3, taskerID: 3, boxes: [shifted(square, by: 42)]))
        XCTAssertEqual(moved.matched, 1)
        XCTAssertEqual(ReviewVerdict(moved), .disagrees(reason: "boxes fit poorly (mean overlap 41%)"))
    }

    func testTheThresholdDecides() {
        let consensus = Consensus([ConsensusInput(trainID: 1, taskerID: 1, boxes: [square])])
        // IoU 90 / 110 = 0.82.
        let close = consensus.agreement(of: ConsensusInput(trainID: 2, taskerID: 2, boxes: [shifted(square, by: 10)]))
        XCTAssertEqual(ReviewVerdict(close, minimumAgreement: 0.8), .agrees)
        XCTAssertEqual(ReviewVerdict(close, minimumAgreement: 0.9), .disagrees(reason: "boxes fit poorly (mean overlap 82%)"))
    }

    func testEveryKindOfDifferenceIsNamedWithinTwoHundredCharacters() {
        let others = (0..<40).map { Box(x: Double($0) * 200, y: 0, w: 100, h: 100, label: "cat") }
        var result = Array(others[0..<10].map { shifted($0, by: 30) })
        result[0].label = "dog"
        result += (0..<7).map { Box(x: Double($0) * 200, y: 500, w: 100, h: 100, label: "cat") }
        let consensus = Consensus(
            [ConsensusInput(trainID: 1, taskerID: 1, boxes: others), ConsensusInput(trainID: 2, taskerID: 2, boxes: others)])
        let agreement = consensus.agreement(of: ConsensusInput(trainID: 3, taskerID: 3, boxes: result))
        guard case .disagrees(let reason) = ReviewVerdict(agreement) else { return XCTFail("it agrees") }
        XCTAssertEqual(
            reason,
            "labelled 1 object differently from the others; missed 30 of 40 objects the others marked; "
                + "marked 7 objects the others did not; boxes fit poorly (mean overlap 54%)")
        XCTAssertLessThanOrEqual(reason.count, ReviewVerdict.maxReasonLength)
    }

    private func shifted(_ box: Box, by dx: Double) -> Box {
        Box(x: box.x + dx, y: box.y, w: box.w, h: box.h, label: box.label)
    }
}
