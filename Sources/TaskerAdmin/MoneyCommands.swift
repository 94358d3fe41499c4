import ArgumentParser
import Foundation
import MariaStore
import Marketplace

/// Money: credits from outside, and the check that balances agree with the ledger.

struct Credit: ParsableCommand {
    static let configuration = CommandConfiguration(abstract: "Add money to a user's balance (recorded in the ledger).")
    @OptionGroup var instance: InstanceOptions
    @Argument(help: "The user's email.") var email: String
    @Argument(help: "The amount, such as 25.00.") var amount: String
    @Option(help: "A note kept with the ledger entry.") var memo: String?

    /// The most one credit adds (the largest budget a job may have).
    static let maxAmount = Money(cents: 100_000_000_00)

    func run() throws {
        guard let money = Money(amount), money > .zero, money <= Credit.maxAmount else {
            throw ValidationError("\(amount) is not an amount from 0.01 to \(Credit.maxAmount), like 25.00")
        }
        let store = try instance.store()
        let email = try Accounts.normalizedEmail(self.email)
        guard let user = try store.users.find(email: email) else { throw AdminFailure("no user with the email \(email)") }
        try store.ledger.credit(userID: user.id, amount: money, memo: memo ?? "admin credit")
        print("Credited \(money) to \(user.email); balance \(try store.users.find(id: user.id)!.balance).")
    }
}

struct Audit: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract:
            "Check that every balance agrees with the ledger, every escrow with its slots, every task's slots with its leases and results, and every approved result with the entry that paid it."
    )
    @OptionGroup var instance: InstanceOptions

    func run() throws {
        let problems = try instance.store().ledger.disagreements()
        if problems.isEmpty {
            print("Every balance agrees with the ledger; every escrow holds its slots' bounties; every approved result is paid.")
            return
        }
        for problem in problems { print(problem) }
        throw ExitCode(1)
    }
}
