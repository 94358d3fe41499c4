import Foundation

/// Applies the schema migrations `sql/NNN_name.sql` in the order of their numbers and
/// records each one in `schema_migrations` after it succeeds; then the stored routines of
/// `sql/routines/NAME.sql`, each whenever its text differs from the one last applied.
///
/// MariaDB commits DDL implicitly, so a migration and its record cannot share a
/// transaction: each file holds one change, written to be safe to run again
/// (`CREATE TABLE IF NOT EXISTS`, ...), so that a crash between the two is harmless.
/// A routine is code rather than schema: its file holds one `CREATE OR REPLACE PROCEDURE`
/// and is edited in place, and every database gets the new text on its next migration.
public struct Migrator {
    public struct Migration: Sendable {
        public let version: Int
        public let name: String
        public let sql: String
    }

    public let migrations: [Migration]
    /// The routines, by file name without `.sql`.
    public let routines: [(name: String, sql: String)]

    /// Reads every `NNN_name.sql` file of a folder, and every `.sql` file of its `routines`.
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
        let folder = directory.appendingPathComponent("routines")
        guard let routineFiles = try? FileManager.default.contentsOfDirectory(atPath: folder.path) else {
            throw DatabaseError.usage("no routines folder in \(directory.path)")
        }
        routines = try routineFiles.filter { $0.hasSuffix(".sql") }.sorted().map { file in
            (String(file.dropLast(4)), try String(contentsOf: folder.appendingPathComponent(file), encoding: .utf8))
        }
    }

    /// Applies the migrations not yet recorded, then the routines that are new, changed or
    /// missing from the database, and returns what it applied (`NNN_name`,
    /// `routines/name`). `connection` must allow multiple statements.
    @discardableResult
    public func migrate(_ connection: Connection) throws -> [String] {
        try connection.query(
            """
            CREATE TABLE IF NOT EXISTS schema_migrations (
                version INT NOT NULL PRIMARY KEY,
                name VARCHAR(200) NOT NULL,
                applied_at DATETIME(6) NOT NULL DEFAULT CURRENT_TIMESTAMP(6)
            ) ENGINE=InnoDB
            """)
        var recorded: [Int: String] = [:]
        for row in try connection.rows("SELECT version, name FROM schema_migrations") {
            recorded[try row["version"] as Int] = try row["name"] as String
        }
        // A number is used once: 010-012 were the procedures before they moved to routines/.
        for migration in migrations {
            if let name = recorded[migration.version], name != migration.name {
                throw DatabaseError.usage(
                    "migration \(migration.version) is recorded as \(name), not \(migration.name): "
                        + "give the new file an unused number")
            }
        }
        let applied = Set(recorded.keys)
        var names: [String] = []
        for migration in migrations where !applied.contains(migration.version) {
            try connection.query(migration.sql)
            try connection.execute(
                "INSERT INTO schema_migrations (version, name) VALUES (?, ?)",
                migration.version, migration.name)
            names.append(migration.name)
        }
        return names + (try applyRoutines(connection))
    }

    /// (Re)creates each routine whose text is new or changed, or that the database lacks (a
    /// dump restored without `--routines`, a hand-made DROP), and records the text's SHA-256;
    /// drops the recorded routines whose file is gone.
    private func applyRoutines(_ connection: Connection) throws -> [String] {
        try connection.query(
            """
            CREATE TABLE IF NOT EXISTS schema_routines (
                name VARCHAR(200) NOT NULL PRIMARY KEY,
                sha256 CHAR(64) NOT NULL,
                applied_at DATETIME(6) NOT NULL DEFAULT CURRENT_TIMESTAMP(6)
            ) ENGINE=InnoDB
            """)
        var names: [String] = []
        for routine in routines {
            let current = try connection.row(
                """
                SELECT (SELECT sha256 = SHA2(?, 256) FROM schema_routines WHERE name = ?) AS same,
                       EXISTS (SELECT 1 FROM information_schema.ROUTINES
                                WHERE ROUTINE_SCHEMA = DATABASE() AND ROUTINE_NAME = ?) AS present
                """, routine.sql, routine.name, routine.name)
            if let current, try current["same"] as Int? == 1, try current["present"] as Int == 1 { continue }
            try connection.query(routine.sql)
            try connection.execute(
                """
                INSERT INTO schema_routines (name, sha256) VALUES (?, SHA2(?, 256))
                ON DUPLICATE KEY UPDATE sha256 = VALUES(sha256), applied_at = CURRENT_TIMESTAMP(6)
                """, routine.name, routine.sql)
            names.append("routines/\(routine.name)")
        }
        let files = Set(routines.map(\.name))
        for row in try connection.rows("SELECT name FROM schema_routines ORDER BY name") {
            let name: String = try row["name"]
            guard !files.contains(name) else { continue }
            try connection.query("DROP PROCEDURE IF EXISTS `\(name.replacingOccurrences(of: "`", with: "``"))`")
            try connection.execute("DELETE FROM schema_routines WHERE name = ?", name)
            names.append("routines/\(name) (dropped)")
        }
        return names
    }
}
