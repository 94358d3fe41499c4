/// How accurate a tasker's answers on gold images are, accumulated answer by answer.
///
/// The accuracy is the mean F1 of the gold answers: every gold image counts the same,
/// whether it holds 1 object or 20, and a right "nothing to mark" on an empty gold image
/// counts as 1 (a pooled TP / (TP + FP + FN) would weigh crowded images more and ignore
/// empty ones).
public struct TaskerAccuracy: Sendable, Equatable {
    /// The gold images the tasker answered.
    public private(set) var goldAnswers: Int
    /// The sum of the answers' F1.
    public private(set) var totalF1: Double

    /// An accuracy from stored sums; no answers by default.
    public init(goldAnswers: Int = 0, totalF1: Double = 0) {
        self.goldAnswers = goldAnswers
        self.totalF1 = totalF1
    }

    /// The accuracy of the scored answers.
    public init(_ scores: some Sequence<GoldScore>) {
        self.init()
        for score in scores { add(score) }
    }

    /// Counts one more gold answer.
    public mutating func add(_ score: GoldScore) {
        goldAnswers += 1
        totalF1 += score.f1
    }

    /// The mean F1 of the gold answers, from 0 to 1; 1 before the first one (a tasker is
    /// trusted until measured, and weighs as much as anyone in a consensus).
    public var accuracy: Double {
        goldAnswers == 0 ? 1 : totalF1 / Double(goldAnswers)
    }

    /// True when the tasker answered at least `minimumAnswers` gold images and their
    /// accuracy is below `threshold`.
    public func shouldBlock(threshold: Double, minimumAnswers: Int) -> Bool {
        goldAnswers >= max(1, minimumAnswers) && accuracy < threshold
    }
}
