/// A job's results by review state and by tasker, for the requester's review screen.
public struct ReviewSummary: Sendable {
    public struct Figure: Sendable {
        public let count: Int
        public let amount: Money
    }

    public struct Tasker: Sendable {
        public let taskerID: Int64
        public let taskerName: String
        public let pending: Int
        public let approved: Int
        public let rejected: Int
        public let pendingAmount: Money
    }

    public let jobID: Int64
    public let autoApproveAfterHours: Int
    public let byState: [ResultState: Figure]
    /// The taskers with the most pending results first (at most `Settlements.taskerLimit`).
    public let taskers: [Tasker]
}
