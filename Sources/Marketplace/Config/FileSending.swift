/// How the front end sends a stored image once the worker has checked who asks. Either
/// way the bytes never pass through the worker: it answers with one header, which the
/// front end consumes and replaces with the file. A setting (`ServerConfig.fileSending`);
/// the headers themselves are the HTTP layer's (Routes, `FileSending+Headers.swift`).
public enum FileSending: String, Codable, Sendable, CaseIterable {
    /// nginx: `X-Accel-Redirect: /_images/ab/abcdef...`, a URL of the `internal` location
    /// in deploy/nginx.conf.
    case accelRedirect = "x-accel-redirect"
    /// Apache with mod_xsendfile: `X-Sendfile: <dataDirectory>/images/ab/abcdef...`, the
    /// file's path on disk, inside the `XSendFilePath` of deploy/apache.conf.
    case sendfile = "x-sendfile"
}
