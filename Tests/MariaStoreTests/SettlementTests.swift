import Foundation
import TestSupport
import XCTest

@testable import MariaStore

/// Review decisions against the real server: money moves once, when a result is approved;
/// a rejection gives the slot back; decisions racing for one result leave one winner.
final class SettlementTests: XCTestCase {
    let box = TrainSubmission(boxes: [Box(x: 1, y: 1, w: 5, h: 5, label: "car")], nothingToMark: false)

    /// Each tasker hands in one result per image until there is no work; returns the
    /// results' ids by tasker.
    private func work(_ market: Market, by taskers: [User]) throws -> [Int64: [Int64]] {
        var results: [Int64: [Int64]] = [:]
        for tasker in taskers {
            while true {
                let lease: Lease
                do { lease = try market.newLease(for: tasker) } catch let error as MarketError where error.code == "no_work" {
                    break
                }
                guard case .new(let train) = try market.store.work.submit(leaseID: lease.id, taskerID: tasker.id, box)
                else {
                    XCTFail("a repeat")
                    break
                }
                results[tasker.id, default: []].append(train.id)
            }
        }
        return results
    }

    private func balance(_ store: Store, _ user: User) throws -> Money {
        try XCTUnwrap(store.users.find(id: user.id)).balance
    }

    /// 32 threads race over 8 results: approving, rejecting, and the worker's auto-approval.
    /// Each result is decided once, and the money that moved is exactly the bounties of
    /// the approved ones, as the ledger says.
    func testApprovalRejectionAndAutoApprovalRacingForTheSameResultsDecideEachOnce() throws {
        let database = try TestDatabase()
        let store = try database.store()
        let market = try Market(store, images: 8, resultsPerImage: 1)
        let tasker = try market.tasker("t")
        let ids = try XCTUnwrap(work(market, by: [tasker])[tasker.id])
        XCTAssertEqual(ids.count, 8)
        let address = database.address
        let jobID = market.job.id
        let requesterID = market.requester.id
        let decisions = race(32) { index in
            Attempt<Int> {
                let store = try address.store()
                let settlements = store.settlements
                switch index % 3 {
                case 0:
                    return try settlements.settle(jobID: jobID, requesterID: requesterID, .approve, .results(ids.shuffled()))
                        .count
                case 1:
                    return try settlements.settle(
                        jobID: jobID, requesterID: requesterID,
                        .reject(reason: "racing"), .results(ids.shuffled())
                    ).count
                default: return try store.review.approveDue(now: Date().addingTimeInterval(73 * 3600))
                }
            }
        }
        XCTAssertEqual(decisions.failures(), [])
        XCTAssertEqual(decisions.compactMap { try? $0.get() }.reduce(0, +), 8, "each result decided exactly once")
        let approved: Int = try XCTUnwrap(store.db.row("SELECT COUNT(*) AS n FROM trains WHERE state = 'approved'")?["n"])
        let rejected: Int = try XCTUnwrap(store.db.row("SELECT COUNT(*) AS n FROM trains WHERE state = 'rejected'")?["n"])
        XCTAssertEqual(approved + rejected, 8)
        XCTAssertEqual(try balance(store, tasker), market.job.bounty * approved)
        let paid: Money = try XCTUnwrap(
            store.db.row("SELECT COALESCE(SUM(amount), 0) AS s FROM ledger_entries WHERE kind = 'bounty'")?["s"])
        XCTAssertEqual(paid, market.job.bounty * approved)
        // The rejected results' slots are open again, paid for by the same escrow.
        XCTAssertEqual(try store.db.row("SELECT SUM(open_slots) AS n FROM tasks")?["n"] as Int?, rejected)
        XCTAssertEqual(try XCTUnwrap(store.jobs.find(id: market.job.id)).budgetLeft, market.job.bounty * rejected)
        XCTAssertEqual(try store.ledger.disagreements(), [])
    }

    /// Selections: named results (one already decided is skipped), one tasker's pending
    /// results, everything pending; a preview changes nothing and says what the decision does.
    func testDecisionsOverNamedResultsATaskerAndEverythingPending() throws {
        let database = try TestDatabase()
        let store = try database.store()
        let market = try Market(store, images: 4, resultsPerImage: 2, bounty: "0.25")
        let ann = try market.tasker("ann")
        let bob = try market.tasker("bob")
        let results = try work(market, by: [ann, bob])
        let anns = try XCTUnwrap(results[ann.id])
        let bobs = try XCTUnwrap(results[bob.id])
        let settlements = store.settlements
        let job = market.job.id
        let requester = market.requester.id

        let first = try settlements.settle(jobID: job, requesterID: requester, .approve, .results([anns[0]]))
        XCTAssertEqual(first, .init(count: 1, amount: Money("0.25")!, skipped: 0))
        let preview = try settlements.preview(jobID: job, requesterID: requester, .approve, .results(Array(anns.prefix(2))))
        XCTAssertEqual(preview, .init(count: 1, amount: Money("0.25")!, skipped: 1))
        XCTAssertEqual(try balance(store, ann), Money("0.25"), "a preview moves nothing")
        XCTAssertEqual(
            try settlements.settle(jobID: job, requesterID: requester, .approve, .results(Array(anns.prefix(2)))),
            preview)
        let rejectBob = try settlements.settle(
            jobID: job, requesterID: requester, .reject(reason: "boxes too loose"),
            .tasker(bob.id))
        XCTAssertEqual(rejectBob, .init(count: bobs.count, amount: .zero, skipped: 0))
        XCTAssertEqual(try balance(store, bob), .zero)
        let rest = try settlements.settle(jobID: job, requesterID: requester, .approve, .allPending)
        XCTAssertEqual(rest.count, anns.count - 2)
        XCTAssertEqual(try balance(store, ann), Money("0.25")! * anns.count)
        let summary = try settlements.summary(jobID: job, requesterID: requester)
        XCTAssertEqual(summary.byState[.approved]?.count, anns.count)
        XCTAssertEqual(summary.byState[.rejected]?.count, bobs.count)
        XCTAssertNil(summary.byState[.pending])
        XCTAssertEqual(
            try store.db.row("SELECT reject_reason FROM trains WHERE id = ?", bobs[0])?["reject_reason"] as String?,
            "boxes too loose")
        // Another requester's job, or a result of another job: not found, nothing changed.
        XCTAssertThrowsError(try settlements.settle(jobID: job, requesterID: ann.id, .approve, .allPending))
        XCTAssertThrowsError(try settlements.settle(jobID: job, requesterID: requester, .approve, .results([bobs[0], 999_999])))
        XCTAssertEqual(try store.ledger.disagreements(), [])
    }

    /// The worker approves only what waited longer than the job's window.
    func testTheAutoApprovalTakesOnlyResultsOlderThanTheWindow() throws {
        let database = try TestDatabase()
        let store = try database.store()
        let market = try Market(store, images: 3, resultsPerImage: 1)
        let tasker = try market.tasker("t")
        _ = try work(market, by: [tasker])
        XCTAssertEqual(try store.review.approveDue(now: Date().addingTimeInterval(71 * 3600)), 0)
        XCTAssertEqual(try balance(store, tasker), .zero)
        XCTAssertEqual(try store.review.approveDue(now: Date().addingTimeInterval(73 * 3600)), 3)
        XCTAssertEqual(try balance(store, tasker), market.job.bounty * 3)
        XCTAssertEqual(try store.db.row("SELECT action FROM settlements")?["action"] as String?, "auto_approve")
        XCTAssertEqual(try store.ledger.disagreements(), [])
    }

    /// A rejected result's slot goes to a tasker who never had the task, never back to the
    /// one rejected; after the job is finished a rejection gives the bounty back instead.
    func testARejectedSlotGoesToAnotherTaskerAndAfterTheFinishBackToTheRequester() throws {
        let database = try TestDatabase()
        let store = try database.store()
        let market = try Market(store, images: 1, resultsPerImage: 1, credit: "10.00")
        let first = try market.tasker("a")
        let second = try market.tasker("b")
        let results = try work(market, by: [first])
        _ = try store.settlements.settle(
            jobID: market.job.id, requesterID: market.requester.id,
            .reject(reason: "no box on the car"), .allPending)
        XCTAssertThrowsError(try market.newLease(for: first))
        let again = try market.newLease(for: second)
        XCTAssertEqual(again.taskID, try XCTUnwrap(store.trains.find(id: XCTUnwrap(results[first.id]?.first))).taskID)
        _ = try store.work.submit(leaseID: again.id, taskerID: second.id, box)
        let beforeFinish = try balance(store, market.requester)
        let finished = try store.jobs.finish(id: market.job.id, requesterID: market.requester.id)
        XCTAssertEqual(finished.budgetLeft, market.job.bounty, "the pending result's bounty stays")
        XCTAssertEqual(try balance(store, market.requester), beforeFinish)
        let refund = try store.settlements.settle(
            jobID: market.job.id, requesterID: market.requester.id,
            .reject(reason: "late"), .allPending)
        XCTAssertEqual(refund.amount, market.job.bounty)
        XCTAssertEqual(try balance(store, market.requester), beforeFinish + market.job.bounty)
        XCTAssertEqual(try XCTUnwrap(store.jobs.find(id: market.job.id)).budgetLeft, .zero)
        XCTAssertEqual(try store.ledger.disagreements(), [])
    }

    /// A job whose escrow holds less than its opened slots' bounties hands out no lease.
    func testAJobWhoseEscrowIsShortOfItsSlotsHandsOutNoLease() throws {
        let database = try TestDatabase()
        let store = try database.store()
        let market = try Market(store, images: 2, resultsPerImage: 1)
        let tasker = try market.tasker("t")
        try store.db.execute("UPDATE accounts SET balance = balance - 0.01 WHERE id = ?", market.job.accountID)
        XCTAssertThrowsError(try market.newLease(for: tasker)) { error in
            XCTAssertEqual((error as? MarketError)?.code, "job_not_open")
        }
        XCTAssertFalse(try store.ledger.disagreements().isEmpty, "the audit sees it too")
        try store.db.execute("UPDATE accounts SET balance = balance + 0.01 WHERE id = ?", market.job.accountID)
        _ = try market.newLease(for: tasker)
    }
}
