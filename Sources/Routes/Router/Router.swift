/// Maps (method, path pattern) to a handler. Patterns are literal segments and
/// `{name}` parameters: `/api/jobs/{jobId}/leases`. The router answers 404 for an unknown
/// path and 405 (with `Allow`) for a known path with another method.
public struct Router: Sendable {
    /// A handler keeps no state of its own: the route table is shared by every worker thread.
    public typealias Handler = @Sendable (RequestContext) throws -> Response

    public struct Route: Sendable {
        public let method: String
        public let pattern: String
        public let body: BodySize
        let segments: [Segment]
        let handler: Handler
    }

    /// How large a request body a route takes: `small` (JSON and forms, 1 MiB) or
    /// `upload` (images: see `Application.bodyLimit`). The worker refuses a larger body
    /// with 413, whatever the front end let through: at once when its declared length is
    /// larger, else as soon as it has read one byte more than the limit.
    public enum BodySize: Sendable, Equatable {
        case small
        case upload
        /// `upload` when the query parameter `query` is one of `values`, else `small`: the
        /// legacy endpoint is one route for every command, its image uploads among them.
        case uploadWhen(query: String, isOneOf: Set<String>)
    }

    enum Segment: Equatable, Sendable {
        case literal(String)
        case parameter(String)
    }

    public private(set) var routes: [Route] = []

    public init() {}

    public mutating func add(
        _ method: String, _ pattern: String, body: BodySize = .small,
        _ handler: @escaping Handler
    ) {
        let segments = pattern.split(separator: "/").map { part -> Segment in
            part.hasPrefix("{") && part.hasSuffix("}") ? .parameter(String(part.dropFirst().dropLast())) : .literal(String(part))
        }
        routes.append(Route(method: method, pattern: pattern, body: body, segments: segments, handler: handler))
    }

    public mutating func get(_ pattern: String, _ handler: @escaping Handler) { add("GET", pattern, handler) }
    public mutating func post(_ pattern: String, body: BodySize = .small, _ handler: @escaping Handler) {
        add("POST", pattern, body: body, handler)
    }
    public mutating func patch(_ pattern: String, _ handler: @escaping Handler) { add("PATCH", pattern, handler) }
    public mutating func put(_ pattern: String, _ handler: @escaping Handler) { add("PUT", pattern, handler) }
    public mutating func delete(_ pattern: String, _ handler: @escaping Handler) { add("DELETE", pattern, handler) }

    public enum Match {
        case found(Handler, parameters: [String: String], body: BodySize)
        case methodNotAllowed(allowed: [String])
        case notFound

        /// The body size the matched route takes; `small` when none matches (the answer is
        /// then a 404 or 405, whatever the body).
        public var bodySize: BodySize {
            if case .found(_, _, let body) = self { return body }
            return .small
        }
    }

    /// Finds the route for a method and path. `HEAD` is served by `GET` routes.
    public func match(method: String, path: String) -> Match {
        let parts = path.split(separator: "/").map(String.init)
        var allowed: [String] = []
        for route in routes {
            guard let parameters = Router.bind(route.segments, to: parts) else { continue }
            if route.method == method || (method == "HEAD" && route.method == "GET") {
                return .found(route.handler, parameters: parameters, body: route.body)
            }
            allowed.append(route.method)
        }
        return allowed.isEmpty ? .notFound : .methodNotAllowed(allowed: allowed)
    }

    /// The body size of the route a request would reach (`Match.bodySize`).
    public func bodySize(method: String, path: String) -> BodySize {
        match(method: method, path: path).bodySize
    }

    static func bind(_ segments: [Segment], to parts: [String]) -> [String: String]? {
        guard segments.count == parts.count else { return nil }
        var parameters: [String: String] = [:]
        for (segment, part) in zip(segments, parts) {
            switch segment {
            case .literal(let literal): if literal.lowercased() != part.lowercased() { return nil }
            case .parameter(let name): parameters[name] = part
            }
        }
        return parameters
    }
}
