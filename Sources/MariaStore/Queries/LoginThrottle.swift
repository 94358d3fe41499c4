import Foundation

/// Slows down password guessing: after a number of free failed sign-ins for one key (an
/// account, or a client address) within `window`, each further failure blocks that key for
/// twice as long as the previous one, up to `longestBlock`. A success clears the account's key.
public struct LoginThrottle {
    let db: Connection

    /// Free failures for one account: a person mistyping, not a guesser.
    public static let accountFreeFailures = 5
    /// Free failures for one client address: many people can share one (a carrier's NAT,
    /// an office), so it is looser; it still stops one machine trying many accounts.
    public static let clientFreeFailures = 30
    public static let window: TimeInterval = 15 * 60
    public static let longestBlock: TimeInterval = 15 * 60

    /// When the key is blocked, the time it opens again.
    public func blockedUntil(_ key: String, now: Date = Date()) throws -> Date? {
        guard let row = try db.row("SELECT blocked_until FROM login_failures WHERE throttle_key = ?", key),
            let until: Date = try row["blocked_until"], until > now
        else { return nil }
        return until
    }

    /// Counts one failure for each key, each with its number of free failures.
    public func recordFailure(_ keys: [(key: String, freeFailures: Int)], now: Date = Date()) throws {
        for (key, freeFailures) in keys {
            try db.transaction { _ = try count(key, freeFailures: freeFailures, now: now, unlessBlocked: false) }
        }
    }

    /// Counts an attempt as a failure before its password is checked, unless the key is
    /// blocked: then the time it opens again, and nothing is counted. Check and count are
    /// one step under the key's row lock, so that attempts at once cannot all pass the
    /// check before any failure is counted; a success then `clear`s the key.
    public func countAttempt(_ key: String, freeFailures: Int, now: Date = Date()) throws -> Date? {
        try db.transaction {
            // A row to lock, also for a key seen for the first time (locking a missing key
            // would lock a gap, which two attempts could both hold and then both insert into).
            // The no-op update takes the row's exclusive lock at once; INSERT IGNORE would take
            // a shared one, which two attempts could both hold and then both try to upgrade.
            try db.execute(
                """
                INSERT INTO login_failures (throttle_key, failures, first_failure_at) VALUES (?, 0, ?)
                ON DUPLICATE KEY UPDATE throttle_key = throttle_key
                """, key, now)
            return try count(key, freeFailures: freeFailures, now: now, unlessBlocked: true)
        }
    }

    /// One more failure for the key, inside the caller's transaction; with `unlessBlocked`,
    /// none while the key is blocked, whose end is then returned.
    private func count(_ key: String, freeFailures: Int, now: Date, unlessBlocked: Bool) throws -> Date? {
        let row = try db.row(
            "SELECT failures, first_failure_at, blocked_until FROM login_failures WHERE throttle_key = ? FOR UPDATE",
            key)
        if unlessBlocked, let row, let until: Date = try row["blocked_until"], until > now { return until }
        var failures = 1
        var firstFailure = now
        if let row, let first: Date = try row["first_failure_at"], now.timeIntervalSince(first) < LoginThrottle.window {
            failures = try row["failures"] as Int + 1
            firstFailure = first
        }
        var blockedUntil: Date?
        if failures > freeFailures {
            let exponent = min(failures - freeFailures - 1, 20)
            blockedUntil = now.addingTimeInterval(min(pow(2, Double(exponent)), LoginThrottle.longestBlock))
        }
        try db.execute(
            """
            INSERT INTO login_failures (throttle_key, failures, first_failure_at, blocked_until) VALUES (?, ?, ?, ?)
            ON DUPLICATE KEY UPDATE failures = VALUES(failures), first_failure_at = VALUES(first_failure_at),
                blocked_until = VALUES(blocked_until)
            """, key, failures, firstFailure, blockedUntil)
        return nil
    }

    public func clear(_ key: String) throws {
        try db.execute("DELETE FROM login_failures WHERE throttle_key = ?", key)
    }
}
