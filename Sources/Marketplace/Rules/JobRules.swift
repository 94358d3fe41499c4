import MariaStore

/// What a job may be, whoever sends it (the JSON API, the legacy protocol): lengths,
/// characters, labels, money, the review window and the times. A job that breaks a rule
/// is refused as `invalid_job`.
public enum JobRules {
    /// The longest review window: a year.
    public static let maxAutoApproveAfterHours = 8760

    /// Lengths count Unicode scalars, as MariaDB's VARCHAR(n) counts code points (Swift's
    /// `count` counts user-perceived characters, which can be fewer).
    public static func check(_ draft: JobDraft) throws {
        func invalid(_ message: String) -> MarketError { MarketError(.invalid, "invalid_job", message) }
        guard (1...120).contains(draft.name.unicodeScalars.count) else { throw invalid("name needs 1 to 120 characters.") }
        guard (1...200).contains(draft.title.unicodeScalars.count) else { throw invalid("title needs 1 to 200 characters.") }
        guard TextRules.hasNoControls(draft.name), TextRules.hasNoControls(draft.title) else {
            throw invalid("name and title are one line each, without control characters.")
        }
        guard draft.description.unicodeScalars.count <= 20_000, draft.instructions.unicodeScalars.count <= 20_000 else {
            throw invalid("description and instructions hold at most 20,000 characters each.")
        }
        guard TextRules.hasNoControls(draft.description, allowingLineBreaks: true),
            TextRules.hasNoControls(draft.instructions, allowingLineBreaks: true)
        else {
            throw invalid("description and instructions hold no control characters but line breaks and tabs.")
        }
        guard draft.type == "ImageRegion" else { throw invalid("type must be \"ImageRegion\".") }
        // Labels become class names in the exports: no control characters (a line break in
        // a CSV or YOLO names file), and no two that differ only in case.
        guard (1...50).contains(draft.labels.count), draft.labels.allSatisfy({ (1...64).contains($0.unicodeScalars.count) }),
            Set(draft.labels.map { $0.lowercased() }).count == draft.labels.count,
            draft.labels.allSatisfy({ TextRules.hasNoControls($0) })
        else {
            throw invalid(
                "labels must be 1 to 50 names of 1 to 64 characters, without control characters, no two alike (in any case).")
        }
        guard draft.bounty > .zero, draft.bounty <= Money(cents: 100_000) else {
            throw invalid("bounty must be more than 0.00 and at most 1000.00.")
        }
        guard draft.budget >= .zero, draft.budget <= Jobs.maxBudget else {
            throw invalid("budget must be from 0.00 to 100000000.00.")
        }
        guard (1...1000).contains(draft.resultsPerImage) else { throw invalid("resultsPerImage must be from 1 to 1000.") }
        guard (0...JobRules.maxAutoApproveAfterHours).contains(draft.autoApproveAfterHours) else {
            throw invalid("autoApproveAfterHours must be from 0 to \(JobRules.maxAutoApproveAfterHours) (a year).")
        }
        if let start = draft.startTime, let end = draft.endTime, end <= start {
            throw invalid("endTime must come after startTime.")
        }
    }
}
