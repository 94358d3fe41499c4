import MariaStore

/// Pairs the boxes someone found with the boxes expected on the same image (a consensus,
/// or a gold image's known boxes), each box in at most one pair.
///
/// Two boxes can pair when they have the same label and overlap with an IoU of at least
/// the threshold (and above 0, whatever the threshold). The pairing is greedy: the best
/// overlapping pair first, then the best of the boxes left, and so on; ties go to the
/// earlier expected box, then the earlier found box. Greedy can pair fewer boxes than the
/// best pairing (the Hungarian method, O(n³)), but only where one box overlaps two others
/// that barely overlap each other, which at IoU ≥ 0.5 is rare.
///
/// Cost: the found boxes are sorted by their left edge, and each expected box is compared
/// only with those whose left edge lies close enough to overlap it that much; boxes spread
/// over an image cost O((e + f) log f), boxes all on top of each other O(e·f).
public struct BoxMatching: Sendable, Equatable {
    /// An expected box paired with a found one.
    public struct Pair: Sendable, Equatable {
        /// The expected box's index.
        public let expected: Int
        /// The found box's index.
        public let found: Int
        /// How much the two overlap.
        public let iou: Double
    }

    /// The pairs, in the expected boxes' order.
    public let pairs: [Pair]
    /// The indices of the expected boxes no found box paired with, ascending.
    public let missed: [Int]
    /// The indices of the found boxes that paired with no expected box, ascending.
    public let extra: [Int]

    /// Pairs `found` with `expected`. With `ignoringLabels`, boxes pair whatever their
    /// labels.
    public init(expected: [Box], found: [Box], iouThreshold: Double, ignoringLabels: Bool = false) {
        let candidates = Self.candidates(expected, found, iouThreshold: iouThreshold, ignoringLabels: ignoringLabels)
            .sorted { a, b in
                if a.iou != b.iou { return a.iou > b.iou }
                if a.expected != b.expected { return a.expected < b.expected }
                return a.found < b.found
            }
        var expectedPaired = [Bool](repeating: false, count: expected.count)
        var foundPaired = [Bool](repeating: false, count: found.count)
        var pairs: [Pair] = []
        pairs.reserveCapacity(min(expected.count, found.count))
        for candidate in candidates where !expectedPaired[candidate.expected] && !foundPaired[candidate.found] {
            expectedPaired[candidate.expected] = true
            foundPaired[candidate.found] = true
            pairs.append(candidate)
        }
        self.pairs = pairs.sorted { $0.expected < $1.expected }
        self.missed = expectedPaired.indices.filter { !expectedPaired[$0] }
        self.extra = foundPaired.indices.filter { !foundPaired[$0] }
    }

    /// The mean IoU of the pairs; 0 without pairs.
    public var meanIoU: Double {
        pairs.isEmpty ? 0 : pairs.reduce(0) { $0 + $1.iou } / Double(pairs.count)
    }

    /// Every pair of boxes that may pair, in no particular order.
    ///
    /// A found box that overlaps an expected box of width w at IoU ≥ t > 0 is at most w/t
    /// wide (the overlap is at most w wide and at least t times the found box's width), so
    /// its left edge lies less than min(w/t, the widest found box) before the expected
    /// box's, and before the expected box's right edge.
    private static func candidates(_ expected: [Box], _ found: [Box], iouThreshold: Double, ignoringLabels: Bool) -> [Pair] {
        guard !expected.isEmpty, !found.isEmpty else { return [] }
        let byLeft = found.indices.filter { found[$0].hasArea }.sorted { found[$0].x < found[$1].x }
        let lefts = byLeft.map { found[$0].x }
        let widest = byLeft.reduce(0) { max($0, found[$1].w) }
        var candidates: [Pair] = []
        candidates.reserveCapacity(expected.count)
        for (expectedIndex, expectedBox) in expected.enumerated() where expectedBox.hasArea {
            let reach = iouThreshold > 0 ? min(widest, expectedBox.w / iouThreshold) : widest
            var rank = firstIndex(in: lefts, notBelow: expectedBox.x - reach)
            while rank < lefts.count, lefts[rank] < expectedBox.x + expectedBox.w {
                let foundBox = found[byLeft[rank]]
                if ignoringLabels || foundBox.label == expectedBox.label {
                    let iou = expectedBox.iou(with: foundBox)
                    if iou > 0, iou >= iouThreshold {
                        candidates.append(Pair(expected: expectedIndex, found: byLeft[rank], iou: iou))
                    }
                }
                rank += 1
            }
        }
        return candidates
    }

    /// The index of the first of the ascending `values` at or above `bound`.
    private static func firstIndex(in values: [Double], notBelow bound: Double) -> Int {
        var low = 0
        var high = values.count
        while low < high {
            let middle = (low + high) / 2
            if values[middle] < bound { low = middle + 1 } else { high = middle }
        }
        return low
    }
}
