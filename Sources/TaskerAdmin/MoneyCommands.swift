import ArgumentParser
import Foundation
import MariaStore
import Routes

/// Money: credits from outside, and the check that balances agree with the ledger.

struct Credit: ParsableCommand {
    static let configuration = CommandConfiguration(abstract: "Add money to a user's balance (recorded in the ledger).")
    @OptionGroup var instance: InstanceOptions
    @Argument(help: "The user's email.") var email: String
    @Argument(help: "The amount, such as 25.00.") var amount: String
    @Option(help: "A note kept with the ledger entry.") var memo: String?

    func run() throws {
        guard let money = Money(amount), money > .zero else { throw ValidationError("\(amount) is not a positive amount like 25.00") }
        let store = try instance.store()
        guard let user = try store.users.find(email: email.lowercased()) else { throw ValidationError("no user \(email)") }
        try store.ledger.credit(userID: user.id, amount: money, memo: memo ?? "admin credit")
        print("Credited \(money) to \(user.email); balance \(try store.users.find(id: user.id)!.balance).")
    }
}

struct Audit: ParsableCommand {
    static let configuration = CommandConfiguration(abstract: "Check that every balance agrees with the ledger.")
    @OptionGroup var instance: InstanceOptions

    func run() throws {
        let problems = try instance.store().ledger.disagreements()
        if problems.isEmpty { print("Every balance agrees with the ledger.") ; return }
        problems.forEach { print($0) }
        throw ExitCode(1)
    }
}
