import Foundation
import Marketplace
import TestSupport
import XCTest

@testable import MariaStore

/// Quality control against the database: gold images and their money, scoring and blocking
/// (`Assessor`, `Blocking`), automatic review, and adaptive redundancy, under races.
final class QualityControlTests: XCTestCase {
    let car = Box(x: 10, y: 10, w: 40, h: 30, label: "car")
    var goldCar: GoldAnswer { GoldAnswer(boxes: [car], nothingToMark: false) }

    func submission(_ boxes: [Box]) -> TrainSubmission { TrainSubmission(boxes: boxes, nothingToMark: false) }

    /// A gold image gets its gold answers' slots paid into escrow, and gives them back when
    /// it is ordinary again; an image a tasker has had cannot change kind.
    func testAGoldImageChangesItsSlotsAndTheMoneyMovesWithThem() throws {
        let database = try TestDatabase()
        let store = try database.store()
        // No gold image is handed out (rate 0), so the tasker's lease below is on the first image.
        let market = try Market(
            store, images: 3, resultsPerImage: 2, budget: "100.00",
            quality: QualitySettings(goldRateEarly: 0, goldRateLater: 0, goldAnswersPerImage: 5))
        let tasks = try store.tasks.list(jobID: market.job.id, page: 1, perPage: 10).items
        XCTAssertEqual(tasks.map(\.slotsOpened), [2, 2, 2])
        let before = try XCTUnwrap(store.jobs.find(id: market.job.id))
        let gold = try store.goldImages.set(goldCar, taskID: tasks[2].id, jobID: market.job.id, requesterID: market.requester.id)
        XCTAssertEqual([gold.slotsOpened, gold.openSlots], [5, 5])
        XCTAssertEqual(gold.goldAnswer, goldCar)
        let after = try XCTUnwrap(store.jobs.find(id: market.job.id))
        XCTAssertEqual(after.budgetLeft, before.budgetLeft + Money("0.30")!, "three more slots at 0.10")
        XCTAssertEqual(after.goldImageCount, 1)
        XCTAssertEqual(try store.ledger.disagreements(), [])

        let tasker = try market.tasker()
        _ = try market.newLease(for: tasker)  // the first ordinary image
        XCTAssertThrowsError(
            try store.goldImages.set(goldCar, taskID: tasks[0].id, jobID: market.job.id, requesterID: market.requester.id)
        ) { XCTAssertEqual(($0 as? MarketError)?.code, "image_worked_on") }
        let ordinary = try store.goldImages.set(nil, taskID: tasks[2].id, jobID: market.job.id, requesterID: market.requester.id)
        XCTAssertEqual(ordinary.slotsOpened, 2)
        XCTAssertNil(ordinary.goldAnswer)
        XCTAssertEqual(try XCTUnwrap(store.jobs.find(id: market.job.id)).budgetLeft, before.budgetLeft)
        XCTAssertEqual(try store.ledger.disagreements(), [])
    }

    /// Gold answers are scored and settled; a tasker below the threshold after the minimum
    /// of answers is blocked: no more leases, pending results rejected with the reason.
    func testWrongGoldAnswersBlockTheTaskerFromTheJob() throws {
        let database = try TestDatabase()
        let store = try database.store()
        let quality = QualitySettings(
            goldRateEarly: 1, goldEarlyImages: 100, goldRateLater: 1, goldAnswersPerImage: 3, accuracyThreshold: 0.7,
            minGoldAnswers: 2)
        let market = try Market(
            store, images: 6, resultsPerImage: 1, quality: quality, gold: [0: goldCar, 1: goldCar, 2: goldCar])
        let careful = try market.tasker("careful")
        let careless = try market.tasker("careless")
        let wrong = Box(x: 60, y: 40, w: 20, h: 20, label: "person")
        for (tasker, answer) in [(careful, car), (careless, wrong)] {
            for _ in 0..<2 {
                guard case .new(let lease) = try store.work.take(jobID: market.job.id, taskerID: tasker.id, seconds: 60)
                else { return XCTFail("no lease") }
                XCTAssertTrue(try XCTUnwrap(store.tasks.find(id: lease.taskID)).isGold, "the rate is every image")
                _ = try store.work.submit(leaseID: lease.id, taskerID: tasker.id, submission([answer]))
                try Assessor(store: store).assess(taskID: lease.taskID)
            }
        }
        let figures = Dictionary(
            uniqueKeysWithValues: try store.qualityFigures.taskers(jobID: market.job.id).map { ($0.taskerID, $0) })
        XCTAssertEqual(figures[careful.id]?.accuracy, 1)
        XCTAssertEqual(figures[careful.id]?.approved, 2)
        XCTAssertNil(figures[careful.id]?.block)
        XCTAssertEqual(figures[careless.id]?.accuracy, 0)
        XCTAssertEqual(figures[careless.id]?.rejected, 2)
        XCTAssertEqual(figures[careless.id]?.block?.byRequester, false)
        XCTAssertThrowsError(try store.work.take(jobID: market.job.id, taskerID: careless.id, seconds: 60)) {
            XCTAssertEqual(($0 as? MarketError)?.code, "blocked")
        }
        let mine = try store.qualityFigures.ofTasker(careless.id)
        XCTAssertEqual(mine.failedChecks.count, 2)
        XCTAssertEqual(mine.failedChecks.first?.missed, [car])
        XCTAssertNotNil(mine.jobs.first?.blockedReason)
        XCTAssertEqual(try store.ledger.disagreements(), [])
    }

    /// Taskers meet a job's gold images each in an order of their own, so that no few gold
    /// images answer for everyone; none gets one twice.
    func testEachTaskerMeetsTheGoldImagesInAnOrderOfTheirOwn() throws {
        let database = try TestDatabase()
        let store = try database.store()
        let quality = QualitySettings(goldRateEarly: 1, goldEarlyImages: 100, goldRateLater: 1, goldAnswersPerImage: 10)
        let gold = Dictionary(uniqueKeysWithValues: (0..<5).map { ($0, goldCar) })
        let market = try Market(store, images: 6, resultsPerImage: 1, quality: quality, gold: gold)
        var firsts: Set<Int64> = []
        for index in 0..<6 {
            let tasker = try market.tasker("t\(index)")
            var seen: [Int64] = []
            for _ in 0..<5 {
                guard case .new(let lease) = try store.work.take(jobID: market.job.id, taskerID: tasker.id, seconds: 60)
                else { return XCTFail("no new lease") }
                XCTAssertTrue(try XCTUnwrap(store.tasks.find(id: lease.taskID)).isGold)
                seen.append(lease.taskID)
                try store.work.release(id: lease.id, taskerID: tasker.id)
            }
            XCTAssertEqual(Set(seen).count, 5, "never the same gold image twice")
            firsts.insert(seen[0])
        }
        XCTAssertGreaterThan(firsts.count, 1, "every tasker began with the same gold image")
    }

    /// A tasker blocked while handing in: either the hand-in came first (its result is then
    /// rejected by the block) or the block did (the lease ended: the hand-in is refused and
    /// the slot offered again). Never a live lease or a pending result afterwards.
    func testABlockRacingAHandInLeavesNoLiveLeaseAndNoPendingResult() throws {
        let database = try TestDatabase()
        let store = try database.store()
        let market = try Market(store, images: 12, resultsPerImage: 1)
        let tasker = try market.tasker()
        let address = database.address
        let box = submission([car])
        for round in 0..<6 {
            let lease = try market.newLease(for: tasker)
            let jobID = market.job.id
            let requesterID = market.requester.id
            let outcomes = race(2) { index -> String in
                do {
                    let store = try address.store()
                    if index == 0 {
                        _ = try store.work.submit(leaseID: lease.id, taskerID: tasker.id, box)
                        return "handed in"
                    }
                    _ = try Blocking(store: store).block(
                        taskerID: tasker.id, requesterID: requesterID, jobID: jobID, allJobs: false, reason: "round \(round)")
                    return "blocked"
                } catch let error as MarketError {
                    return error.code
                } catch {
                    return "\(error)"
                }
            }
            XCTAssertTrue(outcomes.contains("blocked"), "\(outcomes)")
            XCTAssertTrue(outcomes.contains("handed in") || outcomes.contains("lease_not_live"), "\(outcomes)")
            XCTAssertEqual(
                try store.db.row("SELECT COUNT(*) AS n FROM leases WHERE tasker_id = ? AND state = 'live'", tasker.id)?["n"]
                    as Int?, 0)
            XCTAssertEqual(
                try store.db.row("SELECT COUNT(*) AS n FROM trains WHERE tasker_id = ? AND state = 'pending'", tasker.id)?["n"]
                    as Int?, 0)
            XCTAssertEqual(try store.ledger.disagreements(), [])
            try store.taskerBlocks.unblock(taskerID: tasker.id, requesterID: requesterID, .job(jobID))
        }
    }

    /// With automatic review, once an image has its results, those that agree are approved
    /// and the one that does not is rejected with a reason.
    func testAutoReviewApprovesTheResultsThatAgreeAndRejectsTheOther() throws {
        let database = try TestDatabase()
        let store = try database.store()
        let market = try Market(store, images: 1, resultsPerImage: 3, quality: QualitySettings(autoReview: .reject))
        var trains: [Int64] = []
        for (index, boxes) in [[car], [car], [Box(x: 60, y: 45, w: 30, h: 30, label: "car")]].enumerated() {
            let tasker = try market.tasker("t\(index)")
            let lease = try market.newLease(for: tasker)
            guard case .new(let train) = try store.work.submit(leaseID: lease.id, taskerID: tasker.id, submission(boxes))
            else { return XCTFail("not stored") }
            trains.append(train.id)
            let outcome = try Assessor(store: store).assess(taskID: lease.taskID)
            XCTAssertEqual(outcome.done, index == 2, "done once every result is in")
        }
        let states = try trains.map { try XCTUnwrap(store.trains.find(id: $0)) }
        XCTAssertEqual(states.map(\.state), [.approved, .approved, .rejected])
        XCTAssertEqual(states[2].rejectReason, "Missed 1 of 1 object the others marked; marked 1 object the others did not.")
        XCTAssertNotNil(states[0].agreement)
        XCTAssertEqual(try store.ledger.disagreements(), [])
    }

    /// Results that agree on nothing (spam of different kinds): the consensus is empty, one
    /// result ("nothing to mark") agrees with it, the others do not. No majority trusts the
    /// consensus, so automatic review leaves every result to the requester.
    func testAutoReviewLeavesAnImageWithoutAMajorityToTheRequester() throws {
        let database = try TestDatabase()
        let store = try database.store()
        let market = try Market(store, images: 1, resultsPerImage: 3, quality: QualitySettings(autoReview: .reject))
        let answers = [
            TrainSubmission(boxes: [], nothingToMark: true), submission([car]),
            submission([Box(x: 0, y: 0, w: 100, h: 80, label: "person")]),
        ]
        var trains: [Int64] = []
        for (index, answer) in answers.enumerated() {
            let tasker = try market.tasker("t\(index)")
            let lease = try market.newLease(for: tasker)
            guard case .new(let train) = try store.work.submit(leaseID: lease.id, taskerID: tasker.id, answer)
            else { return XCTFail("not stored") }
            trains.append(train.id)
            let outcome = try Assessor(store: store).assess(taskID: lease.taskID)
            XCTAssertEqual(outcome.done, index == 2)
            XCTAssertFalse(outcome.agreed)
        }
        XCTAssertEqual(try trains.map { try XCTUnwrap(store.trains.find(id: $0)).state }, [.pending, .pending, .pending])
    }

    /// Adaptive redundancy: an image whose first results disagree is offered to one more
    /// tasker at a time, never beyond the maximum, however many taskers race for it and
    /// however many assessments run at once; its unused slots go back at finish.
    func testAdaptiveSlotsNeverGoBeyondTheMaximumUnderRaces() throws {
        let database = try TestDatabase()
        let setup = try database.store()
        let quality = QualitySettings(minResultsPerImage: 2, agreementThreshold: 0.9)
        let market = try Market(setup, images: 4, resultsPerImage: 4, quality: quality)
        let tasks = try setup.tasks.list(jobID: market.job.id, page: 1, perPage: 10).items
        XCTAssertEqual(tasks.map(\.openSlots), [2, 2, 2, 2])
        XCTAssertEqual(tasks.map(\.heldSlots), [2, 2, 2, 2])
        let taskers = try (0..<12).map { try market.tasker("t\($0)") }
        let address = database.address
        let jobID = market.job.id
        // Every tasker draws the car somewhere else: the results never agree.
        let attempts = race(taskers.count) { index in
            Attempt<Int> {
                let store = try address.store()
                let box = Box(x: Double(index * 4), y: 5, w: 30, h: 30, label: "car")
                var handedIn = 0
                for _ in 0..<8 {
                    let lease: Lease
                    do {
                        switch try store.work.take(jobID: jobID, taskerID: taskers[index].id, seconds: 60) {
                        case .new(let new), .existing(let new): lease = new
                        }
                    } catch let error as MarketError where error.code == "no_work" || error.code == "busy" {
                        usleep(20_000)
                        continue
                    }
                    _ = try store.work.submit(
                        leaseID: lease.id, taskerID: taskers[index].id, TrainSubmission(boxes: [box], nothingToMark: false))
                    handedIn += 1
                    try Assessor(store: store).assess(taskID: lease.taskID)
                }
                return handedIn
            }
        }
        XCTAssertEqual(attempts.failures(), [])
        for task in try setup.tasks.list(jobID: jobID, page: 1, perPage: 10).items {
            XCTAssertLessThanOrEqual(task.trainCount, 4, "task \(task.id)")
            XCTAssertEqual(task.trainCount + task.openSlots + task.heldSlots + task.liveLeases, 4)
        }
        XCTAssertEqual(try setup.ledger.disagreements(), [])
        // Every image got its four results: they never agreed.
        XCTAssertEqual(try setup.db.row("SELECT SUM(train_count) AS n FROM tasks WHERE job_id = ?", jobID)?["n"] as Int?, 16)
    }

    /// An image whose first two results agree needs no more: its held slots are refunded at
    /// finish.
    func testAnImageThatAgreesEarlyGivesItsHeldSlotsBackAtFinish() throws {
        let database = try TestDatabase()
        let store = try database.store()
        let market = try Market(
            store, images: 1, resultsPerImage: 4, quality: QualitySettings(minResultsPerImage: 2, agreementThreshold: 0.7))
        for index in 0..<2 {
            let tasker = try market.tasker("t\(index)")
            let lease = try market.newLease(for: tasker)
            _ = try store.work.submit(leaseID: lease.id, taskerID: tasker.id, submission([car]))
            let outcome = try Assessor(store: store).assess(taskID: lease.taskID)
            XCTAssertEqual(outcome.done, index == 1)
            XCTAssertFalse(outcome.offeredSlot)
        }
        let late = try market.tasker("late")
        XCTAssertThrowsError(try store.work.take(jobID: market.job.id, taskerID: late.id, seconds: 60)) {
            XCTAssertEqual(($0 as? MarketError)?.code, "no_work")
        }
        let before = try XCTUnwrap(store.users.find(id: market.requester.id)).balance
        _ = try store.jobs.finish(id: market.job.id, requesterID: market.requester.id)
        XCTAssertEqual(try XCTUnwrap(store.users.find(id: market.requester.id)).balance, before + Money("0.20")!)
        XCTAssertEqual(try store.ledger.disagreements(), [])
    }
}
