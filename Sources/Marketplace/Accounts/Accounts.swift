import Foundation
import MariaStore

/// The rules of accounts, shared by the JSON API, the legacy protocol and the admin tool:
/// what a valid email and password are, checking credentials with throttling, opening and
/// ending sessions. Refusals are `MarketError`s, which the HTTP layer maps to statuses.
///
///     let user = try Accounts(store: store, services: services)
///         .authenticate(email: email, password: password, clientAddress: address)
public struct Accounts {
    public let store: Store
    public let services: Services

    public init(store: Store, services: Services) {
        self.store = store
        self.services = services
    }

    public func register(email: String, password: String, screenName: String?, role: Role) throws -> User {
        let email = try Accounts.normalizedEmail(email)
        guard password.count >= 8 else {
            throw MarketError(.invalid, "weak_password", "The password needs at least 8 characters.")
        }
        guard password.utf8.count <= Accounts.maxPasswordBytes else {
            throw MarketError(.invalid, "invalid_password", "The password is longer than \(Accounts.maxPasswordBytes) bytes.")
        }
        let name = (screenName ?? "").trimmingCharacters(in: .whitespacesAndNewlines)
        let screenName =
            name.isEmpty ? String(String.UnicodeScalarView(email.unicodeScalars.prefix { $0 != "@" }.prefix(64))) : name
        guard screenName.unicodeScalars.count <= 64 else {
            throw MarketError(.invalid, "invalid_screen_name", "The screen name is longer than 64 characters.")
        }
        guard TextRules.hasNoControls(screenName) else {
            throw MarketError(.invalid, "invalid_screen_name", "The screen name holds a control character.")
        }
        let hash = try services.passwords.hash(password)
        return try store.users.create(email: email, screenName: screenName, passwordHash: hash, role: role)
    }

    /// Checks an email and password. Failures count against the account and the client
    /// address (`clientAddress`); too many in a short time are refused as
    /// `tooManyAttempts`, with the seconds to wait. An attempt counts against the account
    /// before its password is checked (and is cleared when it was right), so that guesses
    /// sent at once get no more tries than guesses in a row.
    public func authenticate(email rawEmail: String, password: String, clientAddress: String) throws -> User {
        let typed = Accounts.canonicalEmail(rawEmail)
        let found = try store.users.credentials(email: typed)
        // The account's own email names its throttle when there is one, so that no variant
        // of the typed text gets a fresh allowance of guesses.
        let account = "email:\(found?.user.email ?? typed)"
        let client = "client:\(clientAddress)"
        let throttle = store.loginThrottle
        let now = Date()
        if let until = try throttle.blockedUntil(client, now: now)
            ?? throttle.countAttempt(account, freeFailures: LoginThrottle.accountFreeFailures, now: now)
        {
            let seconds = max(1, Int(until.timeIntervalSince(now).rounded(.up)))
            throw MarketError(
                .tooManyAttempts, "too_many_attempts",
                "Too many failed sign-ins; try again in \(seconds == 1 ? "1 second" : "\(seconds) seconds").",
                retryAfterSeconds: seconds)
        }
        let matches = services.passwords.verify(password, against: found?.passwordHash ?? services.decoyPasswordHash)
        guard let found, matches else {
            try throttle.recordFailure([(client, LoginThrottle.clientFreeFailures)], now: now)
            throw MarketError(.unauthenticated, "invalid_credentials", "The email or the password is not right.")
        }
        try throttle.clear(account)
        return found.user
    }

    /// A new session of the user, lasting `sessionHours`: the token for the client (the
    /// database keeps only its SHA-256) and when it ends.
    public func openSession(for user: User) throws -> (token: String, expiresAt: Date) {
        // Sign-ins are rare enough to carry the clean-up of expired sessions.
        try store.sessions.purgeExpired()
        let token = SessionToken.generate()
        let expiresAt = Date().addingTimeInterval(TimeInterval(services.config.sessionHours * 3600))
        try store.sessions.create(userID: user.id, tokenHash: SessionToken.hash(token), expiresAt: expiresAt)
        return (token, expiresAt)
    }

    /// Ends the session of `token`, and forgets at once that this process found it live
    /// (`SessionHints`), so that no request of it is let through on the hint.
    public func signOut(token: String) throws {
        let hash = SessionToken.hash(token)
        try store.sessions.delete(tokenHash: hash)
        services.sessionHints.forget(tokenHash: hash)
    }

    /// Longer passwords are refused, so that hashing one costs a bounded time.
    public static let maxPasswordBytes = 1024

    /// An email as compared and stored: trimmed, in lower case and in Unicode's composed
    /// form (NFC), so that one address has one spelling. The database compares emails byte
    /// for byte (sql/015_emails_compared_exactly.sql).
    public static func canonicalEmail(_ text: String) -> String {
        text.trimmingCharacters(in: .whitespacesAndNewlines).lowercased().precomposedStringWithCanonicalMapping
    }

    /// `canonicalEmail`, checked: `invalid_email` when it is not an address, or holds
    /// spaces, control or invisible formatting characters (look-alikes of another address).
    public static func normalizedEmail(_ text: String) throws -> String {
        let email = canonicalEmail(text)
        let parts = email.split(separator: "@", omittingEmptySubsequences: false)
        guard email.unicodeScalars.count <= 254, parts.count == 2, !parts[0].isEmpty, parts[1].contains("."),
            !parts[1].hasPrefix("."), !parts[1].hasSuffix("."), TextRules.isPlainToken(email)
        else {
            throw MarketError(.invalid, "invalid_email", "\"\(text.prefix(80))\" is not an email address.")
        }
        return email
    }
}
