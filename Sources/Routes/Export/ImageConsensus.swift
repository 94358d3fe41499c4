import Foundation
import MariaStore
import Marketplace

/// What a consensus export gives one image: one set of boxes with a score each. For an
/// ordinary image, its results' consensus (`Consensus`, each tasker weighed by their
/// accuracy on the job's gold images); for a gold image, its known boxes (score 1).
struct ImageConsensus {
    struct ScoredBox {
        let box: Box
        /// The consensus box's `score` (share of the results that agree x their mean IoU with it).
        let score: Double
        /// The share of the results with a box in it, and their mean IoU with it.
        let share: Double
        let meanIoU: Double
    }

    let boxes: [ScoredBox]
    /// The agreement of the image's results (nil for a gold image, or one without results).
    let agreement: Double?
    let resultCount: Int
    let gold: Bool

    init(task: TaskRecord, results: [ExportResult], weights: [Int64: Double], iouThreshold: Double) {
        resultCount = results.count
        if let gold = task.goldAnswer {
            boxes = gold.boxes.map { ScoredBox(box: $0, score: 1, share: 1, meanIoU: 1) }
            agreement = nil
            self.gold = true
            return
        }
        gold = false
        guard !results.isEmpty else {
            boxes = []
            agreement = nil
            return
        }
        let consensus = Consensus(
            results.map {
                ConsensusInput(
                    trainID: $0.trainID, taskerID: $0.taskerID, boxes: $0.boxes, nothingToMark: $0.nothingToMark,
                    weight: Assessor.weight(weights[$0.taskerID]))
            }, iouThreshold: iouThreshold)
        boxes = consensus.boxes.map { ScoredBox(box: $0.box, score: $0.score, share: $0.share, meanIoU: $0.meanIoU) }
        agreement = consensus.agreement
    }
}

/// `?results=`: each tasker's results as handed in (`raw`, the default), or one set of
/// boxes per image (`consensus`).
enum ExportResults: String, CaseIterable, Sendable {
    case raw, consensus

    init(query value: String?) throws {
        guard let value, !value.isEmpty else {
            self = .raw
            return
        }
        guard let results = ExportResults(rawValue: value.lowercased()) else {
            throw APIError.invalid("results must be raw or consensus.", code: "unknown_results")
        }
        self = results
    }
}
