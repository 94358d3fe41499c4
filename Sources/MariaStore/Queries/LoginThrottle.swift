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
              let until: Date = try row["blocked_until"], until > now else { return nil }
        return until
    }

    /// Counts one failure for each key, each with its number of free failures.
    public func recordFailure(_ keys: [(key: String, freeFailures: Int)], now: Date = Date()) throws {
        for (key, freeFailures) in keys {
            try db.transaction {
                let row = try db.row("SELECT failures, first_failure_at FROM login_failures WHERE throttle_key = ? FOR UPDATE", key)
                var failures = 1
                var firstFailure = now
                if let row, let first: Date = try row["first_failure_at"],
                   now.timeIntervalSince(first) < LoginThrottle.window {
                    failures = try row["failures"] as Int + 1
                    firstFailure = first
                }
                var blockedUntil: Date?
                if failures > freeFailures {
                    let exponent = min(failures - freeFailures - 1, 20)
                    blockedUntil = now.addingTimeInterval(min(pow(2, Double(exponent)), LoginThrottle.longestBlock))
                }
                try db.execute("""
                    INSERT INTO login_failures (throttle_key, failures, first_failure_at, blocked_until) VALUES (?, ?, ?, ?)
                    ON DUPLICATE KEY UPDATE failures = VALUES(failures), first_failure_at = VALUES(first_failure_at),
                        blocked_until = VALUES(blocked_until)
                    """, key, failures, firstFailure, blockedUntil)
            }
        }
    }

    public func clear(_ key: String) throws {
        try db.execute("DELETE FROM login_failures WHERE throttle_key = ?", key)
    }
}
