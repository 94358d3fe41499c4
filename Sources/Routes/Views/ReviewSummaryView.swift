import MariaStore

/// `GET /api/jobs/{jobId}/review`.
struct ReviewSummaryView: Encodable {
    struct Figure: Encodable {
        let count: Int
        let amount: Money
    }

    struct Tasker: Encodable {
        let taskerId: Int64
        let taskerName: String
        let pending: Int
        let approved: Int
        let rejected: Int
        let pendingAmount: Money
    }

    let jobId: Int64
    let autoApproveAfterHours: Int
    let pending: Figure
    let approved: Figure
    let rejected: Figure
    let taskers: [Tasker]

    init(_ summary: ReviewSummary) {
        func figure(_ state: ResultState) -> Figure {
            let value = summary.byState[state]
            return Figure(count: value?.count ?? 0, amount: value?.amount ?? .zero)
        }
        jobId = summary.jobID
        autoApproveAfterHours = summary.autoApproveAfterHours
        pending = figure(.pending)
        approved = figure(.approved)
        rejected = figure(.rejected)
        taskers = summary.taskers.map {
            Tasker(
                taskerId: $0.taskerID, taskerName: $0.taskerName, pending: $0.pending, approved: $0.approved,
                rejected: $0.rejected, pendingAmount: $0.pendingAmount)
        }
    }
}
