/// Whether a result agrees with the others on its image, and if not, why, in words a
/// tasker understands.
public enum ReviewVerdict: Sendable, Equatable {
    /// The result agrees with the consensus.
    case agrees
    /// The result does not; `reason` (at most 200 characters) says where it differs, such
    /// as "missed 2 of 3 objects the others marked".
    case disagrees(reason: String)

    /// The longest reason.
    public static let maxReasonLength = 200

    /// The verdict on a result: it agrees when its weighted F1 (`ResultAgreement.weightedF1`,
    /// the measure of the image's agreement) reaches `minimumAgreement`.
    public init(_ agreement: ResultAgreement, minimumAgreement: Double = QualityDefaults.agreementThreshold) {
        if agreement.weightedF1 >= minimumAgreement {
            self = .agrees
        } else {
            self = .disagrees(reason: Self.reason(agreement, minimumAgreement: minimumAgreement))
        }
    }

    /// Names what differs: marking nothing (or only objects) where the others marked the
    /// opposite; else other labels, missed objects, objects the others did not mark, and
    /// how well the boxes fit, when that alone would fail the threshold or nothing else
    /// differs.
    private static func reason(_ agreement: ResultAgreement, minimumAgreement: Double) -> String {
        if agreement.marked == 0 {
            return "marked nothing where the others marked \(objects(agreement.objects))"
        }
        if agreement.objects == 0 {
            return "marked \(objects(agreement.marked)) where the others marked nothing"
        }
        var parts: [String] = []
        if agreement.mislabelled > 0 {
            parts.append("labelled \(objects(agreement.mislabelled)) differently from the others")
        }
        if agreement.missed > agreement.mislabelled {
            parts.append(
                "missed \(agreement.missed - agreement.mislabelled) of \(objects(agreement.objects)) the others marked")
        }
        if agreement.extras > agreement.mislabelled {
            parts.append("marked \(objects(agreement.extras - agreement.mislabelled)) the others did not")
        }
        if agreement.matched > 0, parts.isEmpty || agreement.meanIoU < minimumAgreement {
            parts.append("boxes fit poorly (mean overlap \(Int((agreement.meanIoU * 100).rounded()))%)")
        }
        return limited(parts.joined(separator: "; "))
    }

    /// "1 object", "2 objects".
    private static func objects(_ count: Int) -> String {
        count == 1 ? "1 object" : "\(count) objects"
    }

    /// `text` cut to `maxReasonLength` characters at a word, with an ellipsis.
    private static func limited(_ text: String) -> String {
        guard text.count > maxReasonLength else { return text }
        let cut = text.prefix(maxReasonLength - 1)
        let word = cut.lastIndex(of: " ").map { cut[..<$0] } ?? cut
        return word + "…"
    }
}
