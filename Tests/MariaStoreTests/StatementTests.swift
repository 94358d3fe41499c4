import Foundation
import MariaStore
import TestSupport
import XCTest

final class StatementTests: XCTestCase {
    func testValuesRoundTripThroughPreparedStatements() throws {
        let database = try TestDatabase()
        let db = try database.connect()
        try db.query("CREATE TABLE samples (i BIGINT, d DOUBLE, t TEXT, b BLOB, m DECIMAL(14,2), at DATETIME(6), n INT NULL)")
        let long = String(repeating: "ünïcödé ", count: 200)
        let bytes = (0..<600).map { UInt8($0 % 256) }
        let date = Date(timeIntervalSince1970: 1_790_000_000.123456)
        try db.execute(
            "INSERT INTO samples VALUES (?, ?, ?, ?, ?, ?, ?)",
            Int64.max, 0.1 + 0.2, long, bytes, Money("12.34")!, date, nil as Int?)
        let row = try XCTUnwrap(db.row("SELECT * FROM samples"))
        XCTAssertEqual(try row["i"] as Int64, Int64.max)
        XCTAssertEqual(try row["d"] as Double, 0.1 + 0.2, "doubles come back bit for bit")
        XCTAssertEqual(try row["t"] as String, long, "longer than the first fetch buffer")
        XCTAssertEqual(try row["b"] as [UInt8], bytes)
        XCTAssertEqual(try row["m"] as Money, Money("12.34"))
        XCTAssertEqual((try row["at"] as Date).timeIntervalSince1970, date.timeIntervalSince1970, accuracy: 0.000001)
        XCTAssertNil(try row["n"] as Int?)
        XCTAssertThrowsError(try row["n"] as Int, "NULL decodes only into an Optional")
        XCTAssertThrowsError(try row["missing"] as Int)
    }

    func testValuesNeverBecomeSQL() throws {
        let database = try TestDatabase()
        let db = try database.connect()
        try db.query("CREATE TABLE notes (body TEXT)")
        let hostile = "x'); DROP TABLE notes; --"
        try db.execute("INSERT INTO notes VALUES (?)", hostile)
        XCTAssertEqual(try db.row("SELECT body FROM notes WHERE body = ?", hostile)?["body"] as String?, hostile)
    }

    func testTransactionRollsBackWhenBodyThrows() throws {
        let database = try TestDatabase()
        let db = try database.connect()
        try db.query("CREATE TABLE counters (n INT) ENGINE=InnoDB")
        struct Stop: Error {}
        XCTAssertThrowsError(
            try db.transaction {
                try db.execute("INSERT INTO counters VALUES (1)")
                throw Stop()
            })
        XCTAssertEqual(try db.row("SELECT COUNT(*) AS c FROM counters")?["c"] as Int?, 0)
        try db.transaction { try db.execute("INSERT INTO counters VALUES (1)") }
        XCTAssertEqual(try db.row("SELECT COUNT(*) AS c FROM counters")?["c"] as Int?, 1)
    }

    func testProcedureCallReturnsItsRowAndRetriesConflicts() throws {
        let database = try TestDatabase()
        let db = try database.connect()
        try db.query("CREATE TABLE attempts (n INT NOT NULL) ENGINE=InnoDB")
        try db.query("INSERT INTO attempts VALUES (0)")
        // Fails as a deadlock victim would on its first two calls, then answers.
        try db.query(
            """
            CREATE PROCEDURE flaky(IN p_word VARCHAR(20))
            BEGIN
                UPDATE attempts SET n = n + 1;
                IF (SELECT n FROM attempts) < 3 THEN
                    SIGNAL SQLSTATE '40001' SET MYSQL_ERRNO = 1213, MESSAGE_TEXT = 'chosen as a deadlock victim';
                END IF;
                SELECT p_word AS word, (SELECT n FROM attempts) AS attempts;
            END
            """)
        let row = try XCTUnwrap(db.call("CALL flaky(?)", "hello"))
        XCTAssertEqual(try row["word"] as String, "hello")
        XCTAssertEqual(try row["attempts"] as Int, 3, "called again after each conflict")
        // The CALL's final status was read: the connection runs the next statement.
        XCTAssertEqual(try db.row("SELECT 1 AS one")?["one"] as Int?, 1)

        try db.execute("UPDATE attempts SET n = 0")
        XCTAssertThrowsError(try db.call("CALL flaky(?)", "again", attempts: 2), "out of attempts") { error in
            XCTAssertEqual((error as? DatabaseError)?.isRetryableConflict, true)
        }
        XCTAssertEqual(try db.row("SELECT n FROM attempts")?["n"] as Int?, 2)

        // Reading a CALL's row fails halfway: the connection still runs the next statement.
        try db.execute("UPDATE attempts SET n = 10")
        struct Stop: Error {}
        XCTAssertThrowsError(try db.forEachRow("CALL flaky(?)", ["x"]) { _ in throw Stop() })
        XCTAssertEqual(try db.row("SELECT 1 AS one")?["one"] as Int?, 1)
    }

    func testDatesMariaDBCannotHoldAreRefusedNotCut() throws {
        let database = try TestDatabase()
        let db = try database.connect()
        try db.query("CREATE TABLE moments (at DATETIME(6) NOT NULL)")
        let year11476 = Date(timeIntervalSince1970: 299_999_999_999)
        XCTAssertFalse(Date.storableRange.contains(year11476))
        XCTAssertThrowsError(try db.execute("INSERT INTO moments VALUES (?)", year11476))
        XCTAssertEqual(try db.row("SELECT COUNT(*) AS n FROM moments")?["n"] as Int?, 0)
        for edge in [Date.storableRange.lowerBound, Date.storableRange.upperBound] {
            try db.execute("INSERT INTO moments VALUES (?)", edge)
        }
        XCTAssertEqual(
            try db.rows("SELECT at FROM moments ORDER BY at").map { try $0["at"] as Date },
            [Date.storableRange.lowerBound, Date.storableRange.upperBound])
    }

    func testErrorsCarryCodeAndSQLButNotValues() throws {
        let database = try TestDatabase()
        let db = try database.connect()
        try db.query("CREATE TABLE people (email VARCHAR(50) PRIMARY KEY)")
        try db.execute("INSERT INTO people VALUES (?)", "secret@example.com")
        do {
            try db.execute("INSERT INTO people VALUES (?)", "secret@example.com")
            XCTFail("duplicate accepted")
        } catch let error as DatabaseError {
            XCTAssertTrue(error.isDuplicateKey)
            XCTAssertTrue(error.description.contains("INSERT INTO people"))
        }
    }

    func testMigratorRecordsAndSkipsAppliedMigrations() throws {
        let database = try TestDatabase()
        let again = try Migrator(directory: TestDatabase.sqlFolder).migrate(
            try Connection(options: database.options, allowsMultipleStatements: true))
        XCTAssertEqual(again, [])
        let db = try database.connect()
        XCTAssertEqual(
            try db.row("SELECT COUNT(*) AS c FROM schema_migrations")?["c"] as Int?,
            try Migrator(directory: TestDatabase.sqlFolder).migrations.count)
    }

    func testRoutinesAreCreatedAgainWhenChangedOrMissingAndDroppedWhenTheirFileIsGone() throws {
        let database = try TestDatabase()
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("tt-routines-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder.appendingPathComponent("routines"), withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        let routine = folder.appendingPathComponent("routines/tt_answer.sql")
        func migrate() throws -> [String] {
            try Migrator(directory: folder).migrate(try Connection(options: database.options, allowsMultipleStatements: true))
        }
        let db = try database.connect()
        try db.query("DELETE FROM schema_routines")  // the real ones: not this folder's business

        try "CREATE OR REPLACE PROCEDURE tt_answer() SELECT 1 AS answer".write(to: routine, atomically: true, encoding: .utf8)
        XCTAssertEqual(try migrate(), ["routines/tt_answer"])
        XCTAssertEqual(try migrate(), [], "unchanged: not applied again")
        XCTAssertEqual(try db.row("CALL tt_answer()")?["answer"] as Int?, 1)

        try "CREATE OR REPLACE PROCEDURE tt_answer() SELECT 2 AS answer".write(to: routine, atomically: true, encoding: .utf8)
        XCTAssertEqual(try migrate(), ["routines/tt_answer"])
        XCTAssertEqual(try db.row("CALL tt_answer()")?["answer"] as Int?, 2, "an open connection sees the new text")

        try db.query("DROP PROCEDURE tt_answer")
        XCTAssertEqual(try migrate(), ["routines/tt_answer"], "recorded but missing: created again")
        XCTAssertEqual(try db.row("CALL tt_answer()")?["answer"] as Int?, 2)

        try FileManager.default.removeItem(at: routine)
        XCTAssertEqual(try migrate(), ["routines/tt_answer (dropped)"])
        XCTAssertEqual(
            try db.row(
                "SELECT COUNT(*) AS c FROM information_schema.ROUTINES "
                    + "WHERE ROUTINE_SCHEMA = DATABASE() AND ROUTINE_NAME = 'tt_answer'")?["c"] as Int?, 0)
        XCTAssertEqual(try db.row("SELECT COUNT(*) AS c FROM schema_routines")?["c"] as Int?, 0)
    }

    /// A database migrated before the procedures moved to sql/routines/ (010-012 recorded,
    /// no schema_routines, the first take_lease) gets today's procedures. (Its old
    /// procedures were never recorded as routines, so they stay, called by nothing.)
    func testADatabaseFromBeforeRoutinesGetsTheCurrentProcedures() throws {
        let database = try TestDatabase()
        let db = try database.connect()
        try db.query("DROP TABLE schema_routines")
        try db.query("CREATE OR REPLACE PROCEDURE take_lease() SELECT 'the first one' AS outcome")
        let applied = try Migrator(directory: TestDatabase.sqlFolder)
            .migrate(try Connection(options: database.options, allowsMultipleStatements: true))
        XCTAssertEqual(applied, ["routines/end_lease", "routines/tasker_cycle"])
        let definition: String? = try db.row(
            "SELECT ROUTINE_DEFINITION AS d FROM information_schema.ROUTINES "
                + "WHERE ROUTINE_SCHEMA = DATABASE() AND ROUTINE_NAME = 'tasker_cycle'")?["d"]
        XCTAssertTrue(definition?.contains("v_after") == true)
    }

    func testAMigrationNumberIsUsedOnce() throws {
        let database = try TestDatabase()
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("tt-numbers-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder.appendingPathComponent("routines"), withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        let connection = try Connection(options: database.options, allowsMultipleStatements: true)
        try connection.query("DELETE FROM schema_routines")  // the real ones: not this folder's business
        try "SELECT 1".write(to: folder.appendingPathComponent("900_first.sql"), atomically: true, encoding: .utf8)
        XCTAssertEqual(try Migrator(directory: folder).migrate(connection), ["900_first"])
        try FileManager.default.moveItem(
            at: folder.appendingPathComponent("900_first.sql"),
            to: folder.appendingPathComponent("900_second.sql"))
        XCTAssertThrowsError(try Migrator(directory: folder).migrate(connection))
    }

    func testMoneyIsExact() throws {
        XCTAssertEqual(Money("0.1")?.cents, 10)
        XCTAssertEqual(Money("12")?.description, "12.00")
        XCTAssertEqual(Money("-0.05")?.description, "-0.05")
        XCTAssertNil(Money("0.001"))
        XCTAssertNil(Money("1e3"))
        XCTAssertNil(Money(""))
        XCTAssertNil(Money("1.2.3"))
        XCTAssertEqual((Money("0.10")! * 3).description, "0.30")
        let decoded = try JSONDecoder().decode([Money].self, from: Data(#"["0.05", 0.05, 12.5, 3]"#.utf8))
        XCTAssertEqual(decoded.map(\.cents), [5, 5, 1250, 300])
        XCTAssertThrowsError(try JSONDecoder().decode([Money].self, from: Data("[0.005]".utf8)))
    }
}
