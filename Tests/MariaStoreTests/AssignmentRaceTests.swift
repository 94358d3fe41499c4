import Foundation
import MariaStore
import TestSupport
import XCTest

/// Races of real threads, each with its own connection, against the real server.
final class AssignmentRaceTests: XCTestCase {
    func testTaskersWorkAJobDryWithoutOverfillingOrRepeating() throws {
        let database = try TestDatabase()
        let setup = try database.store()
        let market = try Market(setup, images: 12, resultsPerImage: 3, bounty: "0.10", budget: "100.00")
        let taskers = try (0..<10).map { try market.tasker("t\($0)") }
        let address = database.address
        let jobID = market.job.id
        let attempts = race(taskers.count) { index in
            Attempt<Void> {
                let store = try address.store()
                while true {
                    let lease: Lease
                    do {
                        switch try store.work.take(jobID: jobID, taskerID: taskers[index].id, seconds: 60) {
                        case .new(let new): lease = new
                        case .existing(let held): lease = held
                        }
                    } catch let error as MarketError where error.code == "no_work" { return }
                    _ = try store.work.submit(
                        leaseID: lease.id, taskerID: taskers[index].id,
                        TrainSubmission(
                            boxes: [Box(x: 1, y: 1, w: 5, h: 5, label: "car")], nothingToMark: false))
                }
            }
        }
        XCTAssertEqual(attempts.failures(), [])
        try market.assertWorkedDry(by: taskers, results: 36)
    }

    func testOnlyOneTaskerGetsTheLastSlot() throws {
        let database = try TestDatabase()
        let setup = try database.store()
        let market = try Market(setup, images: 1, resultsPerImage: 1)
        let taskers = try (0..<16).map { try market.tasker("t\($0)") }
        let address = database.address
        let jobID = market.job.id
        let answers = race(taskers.count) { index in
            Attempt<String> {
                do {
                    if case .new = try address.store().work.take(jobID: jobID, taskerID: taskers[index].id, seconds: 60) {
                        return "lease"
                    }
                    return "existing"
                } catch let error as MarketError where error.code == "no_work" {
                    return "no_work"
                }
            }
        }
        XCTAssertEqual(answers.failures(), [])
        let counted = answers.compactMap { try? $0.get() }
        XCTAssertEqual(counted.filter { $0 == "lease" }.count, 1)
        XCTAssertEqual(counted.filter { $0 == "no_work" }.count, 15)
        XCTAssertEqual(try setup.ledger.disagreements(), [])
    }

    /// SKIP LOCKED passes over a task another transaction holds: that is `busy` (asked
    /// again, then refused with 503), never "no work", while the task has a free slot.
    func testATaskHeldByAnotherTransactionIsNotNoWork() throws {
        let database = try TestDatabase()
        let setup = try database.store()
        let market = try Market(setup, images: 1, resultsPerImage: 2)
        let tasker = try market.tasker("t")
        try database.whileHolding("SELECT id FROM tasks WHERE job_id = ? FOR UPDATE", market.job.id) {
            XCTAssertThrowsError(try database.store().work.take(jobID: market.job.id, taskerID: tasker.id, seconds: 60)) {
                error in
                XCTAssertEqual((error as? MarketError)?.kind, .busy, "\(error)")
            }
        }
        _ = try market.newLease(for: tasker)  // a new lease once the task is free
    }

    func testConcurrentPayoutsNeverOverdrawABalance() throws {
        let database = try TestDatabase()
        let setup = try database.store()
        let tasker = try setup.users.create(email: "payee@example.com", screenName: "p", passwordHash: "x", role: .tasker)
        try setup.ledger.credit(userID: tasker.id, amount: Money("0.50")!, memo: nil)
        let address = database.address
        let requests = race(12) { _ in
            Attempt<Void> {
                _ = try address.store().payouts.request(userID: tasker.id, amount: Money("0.10")!, address: "wallet")
            }
        }
        XCTAssertEqual(requests.filter { (try? $0.get()) != nil }.count, 5)
        XCTAssertEqual(requests.failures().count, 7)
        XCTAssertEqual(try setup.users.find(id: tasker.id)?.balance, .zero)
        XCTAssertEqual(try setup.ledger.disagreements(), [])
    }

    func testExpiredLeaseGivesItsSlotBackAndItsTaskerNeverGetsTheTaskAgain() throws {
        let database = try TestDatabase()
        let store = try database.store()
        let market = try Market(store, images: 1, resultsPerImage: 1)
        let first = try market.tasker("a")
        let second = try market.tasker("b")
        let lease = try market.newLease(for: first)
        let later = Date().addingTimeInterval(120)
        XCTAssertThrowsError(
            try store.work.submit(
                leaseID: lease.id, taskerID: first.id,
                TrainSubmission(boxes: [], nothingToMark: true), now: later))
        _ = try market.newLease(for: second, now: later)  // the expired slot came back
        XCTAssertThrowsError(try store.work.take(jobID: market.job.id, taskerID: first.id, seconds: 60, now: later))
        XCTAssertEqual(try store.ledger.disagreements(), [])
    }
}
