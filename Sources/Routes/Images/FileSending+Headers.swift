import Foundation
import Marketplace

extension FileSending {
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
