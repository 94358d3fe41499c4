import Foundation
import MariaStore
import Marketplace

/// `GET /api/jobs/{jobId}/tasks/{taskId}/consensus`.
struct ConsensusView: Encodable {
    struct ConsensusBoxView: Encodable {
        let x: Double
        let y: Double
        let w: Double
        let h: Double
        let label: String
        /// Share of the results with a box in it, their mean IoU with it, and the product.
        let share: Double
        let meanIoU: Double
        let score: Double
        let trainIds: [Int64]
    }

    struct ResultView: Encodable {
        let trainId: Int64
        let taskerId: Int64
        let state: ResultState
        let matched: Int
        let missed: Int
        let extra: Int
        let meanIoU: Double
        let agreement: Double
        let verdict: String?
    }

    let taskId: Int64
    let resultCount: Int
    let agreement: Double
    let qualityDone: Bool
    let boxes: [ConsensusBoxView]
    let results: [ResultView]

    init(task: TaskRecord, results: [Train], consensus: Consensus) {
        taskId = task.id
        resultCount = consensus.resultCount
        agreement = consensus.agreement
        qualityDone = task.qualityDone
        boxes = consensus.boxes.map {
            ConsensusBoxView(
                x: $0.box.x, y: $0.box.y, w: $0.box.w, h: $0.box.h, label: $0.box.label, share: $0.share,
                meanIoU: $0.meanIoU, score: $0.score, trainIds: $0.trainIDs)
        }
        self.results = zip(results, consensus.results).map { train, agreement in
            ResultView(
                trainId: train.id, taskerId: train.taskerID, state: train.state, matched: agreement.matched,
                missed: agreement.missed, extra: agreement.extras, meanIoU: agreement.meanIoU,
                agreement: agreement.weightedF1, verdict: train.agreementNote)
        }
    }
}

/// One row of `GET /api/jobs/{jobId}/taskers`.
struct TaskerQualityView: Encodable {
    struct BlockView: Encodable {
        let allJobs: Bool
        let reason: String
        let byRequester: Bool
        let at: Date
    }

    let taskerId: Int64
    let taskerName: String
    let pending: Int
    let approved: Int
    let rejected: Int
    let goldAnswers: Int
    let accuracy: Double?
    let agreement: Double?
    let blocked: BlockView?

    init(_ row: TaskerQuality) {
        taskerId = row.taskerID
        taskerName = row.taskerName
        pending = row.pending
        approved = row.approved
        rejected = row.rejected
        goldAnswers = row.goldAnswers
        accuracy = row.accuracy
        agreement = row.agreement
        blocked = row.block.map {
            BlockView(allJobs: $0.jobID == nil, reason: $0.reason, byRequester: $0.byRequester, at: $0.createdAt)
        }
    }
}

/// What a block did.
struct BlockView: Encodable {
    let allJobs: Bool
    let leasesEnded: Int
    let resultsRejected: Int
}

/// `GET /api/me/accuracy`.
struct MyAccuracyView: Encodable {
    struct JobView: Encodable {
        let jobId: Int64
        let jobTitle: String
        let goldAnswers: Int
        let accuracy: Double
        let blockedReason: String?
    }

    struct FailedCheckView: Encodable {
        let trainId: Int64
        let jobId: Int64
        let taskId: Int64
        let imageUrl: String
        /// The answer's F1 against the known boxes, with its precision and recall.
        let score: Double
        let precision: Double
        let recall: Double
        let missed: [Box]
        let extra: [Box]
        let at: Date
    }

    let goldAnswers: Int
    let accuracy: Double?
    let jobs: [JobView]
    let failedChecks: [FailedCheckView]

    init(_ accuracy: MyAccuracy) {
        goldAnswers = accuracy.goldAnswers
        self.accuracy = accuracy.accuracy
        jobs = accuracy.jobs.map {
            JobView(
                jobId: $0.jobID, jobTitle: $0.jobTitle, goldAnswers: $0.goldAnswers, accuracy: $0.accuracy,
                blockedReason: $0.blockedReason)
        }
        failedChecks = accuracy.failedChecks.map {
            FailedCheckView(
                trainId: $0.trainID, jobId: $0.jobID, taskId: $0.taskID, imageUrl: "/api/tasks/\($0.taskID)/image",
                score: $0.f1, precision: $0.precision, recall: $0.recall, missed: $0.missed, extra: $0.extra, at: $0.at)
        }
    }
}
