import MariaStore

/// What a review decision did, or would do.
struct DecisionView: Encodable {
    let action: String
    let preview: Bool
    let count: Int
    let amount: Money
    let skipped: Int

    init(action: String, preview: Bool, _ outcome: Settlements.Outcome) {
        self.action = action
        self.preview = preview
        count = outcome.count
        amount = outcome.amount
        skipped = outcome.skipped
    }
}
