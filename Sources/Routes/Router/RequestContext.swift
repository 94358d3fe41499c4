import Foundation
import Logging
import MariaStore
import Marketplace

/// Everything a handler needs for one request: the request, the path parameters, this
/// thread's store, the server's settings and a logger tagged with the request id.
public final class RequestContext {
    public let request: Request
    public let parameters: [String: String]
    public let store: Store
    public let services: Services
    public let logger: Logger
    private var authenticated: User??

    public init(request: Request, parameters: [String: String], store: Store, services: Services, logger: Logger) {
        self.request = request
        self.parameters = parameters
        self.store = store
        self.services = services
        self.logger = logger
    }

    /// A path parameter as an id; a 404 when it is not a positive number (no such thing).
    public func id(_ name: String) throws -> Int64 {
        guard let text = parameters[name], let id = Int64(text), id > 0 else {
            throw APIError.notFound("No such \(name.replacingOccurrences(of: "Id", with: "")).")
        }
        return id
    }

    /// The JSON body decoded as `T`: 415 when it is not JSON, 400 when it does not parse or
    /// has the wrong shape, with a message that names the field.
    public func decode<T: Decodable>(_ type: T.Type) throws -> T {
        let type = request.contentType
        guard type == "application/json" || type.hasSuffix("+json") || (type.isEmpty && !request.body.isEmpty) else {
            throw APIError(415, "unsupported_media_type", "Send the body as application/json.")
        }
        return try JSONBody.decode(T.self, from: request.body)
    }

    /// A yes/no query parameter: `true` or `1`, `false` or `0`; false when absent.
    public func flag(_ name: String) throws -> Bool {
        switch request.query[name] {
        case nil, "false", "0": return false
        case "true", "1": return true
        default: throw APIError.badRequest("\(name) must be true or false.")
        }
    }

    /// A query parameter that must be one of a fixed set of words; nil when absent.
    public func choice<Value: RawRepresentable & CaseIterable>(_ name: String, as type: Value.Type) throws -> Value?
    where Value.RawValue == String {
        guard let text = request.query[name] else { return nil }
        guard let value = Value(rawValue: text) else {
            throw APIError.badRequest("\(name) must be one of \(Value.allCases.map(\.rawValue).joined(separator: ", ")).")
        }
        return value
    }

    /// A query parameter holding an id; nil when absent, 400 when not a positive number.
    public func queryID(_ name: String) throws -> Int64? {
        guard let text = request.query[name] else { return nil }
        guard let id = Int64(text), id > 0 else { throw APIError.badRequest("\(name) must be a positive number.") }
        return id
    }

    /// `?page=&perPage=` with defaults 1 and 50, perPage at most 500.
    public func paging() throws -> (page: Int, perPage: Int) {
        let page =
            try request.query["page"].map { text -> Int in
                guard let value = Int(text), value >= 1, value <= 1_000_000 else {
                    throw APIError.badRequest("page must be a number from 1.")
                }
                return value
            } ?? 1
        let perPage =
            try request.query["perPage"].map { text -> Int in
                guard let value = Int(text), (1...500).contains(value) else {
                    throw APIError.badRequest("perPage must be a number from 1 to 500.")
                }
                return value
            } ?? 50
        return (page, perPage)
    }

    // MARK: Who is asking

    /// The signed-in user, from the `tt_session` cookie or an `Authorization: Bearer` token.
    public func currentUser() throws -> User? {
        if let authenticated { return authenticated }
        let user = try (try sessionToken()).flatMap { try store.sessions.user(tokenHash: SessionToken.hash($0)) }
        authenticated = .some(user)
        return user
    }

    /// The session token the client sent, if any: a bearer token, or the session cookie.
    /// The cookie counts for a request that may change something (any method but GET and
    /// HEAD) only when the browser says the request comes from this site; else 403
    /// `cross_site_request`. SameSite=Lax already keeps the cookie from other sites' forms,
    /// but not from a sibling site (another port or subdomain of the same domain).
    public func sessionToken() throws -> String? {
        if let header = request.headers["authorization"], header.prefix(7).lowercased() == "bearer " {
            // The token, without the spaces or tabs around it (RFC 9110, 5.6.3).
            var token = header.dropFirst(7).drop { $0 == " " || $0 == "\t" }
            while token.last == " " || token.last == "\t" { token = token.dropLast() }
            return String(token)
        }
        guard let cookie = request.cookie(SessionCookie.name) else { return nil }
        guard request.method == "GET" || request.method == "HEAD" || comesFromThisSite else {
            throw APIError(403, "cross_site_request", "This request comes from another site; it is refused with your session.")
        }
        return cookie
    }

    /// What the browser says of where the request comes from: `Sec-Fetch-Site`
    /// (same-origin, or none for what the user typed), else `Origin` (the same host and port
    /// as `Host`; a browser sends it with every cross-origin request that may change
    /// something). A client that sends neither is no browser acting for another site.
    /// (Browsers send `Sec-Fetch-Site` over HTTPS and to localhost only.)
    private var comesFromThisSite: Bool {
        if let site = request.headers["sec-fetch-site"] { return site == "same-origin" || site == "none" }
        guard let origin = request.headers["origin"] else { return true }
        // "scheme://host[:port]"; "null" (a sandboxed page) is never this site.
        let parts = origin.lowercased().split(separator: "/")
        guard parts.count == 2, let host = request.headers["host"]?.lowercased() else { return false }
        // A proxy may name the scheme's own port in Host, which the Origin leaves out.
        let defaultPort = parts[0] == "https:" ? ":443" : parts[0] == "http:" ? ":80" : ""
        let authority = String(parts[1])
        return authority == host || (!defaultPort.isEmpty && authority + defaultPort == host)
    }

    /// The signed-in user, or 401.
    public func requireUser() throws -> User {
        guard let user = try currentUser() else { throw APIError.unauthenticated }
        return user
    }

    /// The signed-in user with one of the roles, or 401/403.
    public func require(_ roles: Role...) throws -> User {
        let user = try requireUser()
        guard roles.contains(user.role) || user.role == .admin else {
            throw APIError.forbidden("This needs a \(roles.map(\.rawValue).joined(separator: " or ")) account.")
        }
        return user
    }

    /// The tasker asking on one of the two requests of the tasker cycle.
    public struct CycleTasker {
        public let id: Int64
        /// The hash of the session token, for the store call to check; nil when the session
        /// was read in this request.
        public let session: [UInt8]?
    }

    /// The tasker asking, for the two requests of the tasker cycle (take a lease, hand in a
    /// train), whose store calls can check the session themselves: `tasker_cycle` does, in
    /// the transaction that locks the tasker's row. When this process found the session
    /// live within the last minute (`SessionHints`), it is not read again here, and
    /// `session` is the token's hash for the store call to check. Otherwise the session is
    /// read as `require(.tasker)` reads it and remembered, and `session` is nil.
    public func requireCycleTasker() throws -> CycleTasker {
        guard let token = try sessionToken() else { throw APIError.unauthenticated }
        let hash = SessionToken.hash(token)
        if let id = services.sessionHints.userID(tokenHash: hash) { return CycleTasker(id: id, session: hash) }
        let tasker = try require(.tasker)
        services.sessionHints.remember(userID: tasker.id, tokenHash: hash)
        return CycleTasker(id: tasker.id, session: nil)
    }

    /// The rules of accounts over this request's store (`Accounts`).
    public var accounts: Accounts { Accounts(store: store, services: services) }

    /// The tasker cycle over this request's store, sharing the process's memories (`WorkCycle`).
    public var work: WorkCycle { WorkCycle(store: store, sharing: services) }

    /// The review of results over this request's store (`Review`).
    public var review: Review { Review(store: store) }

    /// Uses an already known user for the rest of the request (the legacy protocol's
    /// `UserID` token).
    public func signIn(as user: User) { authenticated = .some(user) }
}
