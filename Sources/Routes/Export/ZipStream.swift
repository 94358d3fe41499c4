import Foundation
import ZIPFoundation

/// A zip archive written strictly front to back into an `ExportSink`, so that a download
/// of any size starts at once and the worker's memory stays flat: each entry's local
/// header and data go out as soon as the entry is added; the central directory is kept
/// in a temporary file and sent at the end (with ZIP64 records when the archive needs
/// them: more than 65,534 entries or more than 4 GiB).
///
/// Why not `ZIPFoundation.Archive` itself: `Archive.addEntry` (0.9.20,
/// Archive+Writing.swift) seeks back to rewrite each local header and then reads the
/// whole central directory into memory and writes it out again after every entry. The
/// bytes before the central directory could be streamed from a growing temporary file,
/// but the cost is quadratic in the number of entries: 16,000 entries took 2.8 s, 32,000
/// 11 s and 64,000 54 s here, and a YOLO export of 100,000 images has 200,000 entries.
/// ZIPFoundation still does the deflate and the CRC-32 (`Data.compress`, `Data.crc32`);
/// this type only lays out the records of the format (PKWARE APPNOTE 4.3, 4.5.3, 4.3.14).
final class ZipStream {
    private let sink: ExportSink
    private let start: UInt64
    private let directory: SpoolFile
    private let time: UInt16
    private let date: UInt16
    private(set) var entryCount: UInt64 = 0
    private var finished = false

    /// The archive starts at the sink's current position; the central directory is spooled
    /// under `temporaryDirectory`. Every entry gets `modified` as its date.
    init(sink: ExportSink, temporaryDirectory: URL, modified: Date) throws {
        self.sink = sink
        start = sink.count
        directory = try SpoolFile(directory: temporaryDirectory, prefix: "export-zipdir")
        (time, date) = ZipStream.dosDateTime(modified)
    }

    deinit {
        directory.remove()
    }

    /// Adds a file. Use `.none` for data that is already compressed (images), `.deflate`
    /// for text.
    func add(_ path: String, _ contents: [UInt8], method: CompressionMethod) throws {
        precondition(!finished, "the archive is finished")
        let name = Array(path.utf8)
        guard name.count <= Int(UInt16.max) else { throw ZipStreamError.nameTooLong }
        guard UInt64(contents.count) < ZipStream.max32 else { throw ZipStreamError.entryTooLarge }

        let checksum: CRC32
        let data: [UInt8]
        switch method {
        case .deflate:
            var compressed: [UInt8] = []
            compressed.reserveCapacity(contents.count / 2 + 64)
            checksum = try Data.compress(
                size: Int64(contents.count), bufferSize: 64 * 1024,
                provider: { position, size in
                    Data(contents[Int(position)..<Int(position) + size])
                }, consumer: { compressed.append(contentsOf: $0) })
            data = compressed
        default:
            checksum = ZipStream.crc32(contents)
            data = contents
        }
        guard UInt64(data.count) < ZipStream.max32 else { throw ZipStreamError.entryTooLarge }
        let offset = sink.count - start
        let flags: UInt16 = 0x0800  // names are UTF-8

        var local: [UInt8] = []
        local.reserveCapacity(30 + name.count)
        local.appendLittleEndian(UInt32(0x0403_4b50))
        local.appendLittleEndian(UInt16(20))  // version needed: 2.0
        local.appendLittleEndian(flags)
        local.appendLittleEndian(UInt16(method.rawValue))
        local.appendLittleEndian(time)
        local.appendLittleEndian(date)
        local.appendLittleEndian(checksum)
        local.appendLittleEndian(UInt32(data.count))
        local.appendLittleEndian(UInt32(contents.count))
        local.appendLittleEndian(UInt16(name.count))
        local.appendLittleEndian(UInt16(0))  // no extra field
        local.append(contentsOf: name)
        try sink.append(local)
        try sink.append(data)

        // The central directory record: a ZIP64 extra field carries the offset once it no
        // longer fits in 32 bits (the sizes always do: see the guards above).
        let needsZip64 = offset >= ZipStream.max32
        var central: [UInt8] = []
        central.reserveCapacity(46 + name.count + 12)
        central.appendLittleEndian(UInt32(0x0201_4b50))
        central.appendLittleEndian(ZipStream.versionMadeBy)
        central.appendLittleEndian(UInt16(needsZip64 ? 45 : 20))
        central.appendLittleEndian(flags)
        central.appendLittleEndian(UInt16(method.rawValue))
        central.appendLittleEndian(time)
        central.appendLittleEndian(date)
        central.appendLittleEndian(checksum)
        central.appendLittleEndian(UInt32(data.count))
        central.appendLittleEndian(UInt32(contents.count))
        central.appendLittleEndian(UInt16(name.count))
        central.appendLittleEndian(UInt16(needsZip64 ? 12 : 0))
        central.appendLittleEndian(UInt16(0))  // no comment
        central.appendLittleEndian(UInt16(0))  // disk number
        central.appendLittleEndian(UInt16(0))  // internal attributes
        central.appendLittleEndian(UInt32(0o100644) << 16)  // a regular file, rw-r--r--
        central.appendLittleEndian(needsZip64 ? UInt32.max : UInt32(offset))
        central.append(contentsOf: name)
        if needsZip64 {
            central.appendLittleEndian(UInt16(0x0001))
            central.appendLittleEndian(UInt16(8))
            central.appendLittleEndian(offset)
        }
        try directory.append(central)
        entryCount += 1
    }

    /// Writes the central directory and the end records. The archive is complete after this.
    func finish() throws {
        precondition(!finished, "the archive is finished")
        finished = true
        let directoryOffset = sink.count - start
        try directory.readBack { try sink.append($0) }
        let directorySize = directory.size
        directory.remove()

        let needsZip64 =
            entryCount >= UInt64(UInt16.max) || directoryOffset >= ZipStream.max32
            || directorySize >= ZipStream.max32
        var end: [UInt8] = []
        if needsZip64 {
            let recordOffset = sink.count - start
            end.appendLittleEndian(UInt32(0x0606_4b50))  // ZIP64 end of central directory record
            end.appendLittleEndian(UInt64(44))  // size of the rest of the record
            end.appendLittleEndian(ZipStream.versionMadeBy)
            end.appendLittleEndian(UInt16(45))
            end.appendLittleEndian(UInt32(0))  // this disk
            end.appendLittleEndian(UInt32(0))  // disk with the central directory
            end.appendLittleEndian(entryCount)
            end.appendLittleEndian(entryCount)
            end.appendLittleEndian(directorySize)
            end.appendLittleEndian(directoryOffset)
            end.appendLittleEndian(UInt32(0x0706_4b50))  // ZIP64 end of central directory locator
            end.appendLittleEndian(UInt32(0))
            end.appendLittleEndian(recordOffset)
            end.appendLittleEndian(UInt32(1))  // total number of disks
        }
        let entries16 = UInt16(clamping: min(entryCount, UInt64(UInt16.max)))
        end.appendLittleEndian(UInt32(0x0605_4b50))  // end of central directory record
        end.appendLittleEndian(UInt16(0))
        end.appendLittleEndian(UInt16(0))
        end.appendLittleEndian(entries16)
        end.appendLittleEndian(entries16)
        end.appendLittleEndian(UInt32(clamping: min(directorySize, ZipStream.max32)))
        end.appendLittleEndian(UInt32(clamping: min(directoryOffset, ZipStream.max32)))
        end.appendLittleEndian(UInt16(0))  // no comment
        try sink.append(end)
    }

    /// Deletes the spooled central directory (after `finish`, or when the export fails).
    func discard() {
        directory.remove()
    }

    // MARK: Helpers

    /// 0xFFFFFFFF: in a 32-bit field it means "see the ZIP64 record".
    private static let max32 = UInt64(UInt32.max)
    /// Unix (3) in the high byte, specification 4.5 in the low byte.
    private static let versionMadeBy = UInt16(3 << 8 | 45)

    static func crc32(_ bytes: [UInt8]) -> CRC32 {
        bytes.withUnsafeBytes { raw -> CRC32 in
            guard let base = raw.baseAddress, raw.count > 0 else { return 0 }
            // No copy: the Data only borrows the array's storage for this call.
            return Data(bytesNoCopy: UnsafeMutableRawPointer(mutating: base), count: raw.count, deallocator: .none)
                .crc32(checksum: 0)
        }
    }

    static let utcCalendar: Calendar = {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = TimeZone(identifier: "UTC")!
        return calendar
    }()

    /// MS-DOS time and date (2-second resolution, years 1980-2107), taken in UTC.
    static func dosDateTime(_ moment: Date) -> (time: UInt16, date: UInt16) {
        let parts = utcCalendar.dateComponents([.year, .month, .day, .hour, .minute, .second], from: moment)
        let year = min(max(parts.year ?? 1980, 1980), 2107)
        let time = (parts.hour ?? 0) << 11 | (parts.minute ?? 0) << 5 | (parts.second ?? 0) / 2
        let date = (year - 1980) << 9 | (parts.month ?? 1) << 5 | (parts.day ?? 1)
        return (UInt16(time), UInt16(date))
    }
}

enum ZipStreamError: Error {
    case nameTooLong
    /// One file of 4 GiB or more (images are at most the upload limit).
    case entryTooLarge
}

extension Array where Element == UInt8 {
    fileprivate mutating func appendLittleEndian<Value: FixedWidthInteger>(_ value: Value) {
        Swift.withUnsafeBytes(of: value.littleEndian) { append(contentsOf: $0) }
    }
}
