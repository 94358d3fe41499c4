import Foundation
import Marketplace
import TestSupport
import XCTest

@testable import MariaStore

/// A submission and the next lease in one call (`Trains.submitAndTakeNext`, the procedure
/// `tasker_cycle`), and the leases a process remembers handing out (`HandedOutLeases`).
final class CycleTests: XCTestCase {
    let box = TrainSubmission(boxes: [Box(x: 1, y: 1, w: 5, h: 5, label: "car")], nothingToMark: false)

    /// What `submitAndTakeNext` answers when the submission stands alone: stored now, no next lease.
    func assertStoredWithoutNext(
        _ answer: (submitted: WorkCycle.Submitted, next: Lease?),
        file: StaticString = #filePath, line: UInt = #line
    ) {
        guard case .new = answer.submitted else {
            return XCTFail("the submission was not stored: \(answer.submitted)", file: file, line: line)
        }
        XCTAssertNil(answer.next, "a next lease", file: file, line: line)
    }

    /// Ten taskers on ten threads, one call per image, the threads sharing what they handed
    /// out as the worker's threads do: every task gets exactly its results, nobody a task
    /// twice, and the money agrees to the cent.
    func testTaskersWorkAJobDryInOneCallPerImage() throws {
        let database = try TestDatabase()
        let setup = try database.store()
        let market = try Market(setup, images: 12, resultsPerImage: 3, bounty: "0.10", budget: "100.00")
        let taskers = try (0..<10).map { try market.tasker("t\($0)") }
        let handedOut = HandedOutLeases()
        let address = database.address
        let jobID = market.job.id
        let box = self.box
        let attempts = race(taskers.count) { index in
            Attempt<Int> {
                let work = WorkCycle(store: Store(try address.connect()), handedOut: handedOut)
                let tasker = taskers[index]
                var next: Lease?
                var oneCall = 0
                while true {
                    let lease: Lease
                    if let held = next {
                        lease = held
                    } else {
                        do {
                            switch try work.take(jobID: jobID, taskerID: tasker.id, seconds: 60) {
                            case .new(let new): lease = new
                            case .existing(let held): lease = held
                            }
                        } catch let error as MarketError where error.code == "no_work" { return oneCall }
                    }
                    let toSubmit = try work.leaseToSubmit(id: lease.id, by: tasker.id)
                    next = try work.submitAndTakeNext(to: toSubmit, by: tasker.id, box, seconds: 60).next
                    if next != nil { oneCall += 1 }
                }
            }
        }
        XCTAssertEqual(attempts.failures(), [])
        let oneCall = attempts.compactMap { try? $0.get() }.reduce(0, +)
        XCTAssertGreaterThan(oneCall, 0, "no cycle took its next lease in the same call")
        XCTAssertEqual(try database.connect().row("SELECT COUNT(*) AS n FROM leases WHERE state = 'live'")?["n"] as Int?, 0)
        try market.assertWorkedDry(by: taskers, results: 36)
    }

    /// A budget of two bounties on four images opens two slots: once both are leased, the
    /// first tasker's submission is stored (pending, nothing paid) and no next lease is
    /// taken; a top-up opens the other two.
    func testTheSubmissionStandsWhenTheBudgetOpenedNoMoreSlots() throws {
        let database = try TestDatabase()
        let store = try database.store()
        let market = try Market(store, images: 4, resultsPerImage: 1, bounty: "0.10", budget: "0.20")
        XCTAssertEqual(market.job.slotsFunded, 2)
        XCTAssertEqual(market.job.unfundedSlots, 2)
        XCTAssertEqual(market.job.budgetLeft, Money("0.20"))
        let first = try market.tasker("a")
        let second = try market.tasker("b")
        let lease = try market.newLease(for: first)
        _ = try market.newLease(for: second)
        assertStoredWithoutNext(try store.work.submitAndTakeNext(to: lease, by: first.id, box, seconds: 60))
        XCTAssertEqual(try XCTUnwrap(store.users.find(id: first.id)).balance, .zero, "pending review")
        XCTAssertEqual(try store.trains.earnings(of: XCTUnwrap(store.users.find(id: first.id))).pending, Money("0.10"))
        XCTAssertEqual(
            try store.db.row("SELECT COUNT(*) AS n FROM leases WHERE tasker_id = ? AND state = 'live'", first.id)?["n"] as Int?, 0
        )
        XCTAssertThrowsError(try store.work.take(jobID: market.job.id, taskerID: first.id, seconds: 60)) { error in
            XCTAssertEqual((error as? MarketError)?.code, "no_work")
        }
        let topUp = try store.jobs.topUp(id: market.job.id, requesterID: market.requester.id, amount: Money("0.20")!)
        XCTAssertEqual(topUp.slots, 2)
        XCTAssertEqual(topUp.charged, Money("0.20"))
        XCTAssertEqual(topUp.job.unfundedSlots, 0)
        _ = try market.newLease(for: first)
        XCTAssertEqual(try store.ledger.disagreements(), [])
    }

    /// The only free task is held by another transaction: the submission stands, and the
    /// next lease is left to `Leases.take`, which gets it once the task is free.
    func testTheSubmissionStandsWhenEveryFreeTaskIsLocked() throws {
        let database = try TestDatabase()
        let store = try database.store()
        let market = try Market(store, images: 2, resultsPerImage: 1)
        let tasker = try market.tasker("t")
        let lease = try market.newLease(for: tasker)
        let other: Int64 = try XCTUnwrap(
            store.db.row(
                "SELECT id FROM tasks WHERE job_id = ? AND id <> ?",
                market.job.id, lease.taskID)?["id"])
        try database.whileHolding("SELECT id FROM tasks WHERE id = ? FOR UPDATE", other) {
            assertStoredWithoutNext(try store.work.submitAndTakeNext(to: lease, by: tasker.id, box, seconds: 60))
        }
        XCTAssertNotEqual(try market.newLease(for: tasker).taskID, lease.taskID, "a new lease once the task is free")
        XCTAssertEqual(try store.ledger.disagreements(), [])
    }

    /// The assignment cannot get the job's row (a requester's change holds it, and the lock
    /// waits time out): the submission is made alone and stands.
    func testTheSubmissionStandsWhenTheAssignmentCannotLockTheJob() throws {
        let database = try TestDatabase()
        let store = try database.store()
        let market = try Market(store, images: 2, resultsPerImage: 1)
        let tasker = try market.tasker("t")
        let lease = try market.newLease(for: tasker)
        try store.db.query("SET SESSION innodb_lock_wait_timeout = 1")
        try database.whileHolding("SELECT id FROM jobs WHERE id = ? FOR UPDATE", market.job.id) {
            assertStoredWithoutNext(try store.work.submitAndTakeNext(to: lease, by: tasker.id, box, seconds: 60))
        }
        XCTAssertEqual(try store.db.row("SELECT state FROM trains WHERE lease_id = ?", lease.id)?["state"] as String?, "pending")
        XCTAssertEqual(try store.ledger.disagreements(), [])
    }

    /// A tasker whose lease ran out before the housekeeper came by takes again: the take ends
    /// that lease itself (its slot given back) and hands out the next task.
    func testATakeEndsTheTaskersOwnExpiredLease() throws {
        let database = try TestDatabase()
        let store = try database.store()
        let market = try Market(store, images: 2, resultsPerImage: 1)
        let tasker = try market.tasker("t")
        let first = try market.newLease(for: tasker)
        let later = Date().addingTimeInterval(120)
        let second = try market.newLease(for: tasker, now: later)
        XCTAssertNotEqual(second.taskID, first.taskID)
        XCTAssertEqual(try store.db.row("SELECT state FROM leases WHERE id = ?", first.id)?["state"] as String?, "expired")
        XCTAssertEqual(try store.db.row("SELECT open_slots FROM tasks WHERE id = ?", first.taskID)?["open_slots"] as Int?, 1)
        XCTAssertEqual(try store.ledger.disagreements(), [])
    }

    /// A lease handed out here and given back through another process: this process still
    /// remembers it live, and the database refuses the submission and changes nothing.
    func testALeaseEndedElsewhereIsRefusedThoughRememberedLive() throws {
        let database = try TestDatabase()
        let here = try database.store()
        let work = WorkCycle(store: here, handedOut: HandedOutLeases())
        let elsewhere = try database.store()
        let market = try Market(here, images: 2, resultsPerImage: 1)
        let tasker = try market.tasker("t")
        guard case .new(let lease) = try work.take(jobID: market.job.id, taskerID: tasker.id, seconds: 60) else {
            return XCTFail("no new lease")
        }
        try elsewhere.leases.release(id: lease.id, taskerID: tasker.id)
        XCTAssertEqual(try work.leaseToSubmit(id: lease.id, by: tasker.id).state, .live, "remembered as handed out")
        let other = try market.tasker("o")
        XCTAssertThrowsError(try work.leaseToSubmit(id: lease.id, by: other.id), "another tasker, remembered") { error in
            XCTAssertEqual((error as? MarketError)?.code, "not_found")
        }
        XCTAssertThrowsError(try work.submit(leaseID: lease.id, taskerID: tasker.id, box)) { error in
            XCTAssertEqual((error as? MarketError)?.code, "lease_not_live")
        }
        XCTAssertEqual(try work.leaseToSubmit(id: lease.id, by: tasker.id).state, .released, "forgotten, read again")
        XCTAssertEqual(try here.db.row("SELECT COUNT(*) AS n FROM trains")?["n"] as Int?, 0)
        XCTAssertEqual(try XCTUnwrap(here.users.find(id: tasker.id)).balance, .zero)
        XCTAssertThrowsError(try work.leaseToSubmit(id: lease.id, by: other.id), "another tasker, read") { error in
            XCTAssertEqual((error as? MarketError)?.code, "not_found")
        }
        XCTAssertEqual(try here.ledger.disagreements(), [])
    }
}
