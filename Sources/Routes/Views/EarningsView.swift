import MariaStore

/// `GET /api/me/earnings`: what a tasker has earned, in three figures.
struct EarningsView: Encodable {
    let available: Money
    let pending: Money
    let pendingCount: Int
    let approved: Money
    let approvedCount: Int
    let rejected: Money
    let rejectedCount: Int

    init(_ earnings: Earnings) {
        available = earnings.available
        pending = earnings.pending
        pendingCount = earnings.pendingCount
        approved = earnings.approved
        approvedCount = earnings.approvedCount
        rejected = earnings.rejected
        rejectedCount = earnings.rejectedCount
    }
}
