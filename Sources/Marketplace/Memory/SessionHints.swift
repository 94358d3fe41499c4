import Foundation
import MariaStore

/// Sessions this process found live lately, by the SHA-256 of their token: whose they are.
///
/// The two requests a tasker makes most, taking a lease and handing in a train, use a
/// hint instead of reading the session first. They pass the token's hash on to
/// `tasker_cycle`, which checks, in the transaction that locks the tasker's row, that the
/// session is still live and the tasker's; when it is not, nothing changes and the call
/// throws `MarketError.signedOut`. So a hint never lets a request through by itself: it
/// saves the session's round trip.
///
/// Only the sessions of users who may take work are remembered (taskers, and admins), and
/// the procedure checks the role again. A hint is kept for at most `maxAge` seconds, and
/// at most two generations of `capacity` sessions (`RecentlySeen`). Signing out through
/// this process forgets it at once (`Accounts.signOut`), and so does a tasker cycle that finds
/// the session ended (`WorkCycle`). A session ended elsewhere
/// (another process, or its expiry) is refused by the procedure, or by
/// `WorkCycle` for an answer given without it, rather than before the handler's
/// own checks: until its hint ages out, a malformed request of it (400, 415) or one that
/// names a lease or job that is not there for the tasker (404) gets that answer rather
/// than the 401.
public final class SessionHints: Sendable {
    private struct Hint {
        let userID: Int64
        let notedAt: Date
    }

    private let hints: RecentlySeen<[UInt8], Hint>
    private let maxAge: TimeInterval

    public init(capacity: Int = 4_096, maxAge: TimeInterval = 60) {
        hints = RecentlySeen(capacity: capacity)
        self.maxAge = maxAge
    }

    /// The user of a session found live within the last `maxAge` seconds, if any.
    public func userID(tokenHash: [UInt8], now: Date = Date()) -> Int64? {
        guard let hint = hints.value(for: tokenHash) else { return nil }
        guard now.timeIntervalSince(hint.notedAt) < maxAge else {
            hints.forget(tokenHash)
            return nil
        }
        return hint.userID
    }

    /// Notes a session just read live, of a user who may take work.
    public func remember(userID: Int64, tokenHash: [UInt8], now: Date = Date()) {
        hints.remember(Hint(userID: userID, notedAt: now), for: tokenHash)
    }

    public func forget(tokenHash: [UInt8]) { hints.forget(tokenHash) }
}
