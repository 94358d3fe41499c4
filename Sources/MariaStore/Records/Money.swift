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
        var text = Substring(text.trimmingCharacters(in: .whitespaces))
        let negative = text.hasPrefix("-")
        if negative { text = text.dropFirst() }
        let parts = text.split(separator: ".", omittingEmptySubsequences: false)
        guard (1...2).contains(parts.count), let whole = parts.first, !whole.isEmpty,
              whole.count <= 12, whole.allSatisfy(\.isASCIIDigit), let units = Int64(whole) else { return nil }
        var fraction: Int64 = 0
        if parts.count == 2 {
            let digits = parts[1]
            guard (1...2).contains(digits.count), digits.allSatisfy(\.isASCIIDigit), let value = Int64(digits) else { return nil }
            fraction = digits.count == 1 ? value * 10 : value
        }
        let cents = units * 100 + fraction
        self.cents = negative ? -cents : cents
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

extension Character {
    var isASCIIDigit: Bool { isASCII && isNumber }
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
            throw DecodingError.typeMismatch(Money.self, .init(
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
