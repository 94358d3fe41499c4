import Foundation

/// Applies the schema migrations `sql/NNN_name.sql` in the order of their numbers and
/// records each one in `schema_migrations` after it succeeds.
///
/// MariaDB commits DDL implicitly, so a migration and its record cannot share a
/// transaction: each file holds one change, written to be safe to run again
/// (`CREATE TABLE IF NOT EXISTS`, ...), so that a crash between the two is harmless.
public struct Migrator {
    public struct Migration: Sendable {
        public let version: Int
        public let name: String
        public let sql: String
    }

    public let migrations: [Migration]

    /// Reads every `NNN_name.sql` file of a folder.
    public init(directory: URL) throws {
        let files = try FileManager.default.contentsOfDirectory(atPath: directory.path)
        migrations = try files.compactMap { file -> Migration? in
            guard file.hasSuffix(".sql"), let version = Int(file.prefix { $0.isNumber }) else { return nil }
            let sql = try String(contentsOf: directory.appendingPathComponent(file), encoding: .utf8)
            return Migration(version: version, name: String(file.dropLast(4)), sql: sql)
        }.sorted { $0.version < $1.version }
        let versions = migrations.map(\.version)
        if Set(versions).count != versions.count {
            throw DatabaseError.usage("two migrations share a number in \(directory.path)")
        }
    }

    /// Applies the migrations not yet recorded, and returns their names.
    /// `connection` must allow multiple statements.
    @discardableResult
    public func migrate(_ connection: Connection) throws -> [String] {
        try connection.query("""
            CREATE TABLE IF NOT EXISTS schema_migrations (
                version INT NOT NULL PRIMARY KEY,
                name VARCHAR(200) NOT NULL,
                applied_at DATETIME(6) NOT NULL DEFAULT CURRENT_TIMESTAMP(6)
            ) ENGINE=InnoDB
            """)
        let applied = Set(try connection.rows("SELECT version FROM schema_migrations").map { try $0["version"] as Int })
        var names: [String] = []
        for migration in migrations where !applied.contains(migration.version) {
            try connection.query(migration.sql)
            try connection.execute("INSERT INTO schema_migrations (version, name) VALUES (?, ?)",
                                   migration.version, migration.name)
            names.append(migration.name)
        }
        return names
    }
}
