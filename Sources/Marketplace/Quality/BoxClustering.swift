import MariaStore

/// A group of boxes, from different results, that mark the same object.
struct BoxCluster {
    /// A box in the cluster and the result it comes from.
    struct Member {
        /// The result's index in the consensus's order.
        let result: Int
        let box: Box
        let weight: Double
    }

    /// The box the cluster stands for, which new boxes are compared with: its anchor, or
    /// the weighted mean of its members' corners (every member overlaps it well, so the
    /// mean is close to the robust average, and costs nothing to keep up to date).
    private(set) var representative: Box
    /// At most one box of each result.
    private(set) var members: [Member] = []
    /// An anchored cluster keeps its representative while boxes join.
    let isAnchored: Bool
    /// The members' corners (left, top, right, bottom) summed by weight, and plainly for
    /// when no weight is positive.
    private var weightedCorners = SIMD4<Double>()
    private var totalWeight = 0.0
    private var corners = SIMD4<Double>()

    /// A cluster that keeps `anchor` as its representative.
    init(anchor: Box) {
        representative = anchor
        isAnchored = true
    }

    /// A cluster started by one box.
    init(first: Member) {
        representative = first.box
        isAnchored = false
        add(first)
    }

    /// Adds a member and moves the representative of an unanchored cluster.
    mutating func add(_ member: Member) {
        members.append(member)
        let box = member.box
        let weight = member.weight.isFinite && member.weight > 0 ? member.weight : 0
        let boxCorners = SIMD4(box.x, box.y, box.x + box.w, box.y + box.h)
        weightedCorners += weight * boxCorners
        corners += boxCorners
        totalWeight += weight
        guard !isAnchored else { return }
        let mean = totalWeight > 0 ? weightedCorners / totalWeight : corners / Double(members.count)
        representative = Box(x: mean[0], y: mean[1], w: mean[2] - mean[0], h: mean[3] - mean[1], label: box.label)
    }

    /// True when at least half of the image's results have a box in the cluster
    /// (`2 * members >= resultCount`): 2 of 4 is an object, 1 of 3 is not. A result that
    /// marked nothing counts in `resultCount` as one without a box here.
    func isSupported(amongResults resultCount: Int) -> Bool {
        2 * members.count >= resultCount
    }

    /// The robust average of the members' boxes (`Box.robustAverage`), with `label`.
    func average(label: String) -> Box {
        Box.robustAverage(of: members.map(\.box), weights: members.map(\.weight), label: label)
    }
}

/// Groups the boxes of one label that several results drew into clusters, one cluster
/// per object, at most one box of each result in a cluster.
///
/// The results are taken in order. A result's boxes pair with the clusters' representatives
/// through `BoxMatching` (IoU ≥ the threshold, best overlap first), so a tasker who split
/// one object into two boxes gives the cluster only the better fitting one; a box that
/// pairs with no cluster starts one.
///
/// `refined` runs this twice: the second pass starts from the supported clusters of the
/// first, anchored at their robust average, so every result is compared with the same
/// boxes and the order of the results matters far less.
///
/// Cost: each pass pairs every result's boxes with the label's clusters (`BoxMatching`).
struct BoxClustering {
    let label: String
    /// The label's boxes in each result, in the consensus's order of the results.
    let boxesByResult: [[Box]]
    /// Each result's weight.
    let weights: [Double]
    let iouThreshold: Double
    /// All the image's results, including those without a box of the label.
    let resultCount: Int

    /// The clusters after two passes, the second anchored at the supported clusters of the
    /// first.
    func refined() -> [BoxCluster] {
        let anchors = pass(anchoredAt: []).filter { $0.isSupported(amongResults: resultCount) }
            .map { $0.average(label: label) }
        return pass(anchoredAt: anchors)
    }

    /// One pass over the results; clusters that no box joined are left out.
    func pass(anchoredAt anchors: [Box]) -> [BoxCluster] {
        var clusters = anchors.map { BoxCluster(anchor: $0) }
        for (result, boxes) in boxesByResult.enumerated() where !boxes.isEmpty {
            let matching = BoxMatching(
                expected: clusters.map(\.representative), found: boxes, iouThreshold: iouThreshold)
            for pair in matching.pairs {
                clusters[pair.expected].add(BoxCluster.Member(result: result, box: boxes[pair.found], weight: weights[result]))
            }
            for index in matching.extra {
                clusters.append(BoxCluster(first: BoxCluster.Member(result: result, box: boxes[index], weight: weights[result])))
            }
        }
        return clusters.filter { !$0.members.isEmpty }
    }
}
