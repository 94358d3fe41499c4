import Foundation
import Logging
import MariaStore

/// The one error type a client sees: an HTTP status, a stable snake_case code and a
/// sentence, sent as `{"error": {"code": ..., "message": ...}}`.
public struct APIError: Error, Equatable, Sendable {
    public let status: Int
    public let code: String
    public let message: String
    /// Extra headers (`Retry-After`, `Allow`).
    public var headers: [String: String] = [:]

    public init(_ status: Int, _ code: String, _ message: String, headers: [String: String] = [:]) {
        self.status = status
        self.code = code
        self.message = message
        self.headers = headers
    }

    public static func badRequest(_ message: String, code: String = "bad_request") -> APIError { APIError(400, code, message) }
    public static func invalid(_ message: String, code: String = "invalid_value") -> APIError { APIError(422, code, message) }
    public static let unauthenticated = APIError(401, "unauthenticated", "Sign in first.")
    public static func forbidden(_ message: String) -> APIError { APIError(403, "forbidden", message) }
    public static func notFound(_ message: String = "Nothing here.") -> APIError { APIError(404, "not_found", message) }
    public static let tooLarge = APIError(413, "too_large", "The request body is too large.")
    public static let internalError = APIError(500, "internal_error", "Something went wrong on our side; it has been logged.")
    public static let databaseUnavailable = APIError(
        503, "database_unavailable",
        "The database is not reachable right now; try again shortly.",
        headers: ["Retry-After": "5"])

    public var response: Response {
        struct Body: Encodable {
            struct Detail: Encodable {
                let code: String
                let message: String
            }
            let error: Detail
        }
        var response =
            (try? Response.json(Body(error: .init(code: code, message: message)), status: status))
            ?? Response(status: status)
        // Also for the refusals the worker answers before routing (a body too large or cut short).
        response.setHeader("Cache-Control", "no-store")
        for (name, value) in headers.sorted(by: { $0.key < $1.key }) { response.setHeader(name, value) }
        return response
    }
}

extension APIError {
    /// The one place where any error becomes what the client sees. Anything that is not a
    /// known client error is logged in full here and shown only as a 500 (or a 503 when
    /// the database is gone): never SQL, a path or a stack trace.
    public static func from(_ error: Error, logger: Logger) -> APIError {
        switch error {
        case let error as APIError:
            return error
        case let error as MarketError:
            switch error.kind {
            case .unauthenticated: return APIError(401, error.code, error.message)
            case .notFound: return APIError(404, error.code, error.message)
            case .forbidden: return APIError(403, error.code, error.message)
            case .conflict: return APIError(409, error.code, error.message)
            case .invalid: return APIError(422, error.code, error.message)
            case .busy: return APIError(503, error.code, error.message, headers: ["Retry-After": "1"])
            case .tooManyAttempts:
                return APIError(429, error.code, error.message, headers: ["Retry-After": "\(error.retryAfterSeconds ?? 1)"])
            }
        case let error as DatabaseError where error.isConnectionLost || error.code == 2002:
            logger.error("database unavailable", metadata: ["error": "\(error)"])
            return .databaseUnavailable
        case let error as DatabaseError where error.code == 1406:
            // A value longer than its column: the checks before should have caught it.
            logger.warning("value too long for its column", metadata: ["error": "\(error)"])
            return APIError(422, "value_too_long", "A value is longer than allowed.")
        case let error as DatabaseError where error.isRetryableConflict:
            logger.warning("gave up after repeated lock conflicts", metadata: ["error": "\(error)"])
            return APIError(503, "busy", "The server is busy; try again.", headers: ["Retry-After": "1"])
        default:
            logger.error("unexpected error", metadata: ["error": "\(error)"])
            return .internalError
        }
    }
}
