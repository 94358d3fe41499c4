import Foundation

/// One value as it travels to or from MariaDB: a statement parameter or a column of a row.
///
/// Values never enter SQL text; they are bound to `?` placeholders of prepared statements.
public enum DatabaseValue: Equatable, Sendable {
    case null
    case integer(Int64)
    case double(Double)
    /// Text, and every column type that MariaDB hands over as text (DECIMAL, DATETIME, ...).
    case text(String)
    case bytes([UInt8])
}

/// A Swift type that can be bound as a statement parameter and decoded from a column.
public protocol DatabaseValueConvertible {
    var databaseValue: DatabaseValue { get }
    /// The value decoded from a column, or nil when the column does not hold this type.
    static func fromDatabaseValue(_ value: DatabaseValue) -> Self?
}

extension Int64: DatabaseValueConvertible {
    public var databaseValue: DatabaseValue { .integer(self) }
    public static func fromDatabaseValue(_ value: DatabaseValue) -> Int64? {
        switch value {
        case .integer(let int): return int
        case .text(let text): return Int64(text)
        case .double(let double): return Int64(exactly: double)
        default: return nil
        }
    }
}

extension Int: DatabaseValueConvertible {
    public var databaseValue: DatabaseValue { .integer(Int64(self)) }
    public static func fromDatabaseValue(_ value: DatabaseValue) -> Int? {
        Int64.fromDatabaseValue(value).map { Int($0) }
    }
}

extension Bool: DatabaseValueConvertible {
    public var databaseValue: DatabaseValue { .integer(self ? 1 : 0) }
    public static func fromDatabaseValue(_ value: DatabaseValue) -> Bool? {
        Int64.fromDatabaseValue(value).map { $0 != 0 }
    }
}

extension Double: DatabaseValueConvertible {
    public var databaseValue: DatabaseValue { .double(self) }
    public static func fromDatabaseValue(_ value: DatabaseValue) -> Double? {
        switch value {
        case .double(let double): return double
        case .integer(let int): return Double(int)
        case .text(let text): return Double(text)
        default: return nil
        }
    }
}

extension String: DatabaseValueConvertible {
    public var databaseValue: DatabaseValue { .text(self) }
    public static func fromDatabaseValue(_ value: DatabaseValue) -> String? {
        switch value {
        case .text(let text): return text
        case .integer(let int): return String(int)
        case .bytes(let bytes): return String(decoding: bytes, as: UTF8.self)
        default: return nil
        }
    }
}

extension Array: DatabaseValueConvertible where Element == UInt8 {
    public var databaseValue: DatabaseValue { .bytes(self) }
    public static func fromDatabaseValue(_ value: DatabaseValue) -> [UInt8]? {
        switch value {
        case .bytes(let bytes): return bytes
        case .text(let text): return Array(text.utf8)
        default: return nil
        }
    }
}

/// Dates travel as UTC DATETIME(6) text; every connection sets `time_zone = '+00:00'`.
extension Date: DatabaseValueConvertible {
    public var databaseValue: DatabaseValue { .text(DatabaseDateFormat.string(from: self)) }
    public static func fromDatabaseValue(_ value: DatabaseValue) -> Date? {
        guard case .text(let text) = value else { return nil }
        return DatabaseDateFormat.date(from: text)
    }
}

extension Optional: DatabaseValueConvertible where Wrapped: DatabaseValueConvertible {
    public var databaseValue: DatabaseValue { self?.databaseValue ?? .null }
    public static func fromDatabaseValue(_ value: DatabaseValue) -> Wrapped?? {
        if value == .null { return .some(nil) }
        return Wrapped.fromDatabaseValue(value).map { .some($0) }
    }
}

extension Date {
    /// The times a DATETIME column holds: 1000-01-01 00:00:00 to 9999-12-31 23:59:59 UTC.
    /// Input from clients is checked against it before it reaches a statement.
    public static let storableRange: ClosedRange<Date> =
        Date(timeIntervalSince1970: -30_610_224_000)...Date(timeIntervalSince1970: 253_402_300_799)
}

/// `YYYY-MM-DD HH:MM:SS[.ffffff]` in UTC, the text form of DATETIME.
enum DatabaseDateFormat {
    static func string(from date: Date) -> String {
        var seconds = date.timeIntervalSince1970
        var micros = Int64((seconds - seconds.rounded(.down)) * 1_000_000 + 0.5)
        if micros >= 1_000_000 {
            micros -= 1_000_000
            seconds += 1
        }
        var time = time_t(seconds.rounded(.down))
        var parts = tm()
        gmtime_r(&time, &parts)
        // Written digit by digit: String(format:) was a tenth of the worker's time under load.
        var text: [UInt8] = []
        text.reserveCapacity(26)
        func append(_ value: Int, digits: Int, then separator: UInt8? = nil) {
            var divisor = 1
            for _ in 1..<digits { divisor *= 10 }
            var rest = value
            while divisor > 0 {
                text.append(UInt8(48 + (rest / divisor) % 10))
                rest %= divisor
                divisor /= 10
            }
            if let separator { text.append(separator) }
        }
        // The whole year, at least four digits: a year MariaDB cannot store (outside
        // 1000...9999, see `Date.storableRange`) reaches it whole and is refused, never cut.
        let year = Int(parts.tm_year) + 1900
        if year < 0 { text.append(UInt8(ascii: "-")) }
        let yearDigits = Array(String(year.magnitude).utf8)
        text += Array(repeating: UInt8(ascii: "0"), count: max(0, 4 - yearDigits.count)) + yearDigits
        text.append(UInt8(ascii: "-"))
        append(Int(parts.tm_mon) + 1, digits: 2, then: UInt8(ascii: "-"))
        append(Int(parts.tm_mday), digits: 2, then: UInt8(ascii: " "))
        append(Int(parts.tm_hour), digits: 2, then: UInt8(ascii: ":"))
        append(Int(parts.tm_min), digits: 2, then: UInt8(ascii: ":"))
        append(Int(parts.tm_sec), digits: 2, then: UInt8(ascii: "."))
        append(Int(micros), digits: 6)
        return String(decoding: text, as: UTF8.self)
    }

    static func date(from text: String) -> Date? {
        let bytes = Array(text.utf8)
        guard bytes.count >= 19 else { return nil }
        func number(_ range: Range<Int>) -> Int? {
            var value = 0
            for index in range {
                let digit = Int(bytes[index]) - 48
                guard (0...9).contains(digit) else { return nil }
                value = value * 10 + digit
            }
            return value
        }
        guard let year = number(0..<4), let month = number(5..<7), let day = number(8..<10),
            let hour = number(11..<13), let minute = number(14..<16), let second = number(17..<19)
        else { return nil }
        var parts = tm()
        parts.tm_year = Int32(year - 1900)
        parts.tm_mon = Int32(month - 1)
        parts.tm_mday = Int32(day)
        parts.tm_hour = Int32(hour)
        parts.tm_min = Int32(minute)
        parts.tm_sec = Int32(second)
        var fraction = 0.0
        if bytes.count > 20, bytes[19] == UInt8(ascii: ".") {
            var scale = 0.1
            for byte in bytes[20...] {
                let digit = Int(byte) - 48
                guard (0...9).contains(digit) else { break }
                fraction += Double(digit) * scale
                scale /= 10
            }
        }
        return Date(timeIntervalSince1970: Double(timegm(&parts)) + fraction)
    }
}

extension DatabaseValue: DatabaseValueConvertible {
    public var databaseValue: DatabaseValue { self }
    public static func fromDatabaseValue(_ value: DatabaseValue) -> DatabaseValue? { value }
}
