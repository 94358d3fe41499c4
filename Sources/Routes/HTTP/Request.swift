import Foundation

/// An HTTP request as the web server hands it over (through FastCGI's CGI variables).
public struct Request: Sendable {
    public var method: String
    /// The path without the query string, percent-decoded.
    public var path: String
    /// Query parameters, percent-decoded (`+` is a space); the last one wins on repeats.
    public var query: [String: String]
    /// Header names in lower case.
    public var headers: [String: String]
    public var body: [UInt8]
    /// The client's address as nginx saw it.
    public var remoteAddress: String
    /// The id nginx gave this request (`$request_id`), for the logs.
    public var requestID: String

    public init(
        method: String, path: String, query: [String: String] = [:], headers: [String: String] = [:],
        body: [UInt8] = [], remoteAddress: String = "", requestID: String = ""
    ) {
        self.method = method.uppercased()
        self.path = path
        self.query = query
        self.headers = headers
        self.body = body
        self.remoteAddress = remoteAddress
        self.requestID = requestID
    }

    /// Builds a request from CGI variables (`REQUEST_METHOD`, `REQUEST_URI`, `HTTP_*`...).
    public init(cgi parameters: [String: String], body: [UInt8]) {
        var headers: [String: String] = [:]
        for (name, value) in parameters where name.hasPrefix("HTTP_") {
            headers[Request.headerName(cgi: name.utf8.dropFirst(5))] = value
        }
        if let type = parameters["CONTENT_TYPE"], !type.isEmpty { headers["content-type"] = type }
        if let length = parameters["CONTENT_LENGTH"], !length.isEmpty { headers["content-length"] = length }
        let uri = parameters["REQUEST_URI"] ?? parameters["SCRIPT_NAME"] ?? "/"
        let rawPath = uri.split(separator: "?", maxSplits: 1, omittingEmptySubsequences: false).first.map(String.init) ?? "/"
        self.init(
            method: parameters["REQUEST_METHOD"] ?? "GET",
            path: URLEncoding.decode(rawPath, plusIsSpace: false) ?? rawPath,
            query: URLEncoding.decodeQuery(parameters["QUERY_STRING"] ?? ""),
            headers: headers, body: body,
            remoteAddress: parameters["REMOTE_ADDR"] ?? "",
            requestID: headers["x-request-id"] ?? "")
    }

    /// `USER_AGENT` -> `user-agent`: the CGI form of a header name back in HTTP's form.
    static func headerName(cgi name: Substring.UTF8View) -> String {
        String(
            decoding: name.map { byte -> UInt8 in
                switch byte {
                case UInt8(ascii: "_"): return UInt8(ascii: "-")
                case UInt8(ascii: "A")...UInt8(ascii: "Z"): return byte + 32
                default: return byte
                }
            }, as: UTF8.self)
    }

    /// The media type of the body, lower case, without parameters.
    public var contentType: String {
        (headers["content-type"] ?? "").split(separator: ";").first.map {
            $0.trimmingCharacters(in: .whitespaces).lowercased()
        } ?? ""
    }

    /// The value of one cookie.
    public func cookie(_ name: String) -> String? {
        for pair in (headers["cookie"] ?? "").split(separator: ";") {
            let parts = pair.split(separator: "=", maxSplits: 1)
            if parts.count == 2, parts[0].trimmingCharacters(in: .whitespaces) == name {
                return parts[1].trimmingCharacters(in: .whitespaces)
            }
        }
        return nil
    }
}

/// Percent-decoding of URL paths and `application/x-www-form-urlencoded` query strings.
public enum URLEncoding {
    /// Decodes `%XX` escapes (and `+` as a space when asked); nil for a broken escape or
    /// bytes that are not UTF-8.
    public static func decode(_ text: String, plusIsSpace: Bool) -> String? {
        var bytes: [UInt8] = []
        bytes.reserveCapacity(text.utf8.count)
        var iterator = Array(text.utf8).makeIterator()
        while let byte = iterator.next() {
            switch byte {
            case UInt8(ascii: "%"):
                guard let high = iterator.next().flatMap(hexValue), let low = iterator.next().flatMap(hexValue) else {
                    return nil
                }
                bytes.append(high << 4 | low)
            case UInt8(ascii: "+") where plusIsSpace:
                bytes.append(UInt8(ascii: " "))
            default:
                bytes.append(byte)
            }
        }
        return String(validating: bytes, as: UTF8.self)
    }

    /// Splits `a=1&b=two%20words` into a dictionary; pairs that do not decode are dropped.
    public static func decodeQuery(_ query: String) -> [String: String] {
        var result: [String: String] = [:]
        for pair in query.split(separator: "&") {
            let parts = pair.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
            guard let name = decode(String(parts[0]), plusIsSpace: true), !name.isEmpty else { continue }
            let value = parts.count > 1 ? decode(String(parts[1]), plusIsSpace: true) : ""
            if let value { result[name] = value }
        }
        return result
    }

    private static func hexValue(_ byte: UInt8) -> UInt8? {
        switch byte {
        case UInt8(ascii: "0")...UInt8(ascii: "9"): return byte - UInt8(ascii: "0")
        case UInt8(ascii: "a")...UInt8(ascii: "f"): return byte - UInt8(ascii: "a") + 10
        case UInt8(ascii: "A")...UInt8(ascii: "F"): return byte - UInt8(ascii: "A") + 10
        default: return nil
        }
    }
}
