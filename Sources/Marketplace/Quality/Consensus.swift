import MariaStore

/// What the results on one image agree on: the objects at least half of them marked, each
/// with one robust box, and how far each result and the image as a whole agree with that.
///
/// The results are taken in the order of their ids. For each label, their boxes are
/// grouped into clusters, one per object and at most one box of each result in a cluster
/// (`BoxClustering`, two passes). A cluster is an object of the consensus when at least
/// half of the results have a box in it (`2 * members >= resultCount`); its box is the
/// robust average of the members' boxes, weighted by the taskers' weights. A result that
/// marked nothing is a result without a box in any cluster: when more than half of the
/// results marked nothing, no cluster is kept and the consensus is empty (on a tie, the
/// objects half of the results marked stay).
///
/// Each result is then compared with the consensus (`ResultAgreement`), itself included:
/// with few results a tasker's own box moves the consensus towards it, which is why the
/// box is a median rather than a mean from 3 results on.
///
/// Cost: tens of microseconds for 5 results of 5 boxes. For n boxes of one label, boxes
/// spread over the image cost about O(n log n) (`BoxMatching` compares only boxes near
/// each other), boxes piled on one another O(n²) at worst; a result holds at most 500.
public struct Consensus: Sendable {
    /// The objects, by label (in the order the labels first appear), then in the order
    /// their clusters formed.
    public let boxes: [ConsensusBox]
    /// The results the consensus was computed from.
    public let resultCount: Int
    /// The IoU two boxes need to mark the same object.
    public let iouThreshold: Double
    /// How each result agrees with the consensus, in the order of their ids.
    public let results: [ResultAgreement]
    /// How far the image's results agree, from 0 to 1: the mean of their weighted F1
    /// against the consensus (`ResultAgreement.weightedF1`). Results that all mark the
    /// same boxes get close to 1 (exactly 1 only when the boxes are identical); results
    /// that all marked nothing get 1. A single result agrees with itself, so its image gets
    /// 1: callers that need more than one opinion look at `resultCount`. No result: 0.
    public let agreement: Double
    /// The objects one more result could still decide: marked by fewer than half of the
    /// results but by enough that one more mark would make half, or by exactly half (a
    /// tie, kept; one more result without it would drop it). 1 of 3 is undecided, 1 of 4
    /// is not (a fifth mark makes 2 of 5), 2 of 4 is.
    public let undecided: Int

    /// The consensus of `results`, the results on one image, at the job's IoU threshold.
    public init(_ results: [ConsensusInput], iouThreshold: Double = QualityDefaults.iouThreshold) {
        let ordered = results.enumerated()
            .sorted { ($0.element.trainID, $0.offset) < ($1.element.trainID, $1.offset) }
            .map(\.element)
        var boxes: [ConsensusBox] = []
        var undecided = 0
        for (label, boxesByResult) in Self.boxesByLabel(of: ordered) {
            let clustering = BoxClustering(
                label: label, boxesByResult: boxesByResult, weights: ordered.map(\.weight), iouThreshold: iouThreshold,
                resultCount: ordered.count)
            let clusters = clustering.refined()
            undecided += clusters.filter { Self.isUndecided(marks: $0.members.count, amongResults: ordered.count) }.count
            for cluster in clusters where cluster.isSupported(amongResults: ordered.count) {
                let box = cluster.average(label: label)
                let fit = cluster.members.reduce(0) { $0 + $1.box.iou(with: box) } / Double(cluster.members.count)
                boxes.append(
                    ConsensusBox(
                        box: box, trainIDs: cluster.members.map { ordered[$0.result].trainID }.sorted(),
                        share: Double(cluster.members.count) / Double(ordered.count), meanIoU: fit))
            }
        }
        self.boxes = boxes
        self.undecided = undecided
        self.resultCount = ordered.count
        self.iouThreshold = iouThreshold
        self.results = ordered.map { ResultAgreement($0, consensus: boxes.map(\.box), iouThreshold: iouThreshold) }
        self.agreement = ordered.isEmpty ? 0 : self.results.reduce(0) { $0 + $1.weightedF1 } / Double(ordered.count)
    }

    /// How `result` agrees with the consensus: one of the image's results, or one that
    /// came after the consensus was computed.
    public func agreement(of result: ConsensusInput) -> ResultAgreement {
        ResultAgreement(result, consensus: boxes.map(\.box), iouThreshold: iouThreshold)
    }

    /// True when one more result could keep or drop an object `marks` of `resultCount`
    /// results marked (see `undecided`).
    static func isUndecided(marks: Int, amongResults resultCount: Int) -> Bool {
        2 * marks == resultCount || (2 * marks < resultCount && 2 * (marks + 1) >= resultCount + 1)
    }

    /// Each label's boxes in each result, the labels in the order they first appear; boxes
    /// without area are left out.
    private static func boxesByLabel(of results: [ConsensusInput]) -> [(label: String, boxes: [[Box]])] {
        var labels: [String] = []
        var boxesByLabel: [String: [[Box]]] = [:]
        for (index, result) in results.enumerated() {
            for box in result.boxes where box.hasArea {
                if boxesByLabel[box.label] == nil {
                    labels.append(box.label)
                    boxesByLabel[box.label] = [[Box]](repeating: [], count: results.count)
                }
                boxesByLabel[box.label]![index].append(box)
            }
        }
        return labels.map { ($0, boxesByLabel[$0]!) }
    }
}
