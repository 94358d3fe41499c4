import Foundation
import MariaStore

/// Times as clients send them, in ISO 8601: `2026-11-26T15:00:00Z`, with fractions of a
/// second or an offset (`+02:00`) allowed, and for the legacy protocol also a plain day
/// (`2026-11-26`, midnight UTC).
///
/// Foundation's parser reads the text; this checks first that the day and the time it
/// names exist. On its own the parser rolls them over: `2026-02-30` becomes the 2nd of
/// March, `24:00` or `15:60` the next day or hour, and a time without an offset falls back
/// to midnight when a plain day is allowed.
enum ISO8601Time {
    /// The time the text names, or nil when it is not such a time, names a day or a time
    /// that does not exist, or lies outside the years MariaDB stores (1000 to 9999).
    static func date(from text: String, allowingDayOnly: Bool = false) -> Date? {
        let bytes = Array(text.utf8)
        guard bytes.count >= 10, let year = number(bytes, 0, 4), bytes[4] == UInt8(ascii: "-"),
            let month = number(bytes, 5, 2), bytes[7] == UInt8(ascii: "-"), let day = number(bytes, 8, 2),
            (1000...9999).contains(year), (1...12).contains(month), (1...daysIn(month: month, year: year)).contains(day)
        else { return nil }
        let parsed: Date?
        if bytes.count == 10 {
            guard allowingDayOnly else { return nil }
            parsed = try? Date(text, strategy: Date.ISO8601FormatStyle().year().month().day())
        } else {
            guard bytes.count >= 19, bytes[10] == UInt8(ascii: "T"),
                let hour = number(bytes, 11, 2), bytes[13] == UInt8(ascii: ":"),
                let minute = number(bytes, 14, 2), bytes[16] == UInt8(ascii: ":"), let second = number(bytes, 17, 2),
                hour < 24, minute < 60, second < 60, isZone(afterFraction(bytes, from: 19))
            else { return nil }
            parsed =
                (try? Date(text, strategy: Date.ISO8601FormatStyle()))
                ?? (try? Date(text, strategy: Date.ISO8601FormatStyle(includingFractionalSeconds: true)))
        }
        guard let parsed, Date.storableRange.contains(parsed) else { return nil }
        return parsed
    }

    /// The rest of the text after an optional fraction of a second (`.` and digits).
    private static func afterFraction(_ bytes: [UInt8], from start: Int) -> ArraySlice<UInt8> {
        guard start < bytes.count, bytes[start] == UInt8(ascii: ".") else { return bytes[start...] }
        let digits = bytes[(start + 1)...].prefix { (UInt8(ascii: "0")...UInt8(ascii: "9")).contains($0) }
        return digits.isEmpty ? bytes[start...] : bytes[(start + 1 + digits.count)...]
    }

    /// `Z`, or an offset `+HH:MM` or `-HH:MM`, and nothing after it (the parser would take
    /// `...ZJUNK` too).
    private static func isZone(_ tail: ArraySlice<UInt8>) -> Bool {
        if tail.elementsEqual([UInt8(ascii: "Z")]) || tail.elementsEqual([UInt8(ascii: "z")]) { return true }
        let zone = Array(tail)
        guard zone.count == 6, zone[0] == UInt8(ascii: "+") || zone[0] == UInt8(ascii: "-"), zone[3] == UInt8(ascii: ":"),
            let hours = number(zone, 1, 2), let minutes = number(zone, 4, 2)
        else { return false }
        return hours < 24 && minutes < 60
    }

    /// The decimal number written by `count` ASCII digits from `start`.
    private static func number(_ bytes: [UInt8], _ start: Int, _ count: Int) -> Int? {
        var value = 0
        for byte in bytes[start..<start + count] {
            guard (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(byte) else { return nil }
            value = value * 10 + Int(byte - UInt8(ascii: "0"))
        }
        return value
    }

    /// Days in a month of the Gregorian calendar.
    private static func daysIn(month: Int, year: Int) -> Int {
        switch month {
        case 2: return year % 4 == 0 && (year % 100 != 0 || year % 400 == 0) ? 29 : 28
        case 4, 6, 9, 11: return 30
        default: return 31
        }
    }
}
