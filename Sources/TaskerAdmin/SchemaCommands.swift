import ArgumentParser
import Foundation
import MariaStore
import Routes

/// The schema and the route table.

struct Migrate: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Apply the schema migrations not applied yet, and the stored routines that changed.")
    @OptionGroup var instance: InstanceOptions
    @Option(help: "The folder of NNN_name.sql files and of routines/NAME.sql (default: sql/ of the checkout).")
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

struct ListRoutes: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "routes", abstract: "Print the route table: one \"METHOD /path/{param}\" a line.")
    /// Accepted like every command's, though the route table needs no instance.
    @OptionGroup var instance: InstanceOptions

    func run() throws {
        for route in RouteTable.router().routes { print("\(route.method) \(route.pattern)") }
    }
}
