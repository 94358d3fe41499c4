import Foundation
import Marketplace

/// An HTTP response: status, headers, and a body that is either whole (`body`) or
/// written piece by piece after the headers (`stream`, for large downloads).
public struct Response {
    public var status: Int
    public var headers: [(name: String, value: String)]
    public var body: [UInt8]
    /// When set, the body is produced by this function, which hands each piece to
    /// `write` as it is ready; `body` is ignored. Used by exports so that memory stays
    /// flat and the download starts at once.
    public var stream: BodyStream?

    public typealias BodyStream = (_ write: (ArraySlice<UInt8>) throws -> Void) throws -> Void

    public init(status: Int = 200, headers: [(name: String, value: String)] = [], body: [UInt8] = []) {
        self.status = status
        self.headers = headers
        self.body = body
    }

    public func header(_ name: String) -> String? {
        headers.first { $0.name.lowercased() == name.lowercased() }?.value
    }

    public mutating func setHeader(_ name: String, _ value: String) {
        headers.removeAll { $0.name.lowercased() == name.lowercased() }
        headers.append((name, value))
    }

    public mutating func addHeader(_ name: String, _ value: String) {
        headers.append((name, value))
    }

    /// A JSON body from an Encodable value.
    public static func json<T: Encodable>(_ value: T, status: Int = 200) throws -> Response {
        Response(
            status: status, headers: [("Content-Type", "application/json; charset=utf-8")],
            body: Array(try JSONCoding.encoder.encode(value)))
    }

    public static func text(_ text: String, status: Int = 200, contentType: String = "text/plain; charset=utf-8") -> Response {
        Response(status: status, headers: [("Content-Type", contentType)], body: Array(text.utf8))
    }

    public static var noContent: Response { Response(status: 204) }

    /// A streamed body with the given type; `Content-Disposition: attachment` when a
    /// file name is given.
    public static func streamed(contentType: String, filename: String? = nil, _ stream: @escaping BodyStream) -> Response {
        var response = Response(status: 200, headers: [("Content-Type", contentType)])
        if let filename {
            let safe = filename.filter { $0.isLetter || $0.isNumber || "._-".contains($0) }
            response.addHeader("Content-Disposition", "attachment; filename=\"\(safe)\"")
        }
        response.stream = stream
        return response
    }

    /// The whole body, running the stream if there is one (for tests and small bodies).
    public func collectedBody() throws -> [UInt8] {
        guard let stream else { return body }
        var collected: [UInt8] = []
        try stream { collected += $0 }
        return collected
    }

    /// Lets the front end send a file itself (see `FileSending`): the bytes never pass
    /// through the worker. Its files are stored by content and never change, so the
    /// browser may keep them for a day (only for the user who asked: `private`).
    public static func sentByFrontEnd(_ header: (name: String, value: String), contentType: String) -> Response {
        Response(status: 200, headers: [header, ("Content-Type", contentType), ("Cache-Control", "private, max-age=86400")])
    }

    /// Whether the front end replaces this response's body with a file (no Content-Length
    /// of its own, then).
    public var isSentByFrontEnd: Bool {
        FileSending.headerNames.contains { header($0) != nil }
    }

    /// The reason phrase of the status, for the CGI `Status:` line.
    public var reasonPhrase: String {
        switch status {
        case 200: return "OK"
        case 201: return "Created"
        case 204: return "No Content"
        case 301: return "Moved Permanently"
        case 302: return "Found"
        case 304: return "Not Modified"
        case 400: return "Bad Request"
        case 401: return "Unauthorized"
        case 403: return "Forbidden"
        case 404: return "Not Found"
        case 405: return "Method Not Allowed"
        case 409: return "Conflict"
        case 413: return "Content Too Large"
        case 415: return "Unsupported Media Type"
        case 422: return "Unprocessable Content"
        case 429: return "Too Many Requests"
        case 500: return "Internal Server Error"
        case 503: return "Service Unavailable"
        default: return "Status"
        }
    }
}

/// The one JSON encoder and decoder of the API: camelCase keys, ISO 8601 dates.
public enum JSONCoding {
    public static let encoder: JSONEncoder = {
        let encoder = JSONEncoder()
        encoder.dateEncodingStrategy = .iso8601
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        return encoder
    }()

    public static let decoder: JSONDecoder = {
        let decoder = JSONDecoder()
        decoder.dateDecodingStrategy = .iso8601
        return decoder
    }()
}
