import Foundation
import MariaStore

/// Registration, sign-in and sign-out, and what a user sees of their own account.
enum AccountHandlers {
    struct Registration: Decodable {
        let email: String
        let password: String
        let screenName: String?
        let role: String?
    }

    struct Credentials: Decodable {
        let email: String
        let password: String
    }

    static func register(_ context: RequestContext) throws -> Response {
        let input = try context.decode(Registration.self)
        let role = try registrationRole(input.role)
        let user = try context.accounts.register(
            email: input.email, password: input.password, screenName: input.screenName, role: role)
        return try sessionResponse(for: user, status: 201, context: context)
    }

    static func login(_ context: RequestContext) throws -> Response {
        let input = try context.decode(Credentials.self)
        let user = try context.accounts.authenticate(
            email: input.email, password: input.password, clientAddress: context.request.remoteAddress)
        return try sessionResponse(for: user, status: 200, context: context)
    }

    static func logout(_ context: RequestContext) throws -> Response {
        if let token = try context.sessionToken() { try context.accounts.signOut(token: token) }
        var response = Response.noContent
        response.addHeader("Set-Cookie", SessionCookie.clear(secure: context.services.config.secureCookies))
        return response
    }

    static func me(_ context: RequestContext) throws -> Response {
        let user = try context.requireUser()
        return try .json(UserView(user, earnedToday: try context.store.users.earnedToday(userID: user.id)))
    }

    static func ledger(_ context: RequestContext) throws -> Response {
        let user = try context.requireUser()
        let (page, perPage) = try context.paging()
        let entries = try context.store.ledger.entries(account: user.accountID, page: page, perPage: perPage)
        return try .json(PageView(entries) { LedgerEntryView($0, account: user.accountID) })
    }

    /// `GET /api/me/earnings`: available, pending and rejected.
    static func earnings(_ context: RequestContext) throws -> Response {
        let user = try context.requireUser()
        return try .json(EarningsView(try context.store.trains.earnings(of: user)))
    }

    /// `GET /api/me/results`: the signed-in tasker's own results, newest first.
    static func results(_ context: RequestContext) throws -> Response {
        let user = try context.requireUser()
        let (page, perPage) = try context.paging()
        let state = try context.choice("state", as: ResultState.self)
        let results = try context.store.trains.history(taskerID: user.id, state: state, page: page, perPage: perPage)
        return try .json(PageView(results, MyResultView.init))
    }

    static func registrationRole(_ text: String?) throws -> Role {
        switch text ?? "tasker" {
        case "tasker": return .tasker
        case "requester": return .requester
        default: throw APIError.invalid("role must be \"tasker\" or \"requester\".", code: "invalid_role")
        }
    }

    /// Opens a session and answers with the user, the token, and the session cookie.
    static func sessionResponse(for user: User, status: Int, context: RequestContext) throws -> Response {
        let session = try context.accounts.openSession(for: user)
        let view = SessionView(
            user: UserView(user, earnedToday: try context.store.users.earnedToday(userID: user.id)),
            token: session.token, expiresAt: session.expiresAt)
        var response = try Response.json(view, status: status)
        response.addHeader(
            "Set-Cookie",
            SessionCookie.set(
                session.token, maxAge: context.services.config.sessionHours * 3600,
                secure: context.services.config.secureCookies))
        response.addHeader("Cache-Control", "no-store")
        return response
    }
}
