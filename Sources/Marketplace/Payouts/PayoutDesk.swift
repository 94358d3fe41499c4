import Foundation
import MariaStore

/// Taskers ask to be paid out to an address of their choosing; the amount is held at once
/// and an admin then marks it paid or rejects it (`Payouts`). The rules of a request are
/// here, for the JSON API and the legacy RequestPayment alike.
public struct PayoutDesk {
    let store: Store

    public init(store: Store) { self.store = store }

    /// An address is 1 to this many characters.
    public static let maxAddressLength = 200

    /// Holds `amount` of the tasker's available balance for a payout to `address` (spaces
    /// around it dropped): more than zero, no more than the balance, to an address without
    /// spaces, control or invisible characters.
    public func request(taskerID: Int64, amount: Money, address rawAddress: String) throws -> Payout {
        let address = rawAddress.trimmingCharacters(in: .whitespacesAndNewlines)
        guard amount > .zero else {
            throw MarketError(
                .invalid, "invalid_amount", "There is nothing to pay out: the amount must be more than 0.00.")
        }
        guard (1...PayoutDesk.maxAddressLength).contains(address.unicodeScalars.count), TextRules.isPlainToken(address)
        else {
            throw MarketError(
                .invalid, "invalid_address",
                "The address must be 1 to \(PayoutDesk.maxAddressLength) characters without spaces, control or invisible characters."
            )
        }
        return try store.payouts.request(userID: taskerID, amount: amount, address: address)
    }
}
