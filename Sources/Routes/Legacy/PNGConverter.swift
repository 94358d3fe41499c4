import CGD

/// Turns a stored JPEG or WebP into PNG bytes through libgd, for the original phone app,
/// which shows every task image as `data:image/png;base64,...`.
enum PNGConverter {
    /// The largest image converted (width x height); larger ones would need gigabytes.
    static let maxPixels = 50_000_000

    /// PNG bytes of the image; PNG input is returned as it is.
    static func png(from bytes: [UInt8], header: ImageHeader) throws -> [UInt8] {
        if header.format == .png { return bytes }
        guard header.width * header.height <= maxPixels else {
            throw APIError.invalid("The image is too large to convert to PNG.", code: "image_too_large")
        }
        guard bytes.count <= Int(Int32.max) else { throw APIError.invalid("The image is too large to convert to PNG.", code: "image_too_large") }
        var input = bytes
        let image: gdImagePtr? = input.withUnsafeMutableBytes { buffer in
            switch header.format {
            case .jpeg: return gdImageCreateFromJpegPtr(Int32(buffer.count), buffer.baseAddress)
            case .webp: return gdImageCreateFromWebpPtr(Int32(buffer.count), buffer.baseAddress)
            case .png: return nil
            }
        }
        guard let image else {
            throw APIError.invalid("The stored \(header.format.rawValue.uppercased()) image could not be decoded.",
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
