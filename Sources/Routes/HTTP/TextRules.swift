/// What the text people type may hold, where others see it again: in the apps, in the
/// exports, in the admin's terminal (`tasker-admin payouts`).
enum TextRules {
    /// True when the text holds no control characters (Unicode's Cc: an escape sequence
    /// that rewrites a terminal's screen, a line break that splits a CSV row), except line
    /// breaks and tabs where `allowingLineBreaks` (a description). Invisible formatting
    /// characters (Cf) stay: the joiner inside an emoji is one.
    static func hasNoControls(_ text: String, allowingLineBreaks: Bool = false) -> Bool {
        !text.unicodeScalars.contains { scalar in
            scalar.properties.generalCategory == .control
                && !(allowingLineBreaks && (scalar == "\n" || scalar == "\r" || scalar == "\t"))
        }
    }

    /// True for a value that must read exactly as it is stored, such as a wallet address or
    /// an email: no spaces, no control characters, and no invisible formatting characters
    /// (Cf: a zero-width space, or a right-to-left override that shows the characters in
    /// another order).
    static func isPlainToken(_ text: String) -> Bool {
        !text.unicodeScalars.contains { scalar in
            scalar.properties.isWhitespace || [.control, .format].contains(scalar.properties.generalCategory)
        }
    }
}
