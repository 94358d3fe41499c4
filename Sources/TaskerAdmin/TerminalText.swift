/// Text that users typed, made safe to print on the admin's terminal: every control or
/// invisible formatting character (an escape sequence that moves the cursor and rewrites
/// another row, a right-to-left override) is shown as `\u{XXXX}` instead. The API refuses
/// such characters in new addresses and names; this also covers what was stored before.
enum TerminalText {
    static func shown(_ text: String) -> String {
        var shown = ""
        for scalar in text.unicodeScalars {
            if [.control, .format].contains(scalar.properties.generalCategory) {
                shown += "\\u{" + String(scalar.value, radix: 16, uppercase: true) + "}"
            } else {
                shown.unicodeScalars.append(scalar)
            }
        }
        return shown
    }
}
