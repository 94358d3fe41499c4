import Foundation

/// Decoding of request bodies, with errors a person can act on.
public enum JSONBody {
    public static func decode<T: Decodable>(_ type: T.Type, from bytes: [UInt8]) throws -> T {
        guard !bytes.isEmpty else { throw APIError.badRequest("The request needs a JSON body.", code: "malformed_json") }
        do {
            return try JSONCoding.decoder.decode(T.self, from: Data(bytes))
        } catch DecodingError.dataCorrupted(let context) where !context.codingPath.isEmpty {
            // Well-formed JSON with a value that breaks its rule (an amount with three
            // decimals, a date that is not ISO 8601): 422, not 400.
            throw APIError.invalid(describe(.dataCorrupted(context)), code: "invalid_value")
        } catch let error as DecodingError {
            throw APIError.badRequest(describe(error), code: "malformed_json")
        } catch let error as APIError {
            throw error
        } catch {
            throw APIError.badRequest("The body is not valid JSON.", code: "malformed_json")
        }
    }

    static func describe(_ error: DecodingError) -> String {
        func field(_ path: [CodingKey]) -> String {
            path.isEmpty ? "the body" : path.map { $0.intValue.map { "[\($0)]" } ?? $0.stringValue }.joined(separator: ".")
        }
        switch error {
        case .keyNotFound(let key, let context):
            return "Missing field \(field(context.codingPath + [key]))."
        case .typeMismatch(_, let context), .valueNotFound(_, let context):
            return "Field \(field(context.codingPath)) has the wrong type: \(context.debugDescription.prefix(120))."
        case .dataCorrupted(let context):
            if context.codingPath.isEmpty { return "The body is not valid JSON." }
            return "Field \(field(context.codingPath)) is not valid: expected \(context.debugDescription.prefix(160))."
        @unknown default:
            return "The body does not have the expected shape."
        }
    }
}
