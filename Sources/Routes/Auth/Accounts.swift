import Foundation
import MariaStore

/// The rules of accounts, shared by the JSON API and the legacy protocol: what a valid
/// email and password are, checking credentials with throttling, opening sessions.
public enum Accounts {
    static func register(
        email: String, password: String, screenName: String?, role: Role,
        context: RequestContext
    ) throws -> User {
        let email = try normalizedEmail(email)
        guard password.count >= 8 else {
            throw APIError.invalid("The password needs at least 8 characters.", code: "weak_password")
        }
        guard password.utf8.count <= Accounts.maxPasswordBytes else {
            throw APIError.invalid("The password is longer than \(Accounts.maxPasswordBytes) bytes.", code: "invalid_password")
        }
        let name = (screenName ?? "").trimmingCharacters(in: .whitespacesAndNewlines)
        let screenName =
            name.isEmpty ? String(String.UnicodeScalarView(email.unicodeScalars.prefix { $0 != "@" }.prefix(64))) : name
        guard screenName.unicodeScalars.count <= 64 else {
            throw APIError.invalid("The screen name is longer than 64 characters.", code: "invalid_screen_name")
        }
        guard TextRules.hasNoControls(screenName) else {
            throw APIError.invalid("The screen name holds a control character.", code: "invalid_screen_name")
        }
        let hash = try context.services.passwords.hash(password)
        return try context.store.users.create(email: email, screenName: screenName, passwordHash: hash, role: role)
    }

    /// Checks an email and password. Failures count against the account and the client
    /// address; too many in a short time answer 429 with `Retry-After`. An attempt counts
    /// against the account before its password is checked (and is cleared when it was
    /// right), so that guesses sent at once get no more tries than guesses in a row.
    static func authenticate(email rawEmail: String, password: String, context: RequestContext) throws -> User {
        let typed = canonicalEmail(rawEmail)
        let found = try context.store.users.credentials(email: typed)
        // The account's own email names its throttle when there is one, so that no variant
        // of the typed text gets a fresh allowance of guesses.
        let account = "email:\(found?.user.email ?? typed)"
        let client = "client:\(context.request.remoteAddress)"
        let throttle = context.store.loginThrottle
        let now = Date()
        if let until = try throttle.blockedUntil(client, now: now)
            ?? throttle.countAttempt(account, freeFailures: LoginThrottle.accountFreeFailures, now: now)
        {
            let seconds = max(1, Int(until.timeIntervalSince(now).rounded(.up)))
            throw APIError(
                429, "too_many_attempts",
                "Too many failed sign-ins; try again in \(seconds == 1 ? "1 second" : "\(seconds) seconds").",
                headers: ["Retry-After": "\(seconds)"])
        }
        let matches = context.services.passwords.verify(
            password, against: found?.passwordHash ?? context.services.decoyPasswordHash)
        guard let found, matches else {
            try throttle.recordFailure([(client, LoginThrottle.clientFreeFailures)], now: now)
            throw APIError(401, "invalid_credentials", "The email or the password is not right.")
        }
        try throttle.clear(account)
        return found.user
    }

    static func openSession(for user: User, context: RequestContext) throws -> (token: String, expiresAt: Date) {
        // Sign-ins are rare enough to carry the clean-up of expired sessions.
        try context.store.sessions.purgeExpired()
        let token = SessionToken.generate()
        let expiresAt = Date().addingTimeInterval(TimeInterval(context.services.config.sessionHours * 3600))
        try context.store.sessions.create(userID: user.id, tokenHash: SessionToken.hash(token), expiresAt: expiresAt)
        return (token, expiresAt)
    }

    /// Longer passwords are refused, so that hashing one costs a bounded time.
    static let maxPasswordBytes = 1024

    /// An email as compared and stored: trimmed, in lower case and in Unicode's composed
    /// form (NFC), so that one address has one spelling. The database compares emails byte
    /// for byte (sql/015_emails_compared_exactly.sql).
    public static func canonicalEmail(_ text: String) -> String {
        text.trimmingCharacters(in: .whitespacesAndNewlines).lowercased().precomposedStringWithCanonicalMapping
    }

    /// `canonicalEmail`, checked: 422 `invalid_email` when it is not an address, or holds
    /// spaces, control or invisible formatting characters (look-alikes of another address).
    public static func normalizedEmail(_ text: String) throws -> String {
        let email = canonicalEmail(text)
        let parts = email.split(separator: "@", omittingEmptySubsequences: false)
        guard email.unicodeScalars.count <= 254, parts.count == 2, !parts[0].isEmpty, parts[1].contains("."),
            !parts[1].hasPrefix("."), !parts[1].hasSuffix("."), TextRules.isPlainToken(email)
        else {
            throw APIError.invalid("\"\(text.prefix(80))\" is not an email address.", code: "invalid_email")
        }
        return email
    }
}
