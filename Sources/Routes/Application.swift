import Foundation
import Logging
import MariaStore
import Marketplace

/// The whole API as a function from a request to a response, given this thread's store.
/// Routing, the request log line and the mapping of every error happen here, once.
public struct Application: Sendable {
    public let router: Router
    public let services: Services

    public init(config: ServerConfig, router: Router = RouteTable.router()) {
        self.router = router
        self.services = Services(config: config)
    }

    /// The largest body this request's route takes, in bytes: 1 MiB, or for image uploads
    /// an image of `maxUploadBytes` written in base64 (4/3 of its size; the legacy app's
    /// way), plus 1 MiB for the multipart or form wrapping around it.
    public func bodyLimit(for request: Request) -> Int {
        bodyLimit(for: route(request), of: request)
    }

    /// `bodyLimit(for:)` of the route already found for a request (whose body need not be
    /// read yet: the limit depends on its route and query only).
    public func bodyLimit(for match: Router.Match, of request: Request) -> Int {
        let small = 1024 * 1024
        let upload = (services.config.maxUploadBytes + 2) / 3 * 4 + 1024 * 1024
        switch match.bodySize {
        case .small: return small
        case .upload: return upload
        case .uploadWhen(let name, let values): return values.contains(request.query[name] ?? "") ? upload : small
        }
    }

    /// The route a request reaches. A front end that needs the body limit before it reads
    /// the body finds the route once, here, and hands it to `respond`.
    public func route(_ request: Request) -> Router.Match {
        router.match(method: request.method, path: request.path)
    }

    /// The response to `request`, at the route `match` when the caller has already found it
    /// (`route`), else at the route found here.
    public func respond(
        to request: Request, routedTo match: Router.Match? = nil, store: Store,
        logger baseLogger: Logger
    ) -> Response {
        var logger = baseLogger
        if !request.requestID.isEmpty { logger[metadataKey: "request"] = "\(request.requestID)" }
        let started = DispatchTime.now().uptimeNanoseconds
        var response: Response
        do {
            response = try dispatch(request, to: match ?? route(request), store: store, logger: logger)
        } catch {
            response = APIError.from(error, logger: logger).response
        }
        if response.header("Cache-Control") == nil { response.setHeader("Cache-Control", "no-store") }
        let micros = (DispatchTime.now().uptimeNanoseconds - started) / 1000
        logger.debug("\(request.method) \(request.path) \(response.status) \(micros)us")
        return response
    }

    private func dispatch(_ request: Request, to match: Router.Match, store: Store, logger: Logger) throws -> Response {
        guard request.body.count <= bodyLimit(for: match, of: request) else { throw APIError.tooLarge }
        switch match {
        case .found(let handler, let parameters, _):
            let context = RequestContext(
                request: request, parameters: parameters, store: store,
                services: services, logger: logger)
            return try handler(context)
        case .methodNotAllowed(let allowed):
            throw APIError(
                405, "method_not_allowed", "\(request.method) is not allowed here; use \(allowed.joined(separator: " or ")).",
                headers: ["Allow": allowed.joined(separator: ", ")])
        case .notFound:
            throw APIError.notFound("There is no \(request.path.prefix(200)) in this API.")
        }
    }
}
