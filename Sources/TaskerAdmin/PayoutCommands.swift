import ArgumentParser
import Foundation
import MariaStore

/// Taskers' payout requests and their decisions.

struct Payouts: ParsableCommand {
    static let configuration = CommandConfiguration(abstract: "List payout requests, waiting ones first.")
    @OptionGroup var instance: InstanceOptions
    @Flag(help: "Only those waiting for a decision.") var waiting = false

    func run() throws {
        let store = try instance.store()
        let payouts = try store.payouts.all(state: waiting ? .requested : nil)
        print(["id", "state", "user", "amount", "address", "reference", "requested"].joined(separator: "\t"))
        for payout in payouts {
            let email = try store.users.find(id: payout.userID)?.email ?? "?"
            print(
                [
                    "\(payout.id)", payout.state.rawValue, TerminalText.shown(email), "\(payout.amount)",
                    TerminalText.shown(payout.address), TerminalText.shown(payout.reference ?? ""),
                    ISO8601DateFormatter().string(from: payout.createdAt),
                ].joined(separator: "\t"))
        }
    }
}

struct MarkPaid: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "mark-paid", abstract: "Mark a payout as paid.")
    @OptionGroup var instance: InstanceOptions
    @Argument(help: "The payout's id.") var id: Int64
    @Argument(help: "The payment's reference (a transaction id).") var reference: String

    func run() throws {
        let payout = try instance.store().payouts.markPaid(id: id, reference: reference)
        print("Payout \(payout.id) of \(payout.amount) is paid (\(payout.reference ?? "")).")
    }
}

struct RejectPayout: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "reject-payout",
        abstract: "Reject a payout; the amount returns to the tasker.")
    @OptionGroup var instance: InstanceOptions
    @Argument(help: "The payout's id.") var id: Int64

    func run() throws {
        let payout = try instance.store().payouts.reject(id: id)
        print("Payout \(payout.id) rejected; \(payout.amount) returned.")
    }
}
