import Foundation
import MariaStore
import Marketplace

/// Registration, logon and payout requests of the original protocol, through the same
/// rules as the JSON API (`Accounts`, the sign-in throttle, the payouts ledger).
///
/// The `userID` answered is a new session token (64 hex characters), not a database
/// number; every later `UserID` is checked as that token. The reply also sets the
/// session cookie, so that the app's GetTaskImage (which sends no UserID) works in the
/// browser.
enum LegacyAccountCommands {
    static func taskerRegistration(_ request: LegacyRequest) throws -> LegacyReply {
        try register(request, role: .tasker)
    }

    static func requesterRegistration(_ request: LegacyRequest) throws -> LegacyReply {
        try register(request, role: .requester)
    }

    static func taskerLogon(_ request: LegacyRequest) throws -> LegacyReply {
        let user = try request.context.accounts.authenticate(
            email: try request.email(), password: try request.require("Password"),
            clientAddress: request.context.request.remoteAddress)
        return try session(for: user, request)
    }

    /// Only requesters (and admins) may use the requester app.
    static func requesterLogon(_ request: LegacyRequest) throws -> LegacyReply {
        let user = try request.context.accounts.authenticate(
            email: try request.email(), password: try request.require("Password"),
            clientAddress: request.context.request.remoteAddress)
        guard user.role == .requester || user.role == .admin else {
            throw APIError.forbidden("User not registered for this application.")
        }
        return try session(for: user, request)
    }

    /// `RequestPayment&UserID=&Address=[&Amount=]`: holds the amount (default: the whole
    /// balance) for an admin to pay, as `POST /api/payouts` does.
    static func requestPayment(_ request: LegacyRequest) throws -> LegacyReply {
        let tasker = try request.tasker()
        let address = try request.require("Address")
        let amount: Money
        if let text = request.parameter("Amount") {
            guard let value = Money(text) else {
                throw APIError.invalid(
                    "Amount must be an amount such as 1.25 (at most two decimal places).", code: "invalid_amount")
            }
            amount = value
        } else {
            amount = try request.store.users.find(id: tasker.id)?.balance ?? .zero
        }
        let payout = try PayoutDesk(store: request.store).request(taskerID: tasker.id, amount: amount, address: address)
        return .text("Ok: payout \(payout.id) of \(payout.amount) requested.")
    }

    private static func register(_ request: LegacyRequest, role: Role) throws -> LegacyReply {
        let user = try request.context.accounts.register(
            email: try request.email(), password: try request.require("Password"), screenName: nil, role: role)
        return try session(for: user, request)
    }

    private static func session(for user: User, _ request: LegacyRequest) throws -> LegacyReply {
        let session = try request.context.accounts.openSession(for: user)
        let config = request.context.services.config
        var reply = LegacyReply.text(session.token)
        reply.headers.append(
            (
                "Set-Cookie",
                SessionCookie.set(
                    session.token, maxAge: config.sessionHours * 3600,
                    secure: config.secureCookies)
            ))
        return reply
    }
}
