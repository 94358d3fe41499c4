import Foundation

/// How one tasker works in one job, as its requester sees it.
public struct TaskerQuality: Sendable {
    public let taskerID: Int64
    public let taskerName: String
    public let pending: Int
    public let approved: Int
    public let rejected: Int
    /// Answers on the job's gold images, and their mean f1 (nil without any).
    public let goldAnswers: Int
    public let accuracy: Double?
    /// Mean agreement of the tasker's assessed results with their images' consensus.
    public let agreement: Double?
    /// The block that holds in this job, if any (the job's own, else the all-jobs one).
    public let block: TaskerBlock?
}

/// A tasker's own accuracy on gold images, per job and in all, with the checks they failed.
public struct MyAccuracy: Sendable {
    public struct Job: Sendable {
        public let jobID: Int64
        public let jobTitle: String
        public let goldAnswers: Int
        public let accuracy: Double
        /// Why the tasker may no longer work there, if so.
        public let blockedReason: String?
    }

    /// A gold answer that did not pass, with what the tasker missed and added.
    public struct FailedCheck: Sendable {
        public let trainID: Int64
        public let jobID: Int64
        public let taskID: Int64
        /// The answer's precision and recall against the known boxes, and their F1.
        public let precision: Double
        public let recall: Double
        public let f1: Double
        public let missed: [Box]
        public let extra: [Box]
        public let at: Date
    }

    public let goldAnswers: Int
    public let accuracy: Double?
    public let jobs: [Job]
    public let failedChecks: [FailedCheck]
}
