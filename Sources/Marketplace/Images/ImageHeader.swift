/// The type and size of an image, read from its first bytes (never from its name).
/// PNG, JPEG and WebP are recognised; anything else is not an image we accept.
public struct ImageHeader: Equatable, Sendable {
    public enum Format: String, Sendable {
        case png, jpeg, webp
        public var mimeType: String { "image/\(rawValue)" }
    }

    public let format: Format
    public let width: Int
    public let height: Int

    /// Reads the header, or nil when the bytes are not a PNG, JPEG or WebP with a
    /// readable size.
    public init?(_ bytes: [UInt8]) {
        if let png = ImageHeader.png(bytes) {
            self = png
            return
        }
        if let jpeg = ImageHeader.jpeg(bytes) {
            self = jpeg
            return
        }
        if let webp = ImageHeader.webp(bytes) {
            self = webp
            return
        }
        return nil
    }

    public init(format: Format, width: Int, height: Int) {
        self.format = format
        self.width = width
        self.height = height
    }

    /// The unsigned number in `count` bytes from `offset`, most significant first (PNG, JPEG).
    static func bigEndian(_ bytes: [UInt8], _ offset: Int, _ count: Int) -> Int {
        (0..<count).reduce(0) { $0 << 8 | Int(bytes[offset + $1]) }
    }

    /// The same, least significant first (WebP's RIFF).
    static func littleEndian(_ bytes: [UInt8], _ offset: Int, _ count: Int) -> Int {
        (0..<count).reversed().reduce(0) { $0 << 8 | Int(bytes[offset + $1]) }
    }

    /// PNG: the signature, then the IHDR chunk with width and height.
    private static func png(_ bytes: [UInt8]) -> ImageHeader? {
        let signature: [UInt8] = [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A]
        guard bytes.count >= 24, Array(bytes[0..<8]) == signature,
            Array(bytes[12..<16]) == Array("IHDR".utf8)
        else { return nil }
        return sized(.png, bigEndian(bytes, 16, 4), bigEndian(bytes, 20, 4))
    }

    /// JPEG: walk the markers to the first start-of-frame (SOF0...SOF15 but DHT, JPG, DAC).
    private static func jpeg(_ bytes: [UInt8]) -> ImageHeader? {
        guard bytes.count >= 4, bytes[0] == 0xFF, bytes[1] == 0xD8 else { return nil }
        var offset = 2
        while offset + 4 <= bytes.count {
            guard bytes[offset] == 0xFF else { return nil }
            let marker = bytes[offset + 1]
            if marker == 0xFF {
                offset += 1
                continue
            }
            if marker == 0xD8 || marker == 0x01 || (0xD0...0xD7).contains(marker) {
                offset += 2
                continue
            }
            let length = bigEndian(bytes, offset + 2, 2)
            guard length >= 2 else { return nil }
            if (0xC0...0xCF).contains(marker), ![0xC4, 0xC8, 0xCC].contains(marker) {
                guard offset + 9 <= bytes.count else { return nil }
                return sized(.jpeg, bigEndian(bytes, offset + 7, 2), bigEndian(bytes, offset + 5, 2))
            }
            if marker == 0xD9 || marker == 0xDA { return nil }
            offset += 2 + length
        }
        return nil
    }

    /// WebP: a RIFF container with a VP8 (lossy), VP8L (lossless) or VP8X (extended) chunk.
    private static func webp(_ bytes: [UInt8]) -> ImageHeader? {
        guard bytes.count >= 30, Array(bytes[0..<4]) == Array("RIFF".utf8),
            Array(bytes[8..<12]) == Array("WEBP".utf8)
        else { return nil }
        switch String(decoding: bytes[12..<16], as: UTF8.self) {
        case "VP8 ":
            guard bytes[23] == 0x9D, bytes[24] == 0x01, bytes[25] == 0x2A else { return nil }
            return sized(.webp, littleEndian(bytes, 26, 2) & 0x3FFF, littleEndian(bytes, 28, 2) & 0x3FFF)
        case "VP8L":
            guard bytes[20] == 0x2F else { return nil }
            let bits = littleEndian(bytes, 21, 4)
            return sized(.webp, (bits & 0x3FFF) + 1, ((bits >> 14) & 0x3FFF) + 1)
        case "VP8X":
            return sized(.webp, littleEndian(bytes, 24, 3) + 1, littleEndian(bytes, 27, 3) + 1)
        default:
            return nil
        }
    }

    private static func sized(_ format: Format, _ width: Int, _ height: Int) -> ImageHeader? {
        guard (1...65_535).contains(width), (1...65_535).contains(height) else { return nil }
        return ImageHeader(format: format, width: width, height: height)
    }
}
