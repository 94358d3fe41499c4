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
        } catch DecodingError.dataCorrupted where (try? JSONSerialization.jsonObject(with: Data(bytes))) != nil {
            // Foundation reports a number that does not fit its field (1.5 or 2^63 for a whole
            // number) as invalid JSON, without naming the field.
            throw APIError.badRequest(
                "A number in the body is not a whole number, or is out of range, where one is needed.",
                code: "wrong_type")
        } catch let error as DecodingError {
            throw APIError.badRequest(describe(error), code: code(error))
        } catch let error as APIError {
            throw error
        } catch {
            throw APIError.badRequest("The body is not valid JSON.", code: "malformed_json")
        }
    }

    static func code(_ error: DecodingError) -> String {
        switch error {
        case .keyNotFound: return "missing_field"
        case .typeMismatch, .valueNotFound: return "wrong_type"
        default: return "malformed_json"
        }
    }

    /// A JSON type in words, for messages: "a string", "a number"...
    static func kind(of type: Any.Type) -> String {
        switch type {
        case is String.Type: return "a string"
        case is Bool.Type: return "true or false"
        case is Int.Type, is Int64.Type, is Double.Type: return "a number"
        default:
            let name = "\(type)"
            if name.hasPrefix("Array") { return "a list" }
            if name.hasPrefix("Dictionary") { return "an object" }
            if name.contains("Money") { return "an amount such as \"12.50\"" }
            return "a value of another type"
        }
    }

    static func describe(_ error: DecodingError) -> String {
        func field(_ path: [CodingKey]) -> String {
            path.isEmpty ? "the body" : path.map { $0.intValue.map { "[\($0)]" } ?? $0.stringValue }.joined(separator: ".")
        }
        switch error {
        case .keyNotFound(let key, let context):
            return "Missing field \(field(context.codingPath + [key]))."
        case .typeMismatch(let type, let context), .valueNotFound(let type, let context):
            if context.codingPath.isEmpty { return "The body must be \(kind(of: type))." }
            return "Field \(field(context.codingPath)) must be \(kind(of: type))."
        case .dataCorrupted(let context):
            if context.codingPath.isEmpty { return "The body is not valid JSON." }
            var expected = String(context.debugDescription.prefix(160))
            while expected.hasSuffix(".") { expected.removeLast() }
            return "Field \(field(context.codingPath)) is not valid: expected \(expected)."
        @unknown default:
            return "The body does not have the expected shape."
        }
    }
}
