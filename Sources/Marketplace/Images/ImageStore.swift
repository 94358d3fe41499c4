import Foundation

/// Image files stored by content: `<root>/ab/abcdef...` where `abcdef...` is the SHA-256
/// of the bytes in hex. The same bytes are stored once, whatever their name or job.
public struct ImageStore: Sendable {
    public let root: URL

    public init(root: URL) { self.root = root }

    /// The path under the root (`ab/abcdef...`), also the tail of the internal nginx URL.
    public static func relativePath(sha256: [UInt8]) -> String {
        let hex = SessionToken.hex(sha256)
        return "\(hex.prefix(2))/\(hex)"
    }

    /// Writes the bytes unless a file with that digest is there already. Written to a
    /// temporary name and renamed, so that a reader never sees half a file.
    public func store(_ bytes: [UInt8], sha256: [UInt8]) throws {
        let target = root.appendingPathComponent(ImageStore.relativePath(sha256: sha256))
        if FileManager.default.fileExists(atPath: target.path) { return }
        try FileManager.default.createDirectory(at: target.deletingLastPathComponent(), withIntermediateDirectories: true)
        let temporary = target.deletingLastPathComponent()
            .appendingPathComponent(".tmp-\(SessionToken.generate().prefix(16))")
        try Data(bytes).write(to: temporary)
        if rename(temporary.path, target.path) != 0 {
            try? FileManager.default.removeItem(at: temporary)
            throw CocoaError(.fileWriteUnknown)
        }
    }

    public func read(sha256: [UInt8]) throws -> [UInt8] {
        Array(try Data(contentsOf: root.appendingPathComponent(ImageStore.relativePath(sha256: sha256))))
    }

    public func remove(sha256: [UInt8]) {
        try? FileManager.default.removeItem(at: root.appendingPathComponent(ImageStore.relativePath(sha256: sha256)))
    }
}
