import ArgumentParser
import Foundation
import MariaStore
import Routes

/// tasker-admin: administration of a TrainTasker instance from the command line.
@main
struct TaskerAdmin: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "tasker-admin",
        abstract: "Administer a TrainTasker instance: schema, admins, credits, payouts.",
        subcommands: [Migrate.self, CreateAdmin.self, Credit.self, Jobs.self, Payouts.self,
                      MarkPaid.self, RejectPayout.self, Audit.self, ListRoutes.self])

    /// Accepts `--config PATH` before the command name too (`tasker-admin --config c.json migrate`).
    static func main() {
        var arguments = Array(CommandLine.arguments.dropFirst())
        if let index = arguments.firstIndex(of: "--config"), index + 1 < arguments.count,
           let command = arguments.firstIndex(where: { !$0.hasPrefix("-") && $0 != arguments[index + 1] }), index < command {
            let option = Array(arguments[index...index + 1])
            arguments.removeSubrange(index...index + 1)
            arguments += option
        }
        main(arguments)
    }
}

/// Options every command takes.
struct InstanceOptions: ParsableArguments {
    @Option(help: "The worker's configuration file (default: $TASKER_CONFIG or var/config.json).")
    var config: String?

    func serverConfig() throws -> ServerConfig {
        let path = config ?? ProcessInfo.processInfo.environment["TASKER_CONFIG"] ?? "var/config.json"
        do { return try ServerConfig.load(path: path) } catch {
            throw ValidationError("cannot read the configuration \(path): \(error)")
        }
    }

    func store(multipleStatements: Bool = false) throws -> Store {
        Store(try Connection(options: try serverConfig().database, allowsMultipleStatements: multipleStatements))
    }
}

struct Migrate: ParsableCommand {
    static let configuration = CommandConfiguration(abstract: "Apply the schema migrations not applied yet.")
    @OptionGroup var instance: InstanceOptions
    @Option(help: "The folder of NNN_name.sql files (default: sql/ of the checkout).")
    var sql: String?

    func run() throws {
        let folder = sql.map { URL(fileURLWithPath: $0) } ?? Migrate.defaultFolder()
        let applied = try Migrator(directory: folder).migrate(try instance.store(multipleStatements: true).db)
        print(applied.isEmpty ? "The schema is up to date." : "Applied: \(applied.joined(separator: ", "))")
    }

    /// sql/ next to the current folder, or of the checkout that holds this binary.
    static func defaultFolder() -> URL {
        let candidates = [URL(fileURLWithPath: FileManager.default.currentDirectoryPath).appendingPathComponent("sql")]
            + (1...4).map { depth in
                (0..<depth).reduce(URL(fileURLWithPath: CommandLine.arguments[0]).resolvingSymlinksInPath()) { url, _ in
                    url.deletingLastPathComponent()
                }.deletingLastPathComponent().appendingPathComponent("sql")
            }
        return candidates.first { FileManager.default.fileExists(atPath: $0.appendingPathComponent("001_users.sql").path) }
            ?? candidates[0]
    }
}

struct CreateAdmin: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "create-admin",
        abstract: "Create an admin account, or make an existing account an admin.",
        discussion: "The password is read from $TASKER_ADMIN_PASSWORD; without it a random one is made and printed once.")
    @OptionGroup var instance: InstanceOptions
    @Argument(help: "The admin's email.") var email: String

    func run() throws {
        let config = try instance.serverConfig()
        let store = try instance.store()
        let email = self.email.trimmingCharacters(in: .whitespaces).lowercased()
        if let user = try store.users.find(email: email) {
            try store.users.setRole(userID: user.id, role: .admin)
            print("\(email) is now an admin.")
            return
        }
        var password = ProcessInfo.processInfo.environment["TASKER_ADMIN_PASSWORD"] ?? ""
        let generated = password.isEmpty
        if generated { password = String(SessionToken.generate().prefix(20)) }
        let hasher = Services(config: config).passwords
        _ = try store.users.create(email: email, screenName: "admin", passwordHash: try hasher.hash(password), role: .admin)
        print("Created the admin \(email).")
        if generated { print("Password (shown once): \(password)") }
    }
}

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

struct Jobs: ParsableCommand {
    static let configuration = CommandConfiguration(abstract: "List the jobs.")
    @OptionGroup var instance: InstanceOptions

    func run() throws {
        print(["id", "state", "requester", "name", "bounty", "budget", "left", "images", "trains"].joined(separator: "\t"))
        for job in try instance.store().jobs.all() {
            print(["\(job.id)", job.state.rawValue, "\(job.requesterID)", job.name, "\(job.bounty)", "\(job.budget)",
                   "\(job.budgetLeft)", "\(job.imageCount)", "\(job.trainCount)"].joined(separator: "\t"))
        }
    }
}

struct Payouts: ParsableCommand {
    static let configuration = CommandConfiguration(abstract: "List payout requests, waiting ones first.")
    @OptionGroup var instance: InstanceOptions
    @Flag(help: "Only those waiting for a decision.") var waiting = false

    func run() throws {
        let store = try instance.store()
        print(["id", "state", "user", "amount", "address", "reference", "requested"].joined(separator: "\t"))
        for payout in try store.payouts.all(state: waiting ? .requested : nil) {
            let email = try store.users.find(id: payout.userID)?.email ?? "?"
            print(["\(payout.id)", payout.state.rawValue, email, "\(payout.amount)", payout.address,
                   payout.reference ?? "", ISO8601DateFormatter().string(from: payout.createdAt)].joined(separator: "\t"))
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
        print("Payout \(payout.id) of \(payout.amount) is paid (\(reference)).")
    }
}

struct RejectPayout: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "reject-payout",
                                                    abstract: "Reject a payout; the amount returns to the tasker.")
    @OptionGroup var instance: InstanceOptions
    @Argument(help: "The payout's id.") var id: Int64

    func run() throws {
        let payout = try instance.store().payouts.reject(id: id)
        print("Payout \(payout.id) rejected; \(payout.amount) returned.")
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

struct ListRoutes: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "routes", abstract: "Print the route table: one \"METHOD /path/{param}\" a line.")
    /// Accepted like every command's, though the route table needs no instance.
    @OptionGroup var instance: InstanceOptions

    func run() throws {
        for route in RouteTable.router().routes { print("\(route.method) \(route.pattern)") }
    }
}
