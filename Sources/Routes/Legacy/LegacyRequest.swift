import Foundation
import MariaStore
import Marketplace

/// One call of the legacy protocol: its parameters (from the URL, percent-decoded, or
/// from an `application/x-www-form-urlencoded` body), its JSON body, and who is calling.
///
/// The caller is named by `UserID`, which holds the session token that TaskerLogon,
/// TaskerRegistration, RequesterLogon or RequesterRegistration answered: it is checked
/// like a Bearer token, never taken as a user's number. Without `UserID`, an
/// `Authorization: Bearer` header is accepted, and for commands that change nothing
/// the session cookie too.
struct LegacyRequest {
    let context: RequestContext
    let command: LegacyCommand
    private let form: [String: String]

    init(_ context: RequestContext, command: LegacyCommand) {
        self.context = context
        self.command = command
        // An upload's body is its image: its parameters are in the URL.
        form =
            context.request.contentType == "application/x-www-form-urlencoded"
                && !LegacyEndpoint.uploadCommands.contains(command.name)
            ? URLEncoding.decodeQuery(String(decoding: context.request.body, as: UTF8.self)) : [:]
    }

    var store: Store { context.store }

    // MARK: Parameters

    /// A parameter (names are case-sensitive, as in the original); nil when absent or empty.
    func parameter(_ name: String) -> String? {
        guard let value = context.request.query[name] ?? form[name], !value.isEmpty else { return nil }
        return value
    }

    /// A parameter that must be there.
    func require(_ name: String) throws -> String {
        guard let value = parameter(name) else {
            throw APIError.badRequest("Missing parameter \(name).", code: "missing_parameter")
        }
        return value
    }

    /// `Email`, as the original phone app sends it: pasted into the URL unencoded, so that
    /// a `+` of the address (`name+tag@example.com`) arrives as a space once decoded. An
    /// address never holds a space, so spaces inside it are read back as `+` (spaces around
    /// it are dropped, as the JSON API drops them).
    func email() throws -> String {
        try require("Email").trimmingCharacters(in: .whitespaces).replacingOccurrences(of: " ", with: "+")
    }

    /// A parameter holding a record's number (`JobID`, `TaskID`).
    func id(_ name: String) throws -> Int64 {
        guard let id = Int64(try require(name).trimmingCharacters(in: .whitespaces)), id > 0 else {
            throw APIError.badRequest("\(name) must be a positive whole number.", code: "invalid_parameter")
        }
        return id
    }

    /// The JSON body as the original clients wrote it.
    func fields() throws -> LegacyFields {
        try LegacyFields.parse(context.request.body)
    }

    // MARK: Who is calling

    /// The signed-in caller (see the type's description); an error when there is none.
    func caller() throws -> User {
        if let token = parameter("UserID") {
            guard token.utf8.count <= 256,
                let user = try store.sessions.user(tokenHash: SessionToken.hash(token))
            else {
                throw APIError(401, "invalid_user_id", "This UserID is not valid (unknown or expired): sign in again.")
            }
            context.signIn(as: user)
            return user
        }
        let bearer = context.request.headers["authorization"]?.lowercased().hasPrefix("bearer ") ?? false
        if bearer || command.readOnly, let user = try context.currentUser() { return user }
        throw APIError(
            401, "unauthenticated",
            "Missing parameter UserID: send the userID that the logon or registration answered.")
    }

    /// The caller, who must be a requester (or an admin).
    func requester() throws -> User {
        _ = try caller()
        return try context.require(.requester)
    }

    /// The caller, who must be a tasker (or an admin).
    func tasker() throws -> User {
        _ = try caller()
        return try context.require(.tasker)
    }
}

/// A JSON object as the original clients sent it: values are strings, numbers or
/// booleans (numbers often as strings: `"bounty": "0.05"` or `0.05`), read by the
/// original field names.
struct LegacyFields: Decodable {
    /// A value one level deep at most: a list holds scalars, anything deeper is `.other`
    /// and never decoded (no recursion that a deeply nested body could drive).
    enum Value: Decodable {
        case text(String)
        case list([Value])
        case other

        init(from decoder: Decoder) throws {
            let container = try decoder.singleValueContainer()
            if let scalar = Value.scalar(container) {
                self = scalar
            } else if let list = try? container.decode([Scalar].self) {
                self = .list(list.map(\.value))
            } else {
                self = .other
            }
        }

        static func scalar(_ container: SingleValueDecodingContainer) -> Value? {
            if let text = try? container.decode(String.self) { return .text(text) }
            if let flag = try? container.decode(Bool.self) { return .text(flag ? "True" : "False") }
            if let number = try? container.decode(Decimal.self) { return .text("\(number)") }
            if let number = try? container.decode(Double.self) { return .text("\(number)") }
            return nil
        }
    }

    /// An element of a list: a scalar, or `.other`.
    struct Scalar: Decodable {
        let value: Value

        init(from decoder: Decoder) throws {
            value = Value.scalar(try decoder.singleValueContainer()) ?? .other
        }
    }

    let values: [String: Value]

    init(values: [String: Value]) { self.values = values }

    init(from decoder: Decoder) throws {
        values = try decoder.singleValueContainer().decode([String: Value].self)
    }

    static func parse(_ body: [UInt8]) throws -> LegacyFields {
        guard !body.isEmpty else { throw APIError.badRequest("The request needs a JSON body.", code: "malformed_json") }
        do {
            return try JSONDecoder().decode(LegacyFields.self, from: Data(body))
        } catch {
            throw APIError.badRequest("The body is not a JSON object.", code: "malformed_json")
        }
    }

    /// The value as text, trimmed; nil when absent, null or empty.
    func text(_ key: String) -> String? {
        guard case .text(let text)? = values[key] else { return nil }
        let trimmed = text.trimmingCharacters(in: .whitespacesAndNewlines)
        return trimmed.isEmpty ? nil : trimmed
    }

    /// True when the key is there with any value (even empty or null).
    func contains(_ key: String) -> Bool { values[key] != nil }

    func number(_ key: String) throws -> Double? {
        guard let text = text(key) else { return nil }
        guard let number = LegacyFields.decimal(text) else { throw invalid(key, "a number") }
        return number
    }

    /// A decimal number as people write it (`12`, `-3.5`, `1e3`); not hexadecimal, `inf` or `nan`.
    static func decimal(_ text: String) -> Double? {
        guard text.utf8.allSatisfy({ (UInt8(ascii: "0")...UInt8(ascii: "9")).contains($0) || "+-.eE".utf8.contains($0) }),
            let number = Double(text), number.isFinite
        else { return nil }
        return number
    }

    func integer(_ key: String) throws -> Int? {
        guard let text = text(key) else { return nil }
        if let whole = Int(text) { return whole }
        guard let number = LegacyFields.decimal(text), number == number.rounded(), abs(number) < 1e9 else {
            throw invalid(key, "a whole number")
        }
        return Int(number)
    }

    func money(_ key: String) throws -> Money? {
        guard let text = text(key) else { return nil }
        guard let money = Money(text) else { throw invalid(key, "an amount such as 0.05 (at most two decimal places)") }
        return money
    }

    /// A date: absent -> nil (keep), empty -> .some(nil) (none), else ISO 8601
    /// (`2026-11-26T15:00:00Z` or `2026-11-26`).
    func date(_ key: String) throws -> Date?? {
        guard contains(key) else { return nil }
        guard let text = text(key) else { return .some(nil) }
        guard let date = ISO8601Time.date(from: text, allowingDayOnly: true) else {
            throw invalid(key, "a date such as 2026-11-26T15:00:00Z, in the years 1000 to 9999")
        }
        return .some(date)
    }

    /// A list of names: a JSON array of strings or one comma-separated string.
    func names(_ key: String) throws -> [String]? {
        switch values[key] {
        case .list(let items)?:
            return try items.map { item in
                guard case .text(let text) = item else { throw invalid(key, "a list of names") }
                return text
            }
        case .text(let text)?:
            let names = text.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }
            return names.isEmpty ? nil : names
        default:
            return nil
        }
    }

    private func invalid(_ key: String, _ expected: String) -> APIError {
        APIError.invalid("\(key) must be \(expected).", code: "invalid_value")
    }
}
