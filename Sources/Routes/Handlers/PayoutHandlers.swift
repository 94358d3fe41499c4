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
        let payout = try PayoutDesk(store: context.store).request(
            taskerID: tasker.id, amount: input.amount, address: input.address)
        return try .json(PayoutView(payout), status: 201)
    }

    static func list(_ context: RequestContext) throws -> Response {
        let user = try context.requireUser()
        return try .json(ItemsView(items: try context.store.payouts.list(userID: user.id).map(PayoutView.init)))
    }
}
