import Foundation
import MariaStore
import XCTest

/// The sign-in throttle against the real server, with real threads.
final class LoginThrottleTests: XCTestCase {
    /// Attempts at once on one key get exactly the tries that attempts in a row get: the
    /// free failures, then the one whose failure starts the block; every other is blocked.
    func testAttemptsAtOnceGetNoMoreTriesThanAttemptsInARow() throws {
        let database = try TestDatabase()
        let now = Date()
        let free = LoginThrottle.accountFreeFailures
        let lock = NSLock()
        var passed = 0, blocked = 0, errors: [String] = []
        let deadlocksBefore = try Self.deadlocks(database)
        race(24) { _ in
            do {
                let until = try database.store().loginThrottle.countAttempt("email:race@example.com", freeFailures: free, now: now)
                lock.lock(); if until == nil { passed += 1 } else { blocked += 1 }; lock.unlock()
            } catch {
                lock.lock(); errors.append("\(error)"); lock.unlock()
            }
        }
        XCTAssertEqual(errors, [])
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
            XCTAssertNil(try throttle.countAttempt("email:slow@example.com", freeFailures: LoginThrottle.accountFreeFailures, now: start))
        }
        let first = try XCTUnwrap(try throttle.blockedUntil("email:slow@example.com", now: start))
        XCTAssertEqual(first.timeIntervalSince(start), 1, accuracy: 0.01)
        let later = first.addingTimeInterval(0.5)
        XCTAssertNil(try throttle.countAttempt("email:slow@example.com", freeFailures: LoginThrottle.accountFreeFailures, now: later))
        let second = try XCTUnwrap(try throttle.blockedUntil("email:slow@example.com", now: later))
        XCTAssertEqual(second.timeIntervalSince(later), 2, accuracy: 0.01)
    }
}
