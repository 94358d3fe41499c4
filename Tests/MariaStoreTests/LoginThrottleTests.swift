import Foundation
import MariaStore
import TestSupport
import XCTest

/// The sign-in throttle against the real server, with real threads.
final class LoginThrottleTests: XCTestCase {
    /// Attempts at once on one key get exactly the tries that attempts in a row get: the
    /// free failures, then the one whose failure starts the block; every other is blocked.
    func testAttemptsAtOnceGetNoMoreTriesThanAttemptsInARow() throws {
        let database = try TestDatabase()
        let now = Date()
        let free = LoginThrottle.accountFreeFailures
        let deadlocksBefore = try Self.deadlocks(database)
        let address = database.address
        let attempts = race(24) { _ in
            Attempt<Bool> {
                try address.store().loginThrottle.countAttempt("email:race@example.com", freeFailures: free, now: now) == nil
            }
        }
        XCTAssertEqual(attempts.failures(), [])
        let passed = attempts.filter { (try? $0.get()) == true }.count
        let blocked = attempts.filter { (try? $0.get()) == false }.count
        // Not even deadlocks that a retry hid (two attempts upgrading shared locks on the row).
        XCTAssertEqual(try Self.deadlocks(database), deadlocksBefore)
        XCTAssertEqual(passed, free + 1)
        XCTAssertEqual(blocked, 24 - free - 1)
        let store = try database.store()
        XCTAssertNotNil(try store.loginThrottle.blockedUntil("email:race@example.com", now: now))
        // A success clears the key; the window then starts again.
        try store.loginThrottle.clear("email:race@example.com")
        XCTAssertNil(try store.loginThrottle.countAttempt("email:race@example.com", freeFailures: free, now: now))
    }

    /// The server's count of deadlocks so far.
    static func deadlocks(_ database: TestDatabase) throws -> Int {
        let row = try database.connect().row("SHOW GLOBAL STATUS LIKE 'Innodb_deadlocks'")
        return Int(try XCTUnwrap(row)["Value"] as String) ?? -1
    }

    /// Once the block is over, the next failure blocks for twice as long.
    func testEachFailureAfterTheFreeOnesDoublesTheBlock() throws {
        let database = try TestDatabase()
        let throttle = try database.store().loginThrottle
        let start = Date()
        for _ in 0...LoginThrottle.accountFreeFailures {
            XCTAssertNil(
                try throttle.countAttempt("email:slow@example.com", freeFailures: LoginThrottle.accountFreeFailures, now: start))
        }
        let first = try XCTUnwrap(try throttle.blockedUntil("email:slow@example.com", now: start))
        XCTAssertEqual(first.timeIntervalSince(start), 1, accuracy: 0.01)
        let later = first.addingTimeInterval(0.5)
        XCTAssertNil(
            try throttle.countAttempt("email:slow@example.com", freeFailures: LoginThrottle.accountFreeFailures, now: later))
        let second = try XCTUnwrap(try throttle.blockedUntil("email:slow@example.com", now: later))
        XCTAssertEqual(second.timeIntervalSince(later), 2, accuracy: 0.01)
    }
}
