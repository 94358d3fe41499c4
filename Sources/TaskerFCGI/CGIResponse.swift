import Routes

/// A response as the bytes a FastCGI application writes: CGI headers (`Status:` first),
/// a blank line, the body. A streamed body is written after these bytes, piece by piece,
/// without a Content-Length (nginx sends it chunked).
enum CGIResponse {
    static func bytes(_ response: Response, includeBody: Bool = true) -> [UInt8] {
        var head = "Status: \(response.status) \(response.reasonPhrase)\r\n"
        for (name, value) in response.headers {
            // A header value never carries a line break into the output.
            // (Filtered by scalar: "\r\n" is one Character in Swift.)
            let clean = String(String.UnicodeScalarView(value.unicodeScalars.filter { $0 != "\r" && $0 != "\n" }))
            head += "\(name): \(clean)\r\n"
        }
        if response.stream == nil, response.header("Content-Length") == nil, !response.isSentByFrontEnd,
            response.status != 204
        {
            head += "Content-Length: \(response.body.count)\r\n"
        }
        head += "\r\n"
        return Array(head.utf8) + (includeBody && response.stream == nil ? response.body : [])
    }
}
