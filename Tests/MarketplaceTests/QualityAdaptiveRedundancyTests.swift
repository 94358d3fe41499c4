import Marketplace
import XCTest

/// How many results an image gets: the minimum, then more while they disagree.
final class QualityAdaptiveRedundancyTests: XCTestCase {
    let rule = AdaptiveRedundancy(minimumResults: 3, maximumResults: 5, agreementThreshold: 0.7)

    func testAnImageUnderTheMinimumNeedsMore() {
        XCTAssertEqual(rule.decision(resultCount: 0, agreement: 0), .needsMore)
        XCTAssertEqual(rule.decision(resultCount: 2, agreement: 1), .needsMore)
    }

    func testAnImageWhoseResultsAgreeIsDone() {
        XCTAssertEqual(rule.decision(resultCount: 3, agreement: 0.7), .done)
        XCTAssertEqual(rule.decision(resultCount: 5, agreement: 0.9), .done)
    }

    func testResultsThatDisagreeGetMoreUntilTheMaximum() {
        XCTAssertEqual(rule.decision(resultCount: 3, agreement: 0.5), .needsMore)
        XCTAssertEqual(rule.decision(resultCount: 4, agreement: 0.69), .needsMore)
        XCTAssertEqual(rule.decision(resultCount: 5, agreement: 0.5), .exhausted)
        XCTAssertEqual(rule.decision(resultCount: 6, agreement: 0.5), .exhausted)
    }

    func testAnUndecidedObjectGetsMoreResultsUntilTheMaximum() {
        XCTAssertEqual(rule.decision(resultCount: 3, agreement: 0.9, undecided: 1), .needsMore)
        XCTAssertEqual(rule.decision(resultCount: 4, agreement: 0.9, undecided: 0), .done)
        XCTAssertEqual(rule.decision(resultCount: 5, agreement: 0.9, undecided: 1), .exhausted)
    }

    func testAMaximumUnderTheMinimumIsTheMinimum() {
        let fixed = AdaptiveRedundancy(minimumResults: 3, maximumResults: 1)
        XCTAssertEqual(fixed.decision(resultCount: 2, agreement: 0.1), .needsMore)
        XCTAssertEqual(fixed.decision(resultCount: 3, agreement: 0.1), .exhausted)
    }
}
