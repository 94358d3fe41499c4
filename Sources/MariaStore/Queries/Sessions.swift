import Foundation

/// Signed-in sessions, found by the SHA-256 of their token (the token itself is never stored).
public struct Sessions {
    let db: Connection

    public func create(userID: Int64, tokenHash: [UInt8], expiresAt: Date) throws {
        try db.execute(
            "INSERT INTO sessions (user_id, token_hash, expires_at) VALUES (?, ?, ?)",
            userID, tokenHash, expiresAt)
    }

    /// The user of a live session, or nil when the token is unknown or expired.
    public func user(tokenHash: [UInt8], now: Date = Date()) throws -> User? {
        try db.row(
            "SELECT \(Users.columns) JOIN sessions s ON s.user_id = u.id WHERE s.token_hash = ? AND s.expires_at > ?",
            tokenHash, now
        ).map(User.init(row:))
    }

    public func delete(tokenHash: [UInt8]) throws {
        try db.execute("DELETE FROM sessions WHERE token_hash = ?", tokenHash)
    }

    /// Removes expired sessions; returns how many.
    @discardableResult
    public func purgeExpired(now: Date = Date()) throws -> Int {
        try db.execute("DELETE FROM sessions WHERE expires_at <= ? LIMIT 1000", now).affectedRows
    }
}
