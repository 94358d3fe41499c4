import Foundation
import Marketplace

/// The body of a streamed export: collects small pieces (a JSON element, a zip header) and
/// hands them to the response's `write` in pieces of about 64 KiB; large pieces (an image)
/// go through at once. `count` is every byte accepted so far.
final class ExportSink {
    typealias Write = (ArraySlice<UInt8>) throws -> Void

    private let write: Write
    private let capacity: Int
    private var buffer: [UInt8] = []
    private(set) var count: UInt64 = 0

    init(capacity: Int = 64 * 1024, _ write: @escaping Write) {
        self.write = write
        self.capacity = capacity
        buffer.reserveCapacity(capacity)
    }

    func append<Bytes: Collection>(_ bytes: Bytes) throws where Bytes.Element == UInt8 {
        count += UInt64(bytes.count)
        if buffer.count + bytes.count <= capacity {
            buffer.append(contentsOf: bytes)
            if buffer.count == capacity { try flush() }
            return
        }
        try flush()
        if bytes.count >= capacity {
            try write(ArraySlice(bytes))
        } else {
            buffer.append(contentsOf: bytes)
        }
    }

    func append(_ text: String) throws {
        try append(text.utf8)
    }

    /// Hands over whatever is buffered.
    func flush() throws {
        guard !buffer.isEmpty else { return }
        try write(buffer[...])
        buffer.removeAll(keepingCapacity: true)
    }
}

/// An append-only temporary file (a zip's central directory, a list of names) that keeps
/// what would otherwise grow in memory with the size of a job. Removed by `remove()`.
final class SpoolFile {
    let url: URL
    private let handle: FileHandle
    private var buffer: [UInt8] = []
    private(set) var size: UInt64 = 0
    private var removed = false

    init(directory: URL, prefix: String) throws {
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        url = directory.appendingPathComponent("\(prefix)-\(SessionToken.generate().prefix(16))")
        guard FileManager.default.createFile(atPath: url.path, contents: nil, attributes: [.posixPermissions: 0o600]) else {
            throw CocoaError(.fileWriteUnknown, userInfo: [NSFilePathErrorKey: url.path])
        }
        handle = try FileHandle(forUpdating: url)
    }

    deinit {
        remove()
    }

    func append<Bytes: Collection>(_ bytes: Bytes) throws where Bytes.Element == UInt8 {
        buffer.append(contentsOf: bytes)
        size += UInt64(bytes.count)
        if buffer.count >= 64 * 1024 { try flushBuffer() }
    }

    /// Reads the whole file back from its start, `chunkSize` bytes at a time.
    func readBack(chunkSize: Int = 64 * 1024, _ body: ([UInt8]) throws -> Void) throws {
        try flushBuffer()
        try handle.seek(toOffset: 0)
        while let chunk = try handle.read(upToCount: chunkSize), !chunk.isEmpty {
            try body(Array(chunk))
        }
        try handle.seekToEnd()
    }

    /// Closes and deletes the file; safe to call more than once.
    func remove() {
        guard !removed else { return }
        removed = true
        try? handle.close()
        try? FileManager.default.removeItem(at: url)
    }

    private func flushBuffer() throws {
        guard !buffer.isEmpty else { return }
        try handle.write(contentsOf: Data(buffer))
        buffer.removeAll(keepingCapacity: true)
    }
}
