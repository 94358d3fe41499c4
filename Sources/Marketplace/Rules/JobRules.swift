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
        try checkQuality(draft.quality, resultsPerImage: draft.resultsPerImage)
    }

    /// Shares are from 0 to 1 in hundredths (DECIMAL(3,2)); the IoU threshold above 0.
    static func checkQuality(_ quality: QualitySettings, resultsPerImage: Int) throws {
        func invalid(_ message: String) -> MarketError { MarketError(.invalid, "invalid_job", "quality: " + message) }
        func isShare(_ value: Double, above zero: Bool = false) -> Bool {
            value.isFinite && (zero ? value > 0 : value >= 0) && value <= 1 && abs(value * 100 - (value * 100).rounded()) < 1e-9
        }
        guard isShare(quality.iouThreshold, above: true) else {
            throw invalid("iouThreshold must be from 0.01 to 1, in hundredths.")
        }
        guard isShare(quality.agreementThreshold), isShare(quality.accuracyThreshold) else {
            throw invalid("agreementThreshold and accuracyThreshold must be from 0 to 1, in hundredths.")
        }
        if let minimum = quality.minResultsPerImage, !(1...resultsPerImage).contains(minimum) {
            throw invalid("minResultsPerImage must be from 1 to resultsPerImage (\(resultsPerImage)).")
        }
        guard (0...1000).contains(quality.goldRateEarly), (0...100_000).contains(quality.goldEarlyImages),
            (0...1000).contains(quality.goldRateLater)
        else {
            throw invalid("goldRate's early and later are from 0 (no gold) to 1000 images, earlyImages up to 100000.")
        }
        guard (1...10_000).contains(quality.goldAnswersPerImage) else {
            throw invalid("goldAnswersPerImage must be from 1 to 10000.")
        }
        guard (1...1000).contains(quality.minGoldAnswers) else { throw invalid("minGoldAnswers must be from 1 to 1000.") }
    }
}
