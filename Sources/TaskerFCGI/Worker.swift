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
    private var store: Store?

    init(number: Int, socket: Int32, application: Application, inFlight: InFlight, logger: Logger) {
        self.number = number
        self.socket = socket
        self.application = application
        self.inFlight = inFlight
        var logger = logger
        logger[metadataKey: "worker"] = "\(number)"
        self.logger = logger
    }

    /// The accept loop. Returns when the server is stopping or the socket is shut down.
    func run() {
        Connection.threadStart()
        defer { Connection.threadEnd() }
        var request = FCGX_Request()
        guard FCGX_InitRequest(&request, socket, 0) == 0 else {
            logger.critical("FCGX_InitRequest failed")
            return
        }
        while !inFlight.isStopping && FCGX_Accept_r(&request) >= 0 {
            inFlight.begin()
            serve(&request)
            FCGX_Finish_r(&request)
            inFlight.end()
        }
        FCGX_Free(&request, 1)
    }

    private func serve(_ fcgi: inout FCGX_Request) {
        let parameters = Worker.parameters(fcgi.envp)
        var request = Request(cgi: parameters, body: [])
        let limit = application.bodyLimit(for: request)
        // nginx always declares the length; Apache passes a chunked body on as it comes,
        // without one: then the body is read to its end, up to one byte over the limit.
        let declaredLength = Int(parameters["CONTENT_LENGTH"] ?? "")
        let response: Response
        if declaredLength ?? 0 > limit {
            response = APIError.tooLarge.response
        } else {
            request.body = Worker.readBody(fcgi.in, atMost: declaredLength ?? limit + 1)
            if request.body.count > limit {
                response = APIError.tooLarge.response
            } else if let store = connectedStore() {
                response = application.respond(to: request, store: store, logger: logger)
            } else {
                response = APIError.databaseUnavailable.response
            }
        }
        let isHead = parameters["REQUEST_METHOD"] == "HEAD"
        let out = fcgi.out
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
                logger.error("streamed response failed", metadata: ["error": "\(error)", "path": "\(parameters["REQUEST_URI"] ?? "")"])
                shutdown(fcgi.ipcFd, Int32(SHUT_RDWR))
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
        if let store { return store }
        do {
            let connection = try Connection(options: application.services.config.database)
            store = Store(connection)
            return store
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
                let name = String(decoding: UnsafeRawBufferPointer(start: entry, count: entry.distance(to: equals)),
                                  as: UTF8.self)
                result[name] = String(cString: equals + 1)
            }
            pointer += 1
        }
        return result
    }

    /// Reads the request body until its end or `atMost` bytes, whichever comes first.
    static func readBody(_ stream: UnsafeMutablePointer<FCGX_Stream>?, atMost: Int) -> [UInt8] {
        guard atMost > 0, let stream else { return [] }
        var body: [UInt8] = []
        body.reserveCapacity(min(atMost, 1 << 20))
        var piece = [UInt8](repeating: 0, count: min(atMost, 64 * 1024))
        while body.count < atMost {
            let wanted = Int32(min(piece.count, atMost - body.count))
            let read = piece.withUnsafeMutableBytes { buffer in
                FCGX_GetStr(buffer.baseAddress!.assumingMemoryBound(to: CChar.self), wanted, stream)
            }
            if read <= 0 { break }
            body += piece[0..<Int(read)]
        }
        return body
    }
}
