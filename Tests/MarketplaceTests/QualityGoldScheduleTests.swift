import Marketplace
import XCTest

/// When a tasker gets a gold image: one per window, at a place the tasker cannot count on.
final class QualityGoldScheduleTests: XCTestCase {
    /// The positions of the gold images among a tasker's first `count` images, gold
    /// always available.
    func goldPositions(count: Int, rate: GoldRate = GoldRate(), seed: UInt64) -> [Int] {
        var gold: [Int] = []
        for position in 0..<count
        where GoldSchedule.nextIsGold(imagesTaken: position, goldGiven: gold.count, rate: rate, seed: seed) {
            gold.append(position)
        }
        return gold
    }

    func testExactlyOneGoldImageInEveryWindow() {
        for seed in UInt64(0)..<200 {
            let gold = goldPositions(count: 100, seed: seed)
            // 1 in 10 of the first 20 images, then 1 in 20: 2 + 4 in 100.
            XCTAssertEqual(gold.count, 6, "seed \(seed)")
            let windows = [0..<10, 10..<20, 20..<40, 40..<60, 60..<80, 80..<100]
            XCTAssertEqual(windows.map { window in gold.filter { window.contains($0) }.count }, [1, 1, 1, 1, 1, 1])
        }
    }

    func testTheSlotIsNotTheSameForDifferentSeedsOrWindows() {
        let firsts = (UInt64(0)..<200).map { goldPositions(count: 10, seed: $0 &* 7_919)[0] }
        let sameAsNext = zip(firsts, firsts.dropFirst()).filter { $0 == $1 }.count
        // One in 10 by chance.
        XCTAssertLessThan(sameAsNext, 40)
        XCTAssertEqual(Set(firsts).count, 10)
        let offsets = goldPositions(count: 400, seed: 42).dropFirst(2).map { ($0 - 20) % 20 }
        XCTAssertGreaterThan(Set(offsets).count, 5)
    }

    func testAGoldImageMissingAtItsSlotComesAtTheNextImage() {
        let seed: UInt64 = 7
        let slot = goldPositions(count: 10, seed: seed)[0]
        var given = 0
        var gold: [Int] = []
        for position in 0..<10 where GoldSchedule.nextIsGold(imagesTaken: position, goldGiven: given, seed: seed) {
            // No gold was available at the slot itself.
            if position == slot { continue }
            given += 1
            gold.append(position)
        }
        XCTAssertEqual(gold, slot == 9 ? [] : [slot + 1])
    }

    func testARateOfZeroGivesNoGold() {
        XCTAssertEqual(goldPositions(count: 100, rate: GoldRate(early: 0, earlyImages: 20, later: 0), seed: 1), [])
        let earlyOnly = goldPositions(count: 100, rate: GoldRate(early: 10, earlyImages: 20, later: 0), seed: 1)
        XCTAssertEqual(earlyOnly.count, 2)
        XCTAssertTrue(earlyOnly.allSatisfy { $0 < 20 })
        // The early rate lasts whole windows: 25 images are 3 windows of 10.
        XCTAssertEqual(goldPositions(count: 40, rate: GoldRate(early: 10, earlyImages: 25, later: 10), seed: 1).count, 4)
    }

    func testEachTaskerAndJobHasItsOwnSeed() {
        let seed = GoldSchedule.seed(taskerID: 1, jobID: 2, secret: 99)
        XCTAssertEqual(seed, GoldSchedule.seed(taskerID: 1, jobID: 2, secret: 99))
        XCTAssertNotEqual(seed, GoldSchedule.seed(taskerID: 2, jobID: 1, secret: 99))
        XCTAssertNotEqual(seed, GoldSchedule.seed(taskerID: 1, jobID: 3, secret: 99))
        XCTAssertNotEqual(seed, GoldSchedule.seed(taskerID: 1, jobID: 2, secret: 98))
    }
}
