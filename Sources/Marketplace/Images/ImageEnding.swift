/// Whether an image's bytes run as far as its format says they do, so that a file cut short
/// (an upload broken off, half a copy) is refused instead of becoming a task that nobody can
/// see. Only the structure is walked, nothing is decoded:
/// - PNG: its chunks, to the IEND chunk;
/// - JPEG: its segments, to the first scan, and then an end-of-image marker after it (inside
///   a scan 0xFF is always followed by 0x00 or a restart marker, so 0xFF 0xD9 there is the end);
/// - WebP: the RIFF container, as long as its header says.
/// Bytes after the end are allowed (some cameras append their own data).
public enum ImageEnding {
    public static func isComplete(_ bytes: [UInt8], as format: ImageHeader.Format) -> Bool {
        switch format {
        case .png: return pngIsComplete(bytes)
        case .jpeg: return jpegIsComplete(bytes)
        case .webp: return webpIsComplete(bytes)
        }
    }

    /// Each chunk: a 4-byte length, a 4-byte type, the data, a 4-byte CRC.
    private static func pngIsComplete(_ bytes: [UInt8]) -> Bool {
        var offset = 8
        while offset + 12 <= bytes.count {
            let length = ImageHeader.bigEndian(bytes, offset, 4)
            let end = offset + 12 + length
            guard end <= bytes.count else { return false }
            if Array(bytes[offset + 4..<offset + 8]) == Array("IEND".utf8) { return true }
            offset = end
        }
        return false
    }

    private static func jpegIsComplete(_ bytes: [UInt8]) -> Bool {
        var offset = 2
        while offset + 4 <= bytes.count {
            guard bytes[offset] == 0xFF else { return false }
            let marker = bytes[offset + 1]
            if marker == 0xFF {
                offset += 1
                continue
            }
            if marker == 0x01 || (0xD0...0xD8).contains(marker) {
                offset += 2
                continue
            }
            guard marker != 0xD9 else { return false }
            let segmentEnd = offset + 2 + ImageHeader.bigEndian(bytes, offset + 2, 2)
            guard segmentEnd <= bytes.count else { return false }
            if marker == 0xDA {
                var index = bytes.count - 2
                while index >= segmentEnd {
                    if bytes[index] == 0xFF, bytes[index + 1] == 0xD9 { return true }
                    index -= 1
                }
                return false
            }
            offset = segmentEnd
        }
        return false
    }

    /// `RIFF`, the little-endian size of what follows it, `WEBP` and the chunks.
    private static func webpIsComplete(_ bytes: [UInt8]) -> Bool {
        guard bytes.count >= 12 else { return false }
        let size = ImageHeader.littleEndian(bytes, 4, 4)
        return 8 + size <= bytes.count
    }
}
