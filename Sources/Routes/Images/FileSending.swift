import Foundation

/// How the front end sends a stored image once the worker has checked who asks. Either
/// way the bytes never pass through the worker: it answers with one header, which the
/// front end consumes and replaces with the file.
public enum FileSending: String, Codable, Sendable, CaseIterable {
    /// nginx: `X-Accel-Redirect: /_images/ab/abcdef...`, a URL of the `internal` location
    /// in deploy/nginx.conf.
    case accelRedirect = "x-accel-redirect"
    /// Apache with mod_xsendfile: `X-Sendfile: <dataDirectory>/images/ab/abcdef...`, the
    /// file's path on disk, inside the `XSendFilePath` of deploy/apache.conf.
    case sendfile = "x-sendfile"

    /// The name of the header that hands a response's body over to the front end.
    public var headerName: String {
        switch self {
        case .accelRedirect: return "X-Accel-Redirect"
        case .sendfile: return "X-Sendfile"
        }
    }

    /// Every such header name, whichever way this worker is configured.
    public static let headerNames = allCases.map(\.headerName)

    /// The header that has the front end send the image stored under `relativePath`
    /// (`ab/abcdef...`) of `store`.
    public func header(for relativePath: String, in store: ImageStore) -> (name: String, value: String) {
        switch self {
        case .accelRedirect: return (headerName, "/_images/" + relativePath)
        case .sendfile: return (headerName, store.root.appendingPathComponent(relativePath).path)
        }
    }
}
