import CGD
import Foundation
import Marketplace

/// Turns a stored JPEG or WebP into PNG bytes through libgd, for the original phone app,
/// which shows every task image as `data:image/png;base64,...`.
enum PNGConverter {
    /// The largest image converted (width x height): decoding takes about 5 bytes a pixel
    /// (measured: a 7000 x 7000 JPEG took a worker from 46 MB to 1.59 GB at 4 at once).
    static let maxPixels = 16_000_000

    /// One conversion at a time in the process: the memory of a decoded image is bounded
    /// once, not once per worker thread.
    private static let oneAtATime = NSLock()

    /// The PNG form of a stored image: PNG as it is; JPEG and WebP converted once and
    /// kept next to the original (`<images>/png/ab/abcdef....png`), so repeated requests
    /// cost a file read.
    static func cachedPNG(sha256: [UInt8], images: ImageStore) throws -> [UInt8] {
        let original = try images.read(sha256: sha256)
        guard let header = ImageHeader(original) else {
            throw APIError.invalid("The stored image is not a PNG, JPEG or WebP.", code: "undecodable_image")
        }
        if header.format == .png { return original }
        let cached = images.root.appendingPathComponent("png").appendingPathComponent(
            ImageStore.relativePath(sha256: sha256) + ".png")
        if let bytes = try? Data(contentsOf: cached) { return Array(bytes) }
        return try oneAtATime.withLock {
            if let bytes = try? Data(contentsOf: cached) { return Array(bytes) }
            let png = try png(from: original, header: header)
            try? FileManager.default.createDirectory(at: cached.deletingLastPathComponent(), withIntermediateDirectories: true)
            let temporary = cached.deletingLastPathComponent().appendingPathComponent(
                ".tmp-\(SessionToken.generate().prefix(12))")
            if (try? Data(png).write(to: temporary)) != nil, rename(temporary.path, cached.path) != 0 {
                try? FileManager.default.removeItem(at: temporary)
            }
            return png
        }
    }

    /// PNG bytes of the image; PNG input is returned as it is.
    static func png(from bytes: [UInt8], header: ImageHeader) throws -> [UInt8] {
        if header.format == .png { return bytes }
        guard header.width * header.height <= maxPixels else {
            throw APIError.invalid("The image is too large to convert to PNG.", code: "image_too_large")
        }
        guard bytes.count <= Int(Int32.max) else {
            throw APIError.invalid("The image is too large to convert to PNG.", code: "image_too_large")
        }
        var input = bytes
        let image: gdImagePtr? = input.withUnsafeMutableBytes { buffer in
            switch header.format {
            case .jpeg: return gdImageCreateFromJpegPtr(Int32(buffer.count), buffer.baseAddress)
            case .webp: return gdImageCreateFromWebpPtr(Int32(buffer.count), buffer.baseAddress)
            case .png: return nil
            }
        }
        guard let image else {
            throw APIError.invalid(
                "The stored \(header.format.rawValue.uppercased()) image could not be decoded.",
                code: "undecodable_image")
        }
        defer { gdImageDestroy(image) }
        gdImageSaveAlpha(image, 1)
        var size: Int32 = 0
        guard let output = gdImagePngPtr(image, &size), size > 0 else {
            throw APIError.invalid("The image could not be converted to PNG.", code: "undecodable_image")
        }
        defer { gdFree(output) }
        return Array(UnsafeRawBufferPointer(start: output, count: Int(size)))
    }
}
