import MariaStore

/// Taskers ask to be paid out; the amount is held until an admin decides.
enum PayoutHandlers {
    struct PayoutInput: Decodable {
        let amount: Money
        let address: String
    }

    static func request(_ context: RequestContext) throws -> Response {
        let tasker = try context.require(.tasker)
        let input = try context.decode(PayoutInput.self)
        let address = input.address.trimmingCharacters(in: .whitespacesAndNewlines)
        guard input.amount > .zero else { throw APIError.invalid("amount must be more than 0.00.", code: "invalid_amount") }
        guard (1...200).contains(address.count), !address.contains(where: { $0.isWhitespace || $0.isNewline }) else {
            throw APIError.invalid("address must be 1 to 200 characters without spaces.", code: "invalid_address")
        }
        return try .json(PayoutView(try context.store.payouts.request(userID: tasker.id, amount: input.amount, address: address)),
                         status: 201)
    }

    static func list(_ context: RequestContext) throws -> Response {
        let user = try context.requireUser()
        return try .json(ItemsView(items: try context.store.payouts.list(userID: user.id).map(PayoutView.init)))
    }
}
