import Foundation
import Marketplace
import TestSupport
import XCTest

@testable import MariaStore

/// A tasker known from a hint (`SessionHints`) instead of a session read: `tasker_cycle`
/// checks the session in its own transaction, and a session ended meanwhile changes
/// nothing and is refused.
final class SessionHintTests: XCTestCase {
    let box = TrainSubmission(boxes: [Box(x: 1, y: 1, w: 5, h: 5, label: "car")], nothingToMark: false)
    let outside = TrainSubmission(boxes: [Box(x: 90, y: 1, w: 20, h: 5, label: "car")], nothingToMark: false)

    /// A market of one tasker with a live session, and a store whose hints know it.
    struct SignedIn {
        let market: Market
        let store: Store
        let hints: SessionHints
        /// The tasker cycle over `store` with `hints`.
        var work: WorkCycle { WorkCycle(store: store, sessionHints: hints) }
        let tasker: User
        let session: [UInt8]
    }

    func signedIn(_ database: TestDatabase, images: Int = 3, sessionSeconds: TimeInterval = 3600) throws -> SignedIn {
        let hints = SessionHints()
        let store = Store(try database.connect())
        let market = try Market(store, images: images, resultsPerImage: 1)
        let tasker = try market.tasker()
        let session = (0..<32).map { _ in UInt8.random(in: 0...255) }
        try store.sessions.create(userID: tasker.id, tokenHash: session, expiresAt: Date().addingTimeInterval(sessionSeconds))
        hints.remember(userID: tasker.id, tokenHash: session)
        return SignedIn(market: market, store: store, hints: hints, tasker: tasker, session: session)
    }

    func assertSignedOut<T>(_ call: @autoclosure () throws -> T, file: StaticString = #filePath, line: UInt = #line) {
        XCTAssertThrowsError(try call(), file: file, line: line) { error in
            XCTAssertEqual(error as? MarketError, .signedOut, file: file, line: line)
        }
    }

    /// Trains, live leases, the tasker's balance and the ledger's entries: what a refused
    /// call must leave as it was.
    func state(_ signedIn: SignedIn) throws -> [String] {
        let db = signedIn.store.db
        let job = signedIn.market.job.id
        return [
            "\(try db.row("SELECT COUNT(*) AS n FROM trains WHERE job_id = ?", job)?["n"] as Int? ?? -1)",
            "\(try db.rows("SELECT id FROM leases WHERE job_id = ? AND state = 'live' ORDER BY id", job).map { try $0["id"] as Int64 })",
            "\(try XCTUnwrap(signedIn.store.users.find(id: signedIn.tasker.id)).balance)",
            "\(try db.row("SELECT COUNT(*) AS n FROM ledger_entries")?["n"] as Int? ?? -1)",
        ]
    }

    func testALiveSessionWorksAndAnEndedOneChangesNothing() throws {
        let database = try TestDatabase()
        let s = try signedIn(database)
        guard
            case .new(let lease) = try s.work.take(
                jobID: s.market.job.id, taskerID: s.tasker.id,
                seconds: 60, session: s.session)
        else {
            return XCTFail("no new lease")
        }
        let (submitted, next) = try s.work.submitAndTakeNext(
            to: lease, by: s.tasker.id, box, seconds: 60,
            session: s.session)
        guard case .new = submitted, let next else { return XCTFail("not stored with a next lease: \(submitted)") }

        // Signed out through another process: this one's hint is still there.
        try s.store.sessions.delete(tokenHash: s.session)
        XCTAssertEqual(s.hints.userID(tokenHash: s.session), s.tasker.id)
        let before = try state(s)
        assertSignedOut(try s.work.submitAndTakeNext(to: next, by: s.tasker.id, box, seconds: 60, session: s.session))
        XCTAssertNil(s.hints.userID(tokenHash: s.session), "the hint of an ended session is forgotten")
        assertSignedOut(try s.work.submit(to: next, by: s.tasker.id, box, session: s.session))
        assertSignedOut(
            try s.work.take(
                jobID: s.market.job.id, taskerID: s.tasker.id, seconds: 60,
                session: s.session))
        XCTAssertEqual(try state(s), before)
        XCTAssertEqual(try s.store.leases.find(id: next.id)?.state, .live)

        // A caller that read the session itself passes none: nothing more is checked.
        guard case .new = try s.work.submit(to: next, by: s.tasker.id, box) else { return XCTFail("not stored") }
    }

    func testAnExpiredSessionAnotherTaskersOrARequesterIsRefused() throws {
        let database = try TestDatabase()
        let s = try signedIn(database, sessionSeconds: 30)
        let lease = try s.market.newLease(for: s.tasker)
        let other = try s.market.tasker("other")
        let before = try state(s)
        // The session of `tasker` named for `other`.
        assertSignedOut(
            try s.work.take(
                jobID: s.market.job.id, taskerID: other.id, seconds: 60,
                session: s.session))
        // The session's time is up at `now`, the lease's (60 s) is not: the procedure refuses.
        let later = Date().addingTimeInterval(31)
        assertSignedOut(
            try s.work.submitAndTakeNext(
                to: lease, by: s.tasker.id, box, seconds: 60,
                session: s.session, now: later))
        // A requester is no tasker, whoever read the session.
        assertSignedOut(try s.work.take(jobID: s.market.job.id, taskerID: s.market.requester.id, seconds: 60))
        XCTAssertEqual(try state(s), before)
        guard case .new = try s.work.submit(to: lease, by: s.tasker.id, box, now: later) else {
            return XCTFail("not stored")
        }
    }

    /// The answers given without calling the procedure check the session too: a train
    /// handed in again, and boxes that break the job's rules.
    func testAnswersWithoutTheProcedureCheckTheSession() throws {
        let database = try TestDatabase()
        let s = try signedIn(database)
        let lease = try s.market.newLease(for: s.tasker)
        let live = try XCTUnwrap(s.store.leases.find(id: lease.id))
        guard case .new = try s.work.submit(to: lease, by: s.tasker.id, box, session: s.session) else {
            return XCTFail("not stored")
        }
        let submitted = try XCTUnwrap(s.store.leases.find(id: lease.id))
        guard case .repeated = try s.work.submit(to: submitted, by: s.tasker.id, box, session: s.session) else {
            return XCTFail("not a repeat")
        }
        try s.store.sessions.delete(tokenHash: s.session)
        assertSignedOut(try s.work.submit(to: submitted, by: s.tasker.id, box, session: s.session))
        assertSignedOut(try s.work.submit(to: live, by: s.tasker.id, outside, session: s.session))
        // Without a session to check, the same answers as ever.
        guard case .repeated = try s.work.submit(to: submitted, by: s.tasker.id, box) else {
            return XCTFail("not a repeat")
        }
    }
}
