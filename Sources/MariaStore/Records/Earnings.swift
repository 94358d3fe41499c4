/// What a tasker has earned, in the three figures they see: available (approved and paid:
/// what a payout draws on), pending review, and rejected.
public struct Earnings: Sendable {
    /// The balance of the tasker's account.
    public let available: Money
    public let pending: Money
    public let pendingCount: Int
    public let approved: Money
    public let approvedCount: Int
    public let rejected: Money
    public let rejectedCount: Int
}
