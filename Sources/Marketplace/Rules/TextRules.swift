/// What the text people type may hold, where others see it again: in the apps, in the
/// exports, in the admin's terminal (`tasker-admin payouts`).
public enum TextRules {
    /// True when the text holds no control characters (Unicode's Cc: an escape sequence
    /// that rewrites a terminal's screen, a line break that splits a CSV row), except line
    /// breaks and tabs where `allowingLineBreaks` (a description), and none of the
    /// direction overrides and isolates that show the characters after them in another
    /// order (a name that reads as someone else's). Other invisible formatting characters
    /// (Cf) stay: the joiner inside an emoji is one.
    public static func hasNoControls(_ text: String, allowingLineBreaks: Bool = false) -> Bool {
        !text.unicodeScalars.contains { scalar in
            isDirectionControl(scalar)
                || (scalar.properties.generalCategory == .control
                    && !(allowingLineBreaks && (scalar == "\n" || scalar == "\r" || scalar == "\t")))
        }
    }

    /// U+202A - U+202E (embeddings and overrides) and U+2066 - U+2069 (isolates).
    public static func isDirectionControl(_ scalar: Unicode.Scalar) -> Bool {
        (0x202A...0x202E).contains(scalar.value) || (0x2066...0x2069).contains(scalar.value)
    }

    /// True for a value that must read exactly as it is stored, such as a wallet address or
    /// an email: no spaces, no control characters, and no invisible formatting characters
    /// (Cf: a zero-width space, or a right-to-left override that shows the characters in
    /// another order).
    public static func isPlainToken(_ text: String) -> Bool {
        !text.unicodeScalars.contains { scalar in
            scalar.properties.isWhitespace || [.control, .format].contains(scalar.properties.generalCategory)
        }
    }
}
