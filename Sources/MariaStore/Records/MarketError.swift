/// A marketplace rule that refused an operation. The HTTP layer maps `kind` to a status
/// and shows `code` and `message` to the client; nothing was changed.
public struct MarketError: Error, Equatable, Sendable, CustomStringConvertible {
    public enum Kind: Sendable {
        /// The session the request came with has ended (signed out, or expired).
        case unauthenticated
        /// The thing does not exist, or the caller may not know it exists.
        case notFound
        /// The caller may not do this.
        case forbidden
        /// The current state does not allow it (a duplicate, a lease no longer live...).
        case conflict
        /// A value is well-formed but breaks a rule (a box outside the image...).
        case invalid
        /// Others hold what this needs for a moment; the same request may succeed shortly.
        case busy
        /// Too many attempts lately (failed sign-ins): refused for `retryAfterSeconds`.
        case tooManyAttempts
    }

    public let kind: Kind
    public let code: String
    public let message: String
    /// How long the caller should wait before asking again, when the rule says
    /// (`tooManyAttempts`).
    public let retryAfterSeconds: Int?

    public init(_ kind: Kind, _ code: String, _ message: String, retryAfterSeconds: Int? = nil) {
        self.kind = kind
        self.code = code
        self.message = message
        self.retryAfterSeconds = retryAfterSeconds
    }

    public var description: String { message }

    public static func notFound(_ what: String) -> MarketError {
        MarketError(.notFound, "not_found", "No such \(what).")
    }
    /// A session that `tasker_cycle` found ended (see `TaskerCycle.call`).
    public static let signedOut = MarketError(.unauthenticated, "unauthenticated", "Sign in first.")
    public static let insufficientBalance = MarketError(
        .invalid, "insufficient_balance", "The balance does not cover this amount.")
    public static let finishedJobTakesNoImages = MarketError(
        .conflict, "job_finished", "A finished job takes no more images.")
}
