import ArgumentParser
import Foundation
import MariaStore
import Marketplace

/// tasker-admin: administration of a TrainTasker instance from the command line, against
/// the database named by the worker's configuration file. One command per file by subject:
/// SchemaCommands, AccountCommands, MoneyCommands, PayoutCommands, JobCommands.
struct TaskerAdmin: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "tasker-admin",
        abstract: "Administer a TrainTasker instance: schema, admins, credits, payouts.",
        subcommands: [
            Migrate.self, CreateAdmin.self, Credit.self, Jobs.self, Payouts.self,
            MarkPaid.self, RejectPayout.self, Audit.self,
        ])

    /// Accepts `--config PATH` before the command name too (`tasker-admin --config c.json migrate`).
    static func main() {
        var arguments = Array(CommandLine.arguments.dropFirst())
        if let index = arguments.firstIndex(of: "--config"), index + 1 < arguments.count,
            let command = arguments.firstIndex(where: { !$0.hasPrefix("-") && $0 != arguments[index + 1] }), index < command
        {
            let option = Array(arguments[index...index + 1])
            arguments.removeSubrange(index...index + 1)
            arguments += option
        }
        do {
            var command = try parseAsRoot(arguments)
            try command.run()
        } catch {
            exit(withError: AdminFailure.from(error))
        }
    }
}

struct InstanceOptions: ParsableArguments {
    @Option(help: "The worker's configuration file (default: $TASKER_CONFIG or var/config.json).")
    var config: String?

    func serverConfig() throws -> ServerConfig {
        let path = config ?? ProcessInfo.processInfo.environment["TASKER_CONFIG"] ?? "var/config.json"
        guard FileManager.default.isReadableFile(atPath: path) else {
            throw AdminFailure("cannot read the configuration \(path): no such file, or not readable (give --config PATH)")
        }
        do { return try ServerConfig.load(path: path) } catch {
            throw AdminFailure(
                "the configuration \(path) is not a TrainTasker configuration (JSON): \(error.localizedDescription)")
        }
    }

    func store(multipleStatements: Bool = false) throws -> Store {
        Store(try Connection(options: try serverConfig().database, allowsMultipleStatements: multipleStatements))
    }
}
