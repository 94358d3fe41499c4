import Foundation
import Marketplace
import MultipartKit

/// One image file taken from an upload request, checked by its bytes.
public struct UploadedImage: Sendable {
    public let filename: String?
    public let bytes: [UInt8]
    public let header: ImageHeader
    public let sha256: [UInt8]
}

/// Reads the images of an upload request in any of its three forms: the raw bytes as the
/// body, `multipart/form-data` with one or more files, or base64 text (the original
/// app's way, with or without a `data:image/...;base64,` prefix). Every file must be a
/// whole PNG, JPEG or WebP (415; `ImageHeader`, `ImageEnding`) no larger than `maxBytes`
/// (413); one bad file refuses the whole request.
public enum ImageUpload {
    /// The most files one request may hold.
    public static let maxFiles = 1000

    public static func images(in request: Request, maxBytes: Int) throws -> [UploadedImage] {
        let files: [(name: String?, bytes: [UInt8])]
        switch request.contentType {
        case "multipart/form-data":
            files = try multipartFiles(request)
        case "text/plain", "application/base64":
            files = [(request.query["filename"], try base64Bytes(request.body))]
        default:
            files = [(request.query["filename"], request.body)]
        }
        guard !files.isEmpty else { throw APIError.badRequest("The request holds no file.", code: "no_file") }
        // Every file is hashed, written and inserted in the request's one transaction: a
        // bound keeps one request from holding a worker thread (and the job's row) for minutes.
        guard files.count <= maxFiles else {
            throw APIError(413, "too_many_files", "At most \(maxFiles) files in one request; send the rest in further requests.")
        }
        return try files.map { file in
            let label = file.name.map { "\"\($0)\"" } ?? "The file"
            guard !file.bytes.isEmpty else { throw APIError.badRequest("\(label) is empty.", code: "empty_file") }
            guard file.bytes.count <= maxBytes else {
                throw APIError(413, "too_large", "\(label) is larger than \(maxBytes / (1024 * 1024)) MB.")
            }
            guard let header = ImageHeader(file.bytes) else {
                throw APIError(415, "unsupported_media_type", "\(label) is not a PNG, JPEG or WebP image.")
            }
            guard ImageEnding.isComplete(file.bytes, as: header.format) else {
                throw APIError(
                    415, "incomplete_image",
                    "\(label) is cut short: it is not a whole \(header.format.rawValue.uppercased()) image.")
            }
            return UploadedImage(
                filename: file.name.map(cleanName), bytes: file.bytes, header: header,
                sha256: SHA256.digest(file.bytes))
        }
    }

    /// The text of base64 body, without any `data:` prefix or line breaks.
    static func base64Bytes(_ body: [UInt8]) throws -> [UInt8] {
        var text = String(decoding: body, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
        if text.hasPrefix("data:"), let comma = text.firstIndex(of: ",") { text = String(text[text.index(after: comma)...]) }
        text.removeAll { $0 == "\n" || $0 == "\r" || $0 == " " }
        guard let data = Data(base64Encoded: text) else {
            throw APIError.badRequest("The body is not valid base64 text.", code: "malformed_base64")
        }
        return Array(data)
    }

    /// The file parts of a multipart/form-data body (parts with a filename or an image type).
    static func multipartFiles(_ request: Request) throws -> [(name: String?, bytes: [UInt8])] {
        guard let boundary = boundary(request.headers["content-type"] ?? "") else {
            throw APIError.badRequest("The multipart body has no boundary.", code: "malformed_multipart")
        }
        let parser = MultipartParser(boundary: boundary)
        var files: [(name: String?, bytes: [UInt8])] = []
        var headers: [String: String] = [:]
        var body: [UInt8] = []
        parser.onHeader = { name, value in headers[name.lowercased()] = value }
        parser.onBody = { buffer in body += buffer.readBytes(length: buffer.readableBytes) ?? [] }
        parser.onPartComplete = {
            let disposition = headers["content-disposition"] ?? ""
            let filename = parameter("filename", in: disposition)
            if filename != nil || (headers["content-type"] ?? "").lowercased().hasPrefix("image/") {
                files.append((filename, body))
            }
            headers = [:]
            body = []
        }
        do {
            try parser.execute(request.body)
        } catch {
            throw APIError.badRequest("The multipart body could not be read.", code: "malformed_multipart")
        }
        return files
    }

    static func boundary(_ contentType: String) -> String? {
        parameter("boundary", in: contentType).flatMap { $0.isEmpty || $0.count > 200 ? nil : $0 }
    }

    /// A `name=value` or `name="value"` parameter of a header value.
    static func parameter(_ name: String, in header: String) -> String? {
        for part in header.split(separator: ";") {
            let pair = part.split(separator: "=", maxSplits: 1)
            guard pair.count == 2, pair[0].trimmingCharacters(in: .whitespaces).lowercased() == name else { continue }
            var value = pair[1].trimmingCharacters(in: .whitespaces)
            if value.hasPrefix("\""), value.hasSuffix("\""), value.count >= 2 { value = String(value.dropFirst().dropLast()) }
            return value
        }
        return nil
    }

    /// A file name as shown to people: its last path component, without control characters
    /// or direction overrides (`TextRules`), at most 255 characters.
    static func cleanName(_ name: String) -> String {
        let last = name.split(whereSeparator: { $0 == "/" || $0 == "\\" }).last.map(String.init) ?? name
        let kept = last.unicodeScalars.filter {
            !CharacterSet.newlines.contains($0) && $0.properties.generalCategory != .control && !TextRules.isDirectionControl($0)
        }
        return String(String.UnicodeScalarView(kept.prefix(255)))
    }
}
