import Foundation

/// An exact amount of money in cents. MariaDB stores it as DECIMAL(14,2); JSON carries it
/// as a decimal string (`"0.05"`) and accepts a string or a number on input.
public struct Money: Comparable, Hashable, Sendable, CustomStringConvertible {
    public let cents: Int64

    public init(cents: Int64) { self.cents = cents }

    public static let zero = Money(cents: 0)

    /// Parses `"12"`, `"12.3"`, `"12.34"`, `"-0.05"`; nil for anything else, including
    /// more than two decimal places.
    public init?(_ text: String) {
        // Read as bytes: every DECIMAL column arrives as text, so this runs for each row.
        let isASCII = text.utf8.allSatisfy { $0 < 0x80 }
        var bytes = Array(isASCII ? text.utf8 : text.trimmingCharacters(in: .whitespaces).utf8)[...]
        while let first = bytes.first, first == 0x20 || first == 0x09 { bytes.removeFirst() }
        while let last = bytes.last, last == 0x20 || last == 0x09 { bytes.removeLast() }
        let negative = bytes.first == UInt8(ascii: "-")
        if negative { bytes.removeFirst() }
        let parts = bytes.split(separator: UInt8(ascii: "."), omittingEmptySubsequences: false)
        guard (1...2).contains(parts.count), let units = Money.number(parts[0], maxDigits: 12) else { return nil }
        var fraction: Int64 = 0
        if parts.count == 2 {
            guard let value = Money.number(parts[1], maxDigits: 2) else { return nil }
            fraction = parts[1].count == 1 ? value * 10 : value
        }
        let cents = units * 100 + fraction
        self.cents = negative ? -cents : cents
    }

    /// The value of 1 to `maxDigits` ASCII digits; nil for anything else.
    private static func number(_ digits: ArraySlice<UInt8>, maxDigits: Int) -> Int64? {
        guard (1...maxDigits).contains(digits.count) else { return nil }
        var value: Int64 = 0
        for byte in digits {
            guard (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(byte) else { return nil }
            value = value * 10 + Int64(byte - UInt8(ascii: "0"))
        }
        return value
    }

    /// `"12.34"`, always with two decimal places.
    public var description: String {
        let sign = cents < 0 ? "-" : ""
        let magnitude = cents.magnitude
        let fraction = magnitude % 100
        return "\(sign)\(magnitude / 100).\(fraction < 10 ? "0" : "")\(fraction)"
    }

    public static func < (lhs: Money, rhs: Money) -> Bool { lhs.cents < rhs.cents }
    public static func + (lhs: Money, rhs: Money) -> Money { Money(cents: lhs.cents + rhs.cents) }
    public static func - (lhs: Money, rhs: Money) -> Money { Money(cents: lhs.cents - rhs.cents) }
    public static func * (lhs: Money, rhs: Int) -> Money { Money(cents: lhs.cents * Int64(rhs)) }
}

extension Money: DatabaseValueConvertible {
    public var databaseValue: DatabaseValue { .text(description) }
    public static func fromDatabaseValue(_ value: DatabaseValue) -> Money? {
        switch value {
        case .text(let text): return Money(text)
        case .integer(let int): return Money(cents: int * 100)
        default: return nil
        }
    }
}

extension Money: Codable {
    /// A string or a number is an amount (422 when it has more than two decimals, say);
    /// any other JSON type is a type mismatch (400).
    public init(from decoder: Decoder) throws {
        let container = try decoder.singleValueContainer()
        let money: Money?
        if let text = try? container.decode(String.self) {
            money = Money(text)
        } else if let number = try? container.decode(Decimal.self) {
            money = Money("\(number)")
        } else {
            throw DecodingError.typeMismatch(
                Money.self,
                .init(
                    codingPath: decoder.codingPath, debugDescription: "an amount such as \"12.50\" (a string or a number)"))
        }
        guard let money else {
            throw DecodingError.dataCorruptedError(
                in: container, debugDescription: "an amount of money such as \"12.50\" (at most two decimal places)")
        }
        self = money
    }

    public func encode(to encoder: Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(description)
    }
}
