import Foundation

/// Accounts of people: taskers, requesters, admins.
public struct Users {
    let db: Connection

    static let columns = """
        u.id, u.email, u.screen_name, u.role, u.account_id, u.created_at, a.balance
        FROM users u JOIN accounts a ON a.id = u.account_id
        """

    static let columnsWithPasswordHash = """
        u.id, u.email, u.screen_name, u.role, u.account_id, u.created_at, a.balance, u.password_hash
        FROM users u JOIN accounts a ON a.id = u.account_id
        """

    /// Creates a user with an empty account. Throws `email_taken` when the email is in use.
    public func create(email: String, screenName: String, passwordHash: String, role: Role) throws -> User {
        try db.transaction {
            let account = try db.execute("INSERT INTO accounts (kind) VALUES ('user')").lastInsertID
            do {
                let id = try db.execute(
                    "INSERT INTO users (email, screen_name, password_hash, role, account_id) VALUES (?, ?, ?, ?, ?)",
                    email, screenName, passwordHash, role.rawValue, account
                ).lastInsertID
                return try find(id: id)!
            } catch let error as DatabaseError where error.isDuplicateKey {
                throw MarketError(.conflict, "email_taken", "This email is already registered.")
            }
        }
    }

    public func find(id: Int64) throws -> User? {
        try db.row("SELECT \(Users.columns) WHERE u.id = ?", id).map(User.init(row:))
    }

    public func find(email: String) throws -> User? {
        try db.row("SELECT \(Users.columns) WHERE u.email = ?", email).map(User.init(row:))
    }

    /// The stored password hash of an email's account, with the user.
    public func credentials(email: String) throws -> (user: User, passwordHash: String)? {
        guard let row = try db.row("SELECT \(Users.columnsWithPasswordHash) WHERE u.email = ?", email) else { return nil }
        return (try User(row: row), try row["password_hash"])
    }

    public func setRole(userID: Int64, role: Role) throws {
        try db.execute("UPDATE users SET role = ? WHERE id = ?", role.rawValue, userID)
    }

    /// Users whose email holds characters beyond ASCII: the only ones whose stored email can
    /// differ from its canonical form (see `tasker-admin migrate`).
    public func withNonASCIIEmails() throws -> [User] {
        try db.rows("SELECT \(Users.columns) WHERE u.email <> CONVERT(u.email USING ascii) ORDER BY u.id").map(User.init(row:))
    }

    /// Changes a user's email; a duplicate-key `DatabaseError` when another user has it.
    public func setEmail(userID: Int64, email: String) throws {
        try db.execute("UPDATE users SET email = ? WHERE id = ?", email, userID)
    }

    public func setPasswordHash(userID: Int64, passwordHash: String) throws {
        try db.execute("UPDATE users SET password_hash = ? WHERE id = ?", passwordHash, userID)
    }

    /// What a tasker earned since midnight UTC.
    public func earnedToday(userID: Int64, now: Date = Date()) throws -> Money {
        let midnight = Date(timeIntervalSince1970: (now.timeIntervalSince1970 / 86_400).rounded(.down) * 86_400)
        let row = try db.row(
            """
            SELECT COALESCE(SUM(e.amount), 0) AS earned FROM ledger_entries e
            JOIN users u ON u.account_id = e.to_account
            WHERE u.id = ? AND e.kind = 'bounty' AND e.created_at >= ?
            """, userID, midnight)
        return try row?["earned"] ?? .zero
    }
}

extension User {
    init(row: Row) throws {
        id = try row["id"]
        email = try row["email"]
        screenName = try row["screen_name"]
        role = Role(rawValue: try row["role"]) ?? .tasker
        accountID = try row["account_id"]
        balance = try row["balance"]
        createdAt = try row["created_at"]
    }
}
