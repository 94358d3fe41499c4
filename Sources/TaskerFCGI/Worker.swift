import CFastCGI
import Foundation
import Logging
import MariaStore
import Routes

/// One worker thread: its own FastCGI request and its own MariaDB connection, answering
/// requests one after the other until shutdown.
final class Worker {
    private let number: Int
    private let socket: Int32
    private let application: Application
    private let logger: Logger
    private let inFlight: InFlight
    private var store: ThreadStore

    init(number: Int, socket: Int32, application: Application, inFlight: InFlight, logger: Logger) {
        self.number = number
        self.socket = socket
        self.application = application
        self.inFlight = inFlight
        store = ThreadStore(options: application.services.config.database)
        var logger = logger
        logger[metadataKey: "worker"] = "\(number)"
        self.logger = logger
    }

    /// The accept loop. Returns when the server is stopping or the socket is shut down.
    ///
    /// The FastCGI request lives on the heap for the whole loop: libfcgi keeps pointers to
    /// it (its streams point back at the request) from one call to the next, which the
    /// address of a Swift local, valid only during each call, would not allow.
    func run() {
        Connection.threadStart()
        defer { Connection.threadEnd() }
        let request = UnsafeMutablePointer<FCGX_Request>.allocate(capacity: 1)
        request.initialize(to: FCGX_Request())
        defer {
            request.deinitialize(count: 1)
            request.deallocate()
        }
        guard FCGX_InitRequest(request, socket, 0) == 0 else {
            logger.critical("FCGX_InitRequest failed")
            return
        }
        while !inFlight.isStopping && FCGX_Accept_r(request) >= 0 {
            inFlight.begin()
            serve(request)
            FCGX_Finish_r(request)
            inFlight.end()
        }
        FCGX_Free(request, 1)
    }

    private func serve(_ fcgi: UnsafeMutablePointer<FCGX_Request>) {
        let parameters = Worker.parameters(fcgi.pointee.envp)
        var request = Request(cgi: parameters, body: [])
        let route = application.route(request)
        let limit = application.bodyLimit(for: route, of: request)
        // nginx always declares the length of a body; Apache passes a chunked body of more
        // than 16 KiB on as it comes, with Transfer-Encoding and without a length. Without
        // either header there is no body (RFC 9112, 6.3).
        let declaredLength =
            Int(parameters["CONTENT_LENGTH"] ?? "")
            ?? (parameters["HTTP_TRANSFER_ENCODING"] == nil ? 0 : nil)
        let response: Response
        if let length = declaredLength, length < 0 {
            response = APIError.badRequest("The Content-Length is not a length.").response
        } else if declaredLength ?? 0 > limit {
            response = APIError.tooLarge.response
        } else if let body = Worker.readBody(fcgi.pointee.in, declaredLength: declaredLength, limit: limit) {
            request.body = body
            if body.count > limit {
                response = APIError.tooLarge.response
            } else if let store = connectedStore() {
                response = application.respond(to: request, routedTo: route, store: store, logger: logger)
            } else {
                response = APIError.databaseUnavailable.response
            }
        } else {
            logger.warning("request body cut short", metadata: ["path": "\(request.path.prefix(200))"])
            response = APIError.badRequest("The request body was cut short.", code: "incomplete_body").response
        }
        let isHead = parameters["REQUEST_METHOD"] == "HEAD"
        let out = fcgi.pointee.out
        Worker.write(CGIResponse.bytes(response, includeBody: !isHead)[...], to: out)
        if let stream = response.stream, !isHead {
            do {
                try stream { piece in
                    guard Worker.write(piece, to: out) else { throw CocoaError(.fileWriteUnknown) }
                }
            } catch {
                // The status line is already sent. Cut the connection instead of ending the
                // request normally, so that nginx and the client see a broken download
                // rather than a short file that looks complete.
                logger.error(
                    "streamed response failed", metadata: ["error": "\(error)", "path": "\(parameters["REQUEST_URI"] ?? "")"])
                shutdown(fcgi.pointee.ipcFd, Int32(SHUT_RDWR))
            }
        }
    }

    /// Writes bytes to the FastCGI output stream; false when the client is gone.
    @discardableResult
    static func write(_ bytes: ArraySlice<UInt8>, to stream: UnsafeMutablePointer<FCGX_Stream>?) -> Bool {
        guard !bytes.isEmpty else { return true }
        return bytes.withUnsafeBufferPointer { buffer in
            buffer.baseAddress!.withMemoryRebound(to: CChar.self, capacity: buffer.count) {
                FCGX_PutStr($0, Int32(buffer.count), stream) == Int32(buffer.count)
            }
        }
    }

    /// This thread's store, connecting when there is none (at start, or after the
    /// database was unreachable). The connection itself reconnects after a restart.
    private func connectedStore() -> Store? {
        do {
            return try store.get()
        } catch {
            logger.error("cannot connect to MariaDB", metadata: ["error": "\(error)"])
            return nil
        }
    }

    /// The CGI variables, copied into Swift strings at once (libfcgi frees them on the
    /// next accept or finish).
    static func parameters(_ environment: FCGX_ParamArray?) -> [String: String] {
        var result: [String: String] = [:]
        guard var pointer = environment else { return result }
        while let entry = pointer.pointee {
            // NAME=value, split at the first "=" byte (strchr), without walking characters.
            if let equals = strchr(entry, Int32(UInt8(ascii: "="))) {
                let name = String(
                    decoding: UnsafeRawBufferPointer(start: entry, count: entry.distance(to: equals)),
                    as: UTF8.self)
                result[name] = String(cString: equals + 1)
            }
            pointer += 1
        }
        return result
    }

    /// The request body: the declared length, or without one everything up to the end of
    /// the stream but at most `limit` + 1 bytes (so that a larger body shows). Nil when the
    /// stream ended before the declared length or broke off (the web server went away
    /// mid-body): a cut-off image must not become a task.
    static func readBody(_ stream: UnsafeMutablePointer<FCGX_Stream>?, declaredLength: Int?, limit: Int) -> [UInt8]? {
        guard let stream, (declaredLength ?? 0) >= 0 else { return declaredLength == 0 ? [] : nil }
        var body = [UInt8](repeating: 0, count: declaredLength ?? min(limit + 1, 64 * 1024))
        var filled = fill(&body, from: 0, stream)
        if declaredLength == nil {
            // Grow by doubling while the stream still has bytes, up to limit + 1.
            while filled == body.count && body.count <= limit {
                body += [UInt8](repeating: 0, count: min(body.count, limit + 1 - body.count))
                filled = fill(&body, from: filled, stream)
            }
            body.removeSubrange(filled...)
        }
        guard filled == body.count, FCGX_GetError(stream) == 0 else { return nil }
        return body
    }

    /// Reads into `buffer` from `start` until it is full or the stream ends; the bytes filled.
    private static func fill(_ buffer: inout [UInt8], from start: Int, _ stream: UnsafeMutablePointer<FCGX_Stream>) -> Int {
        var filled = start
        let size = buffer.count
        while filled < size {
            let read = buffer.withUnsafeMutableBytes { bytes in
                FCGX_GetStr(
                    bytes.baseAddress!.advanced(by: filled).assumingMemoryBound(to: CChar.self),
                    Int32(min(size - filled, Int(Int32.max))), stream)
            }
            if read <= 0 { break }
            filled += Int(read)
        }
        return filled
    }
}
