import MariaStore

/// How one result compares with the consensus of its image: which objects it found,
/// missed or added, and how well its boxes fit.
public struct ResultAgreement: Sendable, Equatable {
    /// The result's id.
    public let trainID: Int64
    /// The tasker who handed it in.
    public let taskerID: Int64
    /// True when the tasker answered that the image holds nothing to mark.
    public let nothingToMark: Bool
    /// The objects of the consensus.
    public let objects: Int
    /// The boxes of the result.
    public let marked: Int
    /// The result's boxes that pair with a consensus box (same label, IoU ≥ the threshold).
    public let matched: Int
    /// The consensus boxes the result has no box for.
    public let missed: Int
    /// The result's boxes that pair with no consensus box.
    public let extras: Int
    /// Of the missed objects, those the result did mark, but with another label (each
    /// also counts in `missed` and in `extras`).
    public let mislabelled: Int
    /// The mean IoU of the matched boxes; 0 when none matched.
    public let meanIoU: Double

    /// How many objects the result got right, from 0 to 1: `2·matched / (objects + marked)`;
    /// 1 when both the result and the consensus hold nothing.
    public var f1: Double {
        objects + marked == 0 ? 1 : 2 * Double(matched) / Double(objects + marked)
    }

    /// The F1 with each match counted by how well it fits, from 0 to 1:
    /// `2·(sum of the matches' IoU) / (objects + marked)`, which is `f1 × meanIoU`; 1 when
    /// both the result and the consensus hold nothing. The image's agreement is its mean
    /// over the results, and `ReviewVerdict` compares it with the job's threshold.
    public var weightedF1: Double {
        objects + marked == 0 ? 1 : f1 * meanIoU
    }

    /// Compares `result` with the consensus boxes at the job's IoU threshold.
    init(_ result: ConsensusInput, consensus: [Box], iouThreshold: Double) {
        let boxes = result.boxes.filter(\.hasArea)
        let matching = BoxMatching(expected: consensus, found: boxes, iouThreshold: iouThreshold)
        let relabelled =
            matching.missed.isEmpty || matching.extra.isEmpty
            ? 0
            : BoxMatching(
                expected: matching.missed.map { consensus[$0] }, found: matching.extra.map { boxes[$0] },
                iouThreshold: iouThreshold, ignoringLabels: true
            ).pairs.count
        self.trainID = result.trainID
        self.taskerID = result.taskerID
        self.nothingToMark = result.nothingToMark
        self.objects = consensus.count
        self.marked = boxes.count
        self.matched = matching.pairs.count
        self.missed = matching.missed.count
        self.extras = matching.extra.count
        self.mislabelled = relabelled
        self.meanIoU = matching.meanIoU
    }
}
