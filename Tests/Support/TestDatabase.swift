import Foundation
import MariaStore
import Marketplace

/// A fresh database on the MariaDB server that `make test` starts, migrated with sql/.
/// The server is found through the config file named by `TASKER_TEST_CONFIG`; without it
/// the tests fail (they never skip). Each test case gets its own database, dropped at the end.
public final class TestDatabase {
    public let options: ConnectionOptions
    public let name: String
    private let admin: Connection

    public init() throws {
        let config = try TestDatabase.serverConfig()
        name = "tt_store_\(UInt32.random(in: 0...UInt32.max))"
        var options = config.database
        options.name = ""
        admin = try Connection(options: options, allowsMultipleStatements: true)
        try admin.query("CREATE DATABASE `\(name)` CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci")
        options.name = name
        self.options = options
        let migrating = try Connection(options: options, allowsMultipleStatements: true)
        try Migrator(directory: TestDatabase.sqlFolder).migrate(migrating)
    }

    deinit {
        try? admin.query("DROP DATABASE IF EXISTS `\(name)`")
    }

    /// Thrown (a test failure, never a skip) when no test server is configured.
    public struct NotConfigured: Error, CustomStringConvertible {
        public let description = "TASKER_TEST_CONFIG is not set: run the tests with `make test`, which starts MariaDB"
    }

    /// The configuration of the server `make test` started (`TASKER_TEST_CONFIG`).
    public static func serverConfig() throws -> ServerConfig {
        guard let path = ProcessInfo.processInfo.environment["TASKER_TEST_CONFIG"] else { throw NotConfigured() }
        return try ServerConfig.load(path: path)
    }

    public static var sqlFolder: URL {
        URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().appendingPathComponent("sql")
    }

    public func connect() throws -> Connection { try Connection(options: options) }
    public func store() throws -> Store { Store(try connect()) }

    /// Where the database is: what a race's threads open their own connections with.
    public struct Address: Sendable {
        public let options: ConnectionOptions
        public func connect() throws -> Connection { try Connection(options: options) }
        public func store() throws -> Store { Store(try connect()) }
    }

    public var address: Address { Address(options: options) }

    /// Runs `body` while another connection holds the rows that `lockingRead` (a SELECT ...
    /// FOR UPDATE with one id) locks, in a transaction rolled back afterwards.
    public func whileHolding(_ lockingRead: String, _ id: Int64, _ body: () throws -> Void) throws {
        let holder = try connect()
        try holder.query("START TRANSACTION")
        defer { _ = try? holder.query("ROLLBACK") }
        _ = try holder.row(lockingRead, id)
        try body()
    }
}
