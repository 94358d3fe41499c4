import MariaStore
import Marketplace

/// Taskers ask to be paid out; the amount is held until an admin decides.
enum PayoutHandlers {
    struct PayoutInput: Decodable {
        let amount: Money
        let address: String
    }

    static func request(_ context: RequestContext) throws -> Response {
        let tasker = try context.require(.tasker)
        let input = try context.decode(PayoutInput.self)
        return try .json(
            PayoutView(
                try requestPayout(
                    context.store, taskerID: tasker.id, amount: input.amount,
                    address: input.address)), status: 201)
    }

    /// Checks a payout request and holds its amount; shared with the legacy RequestPayment.
    static func requestPayout(_ store: Store, taskerID: Int64, amount: Money, address rawAddress: String) throws -> Payout {
        let address = rawAddress.trimmingCharacters(in: .whitespacesAndNewlines)
        guard amount > .zero else {
            throw APIError.invalid("There is nothing to pay out: the amount must be more than 0.00.", code: "invalid_amount")
        }
        guard (1...200).contains(address.unicodeScalars.count), TextRules.isPlainToken(address) else {
            throw APIError.invalid(
                "The address must be 1 to 200 characters without spaces, control or invisible characters.",
                code: "invalid_address")
        }
        return try store.payouts.request(userID: taskerID, amount: amount, address: address)
    }

    static func list(_ context: RequestContext) throws -> Response {
        let user = try context.requireUser()
        return try .json(ItemsView(items: try context.store.payouts.list(userID: user.id).map(PayoutView.init)))
    }
}
