import MariaStore

/// How an answer on a gold image compares with the image's known boxes.
///
/// Boxes pair as in `BoxMatching`: same label, IoU ≥ the job's threshold, one to one.
/// A gold image with no boxes answered with none (nothing to mark) is a perfect answer;
/// answered with boxes, every box is a false positive (precision 0).
public struct GoldScore: Sendable, Equatable {
    /// The answer's boxes that pair with a gold box.
    public let truePositives: Int
    /// The answer's boxes that pair with none.
    public let falsePositives: Int
    /// The gold boxes the answer has no box for.
    public let falseNegatives: Int
    /// The mean IoU of the paired boxes; 0 without pairs.
    public let meanIoU: Double
    /// The gold boxes the answer missed, to show the tasker.
    public let missed: [Box]
    /// The answer's boxes that pair with no gold box.
    public let extra: [Box]
    /// The F1 the answer needs to pass.
    public let passLine: Double

    /// Scores `answer` (no boxes for "nothing to mark") against the gold image's `gold` boxes.
    public init(
        answer: [Box], gold: [Box], iouThreshold: Double = QualityDefaults.iouThreshold,
        passLine: Double = QualityDefaults.goldPassLine
    ) {
        let matching = BoxMatching(expected: gold, found: answer, iouThreshold: iouThreshold)
        self.truePositives = matching.pairs.count
        self.falsePositives = matching.extra.count
        self.falseNegatives = matching.missed.count
        self.meanIoU = matching.meanIoU
        self.missed = matching.missed.map { gold[$0] }
        self.extra = matching.extra.map { answer[$0] }
        self.passLine = passLine
    }

    /// The share of the answer's boxes that are right; 1 when it has none.
    public var precision: Double {
        truePositives + falsePositives == 0 ? 1 : Double(truePositives) / Double(truePositives + falsePositives)
    }

    /// The share of the gold boxes the answer found; 1 when there are none.
    public var recall: Double {
        truePositives + falseNegatives == 0 ? 1 : Double(truePositives) / Double(truePositives + falseNegatives)
    }

    /// The harmonic mean of precision and recall, `2·TP / (2·TP + FP + FN)`; 1 when both the
    /// answer and the gold image hold nothing.
    public var f1: Double {
        let wrong = falsePositives + falseNegatives
        return truePositives + wrong == 0 ? 1 : 2 * Double(truePositives) / Double(2 * truePositives + wrong)
    }

    /// True when `f1` reaches the pass line (by default 0.5: at least as much right as
    /// wrong, such as 2 of 3 objects found with nothing extra, or 1 of 1 with one extra).
    public var passed: Bool { f1 >= passLine }
}
