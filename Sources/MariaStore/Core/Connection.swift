import CMariaDB
import Foundation

/// One connection to MariaDB. Not shared between threads: each worker thread owns one.
///
/// Every value reaches the server as a bound parameter of a prepared statement; statements
/// are prepared once per connection and cached by their SQL text. Sessions run in UTC with
/// READ COMMITTED isolation and strict SQL mode.
public final class Connection {
    public let options: ConnectionOptions
    private var handle: UnsafeMutablePointer<MYSQL>?
    private var statements: [String: Statement] = [:]
    private var transactionDepth = 0
    private let allowsMultipleStatements: Bool

    /// Opens a connection. `allowsMultipleStatements` is for running migration scripts only.
    public init(options: ConnectionOptions, allowsMultipleStatements: Bool = false) throws {
        self.options = options
        self.allowsMultipleStatements = allowsMultipleStatements
        try connect()
    }

    deinit {
        close()
    }

    /// Initialises the client library for the process; call once in `main`, before any
    /// thread opens a connection (the library's set-up is not thread-safe; the first
    /// connection would otherwise do it, from whichever thread comes first).
    public static func libraryStart() {
        guard mysql_server_init(0, nil, nil) == 0 else { fatalError("the MariaDB client library did not initialise") }
    }

    /// Initialises the client library for this thread; call once in every thread that
    /// opens connections, and `threadEnd()` before it exits.
    public static func threadStart() { mysql_thread_init() }
    public static func threadEnd() { mysql_thread_end() }

    // MARK: Running statements

    /// Runs a statement that returns no rows (INSERT, UPDATE, DELETE, DDL).
    @discardableResult
    public func execute(_ sql: String, _ arguments: DatabaseValueConvertible?...) throws -> ExecutionResult {
        try run(sql, arguments.map { $0?.databaseValue ?? .null }, eachRow: { _ in })
    }

    /// Runs a query and returns all of its rows.
    public func rows(_ sql: String, _ arguments: DatabaseValueConvertible?...) throws -> [Row] {
        var rows: [Row] = []
        try run(sql, arguments.map { $0?.databaseValue ?? .null }, eachRow: { rows.append($0) })
        return rows
    }

    /// Runs a query and returns its first row, or nil.
    public func row(_ sql: String, _ arguments: DatabaseValueConvertible?...) throws -> Row? {
        var first: Row?
        try run(sql, arguments.map { $0?.databaseValue ?? .null }, eachRow: { if first == nil { first = $0 } })
        return first
    }

    /// Runs a query and streams its rows to `body` one at a time. Nothing else may run on
    /// this connection inside `body`.
    public func forEachRow(_ sql: String, _ arguments: [DatabaseValueConvertible?], _ body: (Row) throws -> Void) throws {
        try run(sql, arguments.map { $0?.databaseValue ?? .null }, eachRow: body)
    }

    /// `execute` with an argument list built at run time.
    @discardableResult
    public func execute(_ sql: String, arguments: [DatabaseValueConvertible?]) throws -> ExecutionResult {
        try run(sql, arguments.map { $0?.databaseValue ?? .null }, eachRow: { _ in })
    }

    /// Runs a query with an argument list built at run time (for example an IN list).
    public func rows(_ sql: String, arguments: [DatabaseValueConvertible?]) throws -> [Row] {
        var rows: [Row] = []
        try run(sql, arguments.map { $0?.databaseValue ?? .null }, eachRow: { rows.append($0) })
        return rows
    }

    @discardableResult
    private func run(_ sql: String, _ arguments: [DatabaseValue], eachRow: (Row) throws -> Void) throws -> ExecutionResult {
        do {
            return try statement(for: sql).execute(arguments, eachRow: eachRow)
        } catch let error as DatabaseError where error.isConnectionLost && transactionDepth == 0 {
            // The server went away between two requests (restart, idle timeout): outside
            // a transaction nothing is lost by connecting again and running it once more.
            try reconnect()
            return try statement(for: sql).execute(arguments, eachRow: eachRow)
        }
    }

    private func statement(for sql: String) throws -> Statement {
        if let cached = statements[sql] { return cached }
        // An earlier reconnect failed (the server was down): try again now.
        if self.handle == nil { try reconnect() }
        guard let handle else { throw DatabaseError.usage("the connection is closed", sql: sql) }
        // A backstop against SQL texts built at run time: the server limits prepared
        // statements (max_prepared_stmt_count) for all connections together.
        if statements.count >= 256 { statements.removeAll() }
        let statement = try Statement(connection: handle, sql: sql)
        statements[sql] = statement
        return statement
    }

    // MARK: Transactions

    /// Runs `body` inside a transaction: commits when it returns, rolls back when it throws.
    /// A deadlock or lock-wait time-out runs the whole body again (up to `attempts` times),
    /// so `body` must have no effect outside the database.
    ///
    /// `isolation` is InnoDB's default, REPEATABLE READ, unless said otherwise: set-based
    /// writes over many rows that others insert beside (a job's results, settled while
    /// taskers hand in more) run READ COMMITTED, which locks the rows they change and not
    /// the gaps between them.
    public func transaction<T>(
        isolation: Isolation = .repeatableRead, attempts: Int = 5,
        _ body: () throws -> T
    ) throws -> T {
        precondition(transactionDepth == 0, "transactions do not nest")
        return try retryingConflicts(attempts: attempts) {
            try begin(isolation)
            do {
                let value = try body()
                try commit()
                return value
            } catch {
                rollbackQuietly()
                throw error
            }
        }
    }

    /// Calls a stored procedure that runs its own transaction (START TRANSACTION ...
    /// COMMIT inside it) and returns the first row of its result. Like `transaction`, a
    /// deadlock or lock-wait time-out calls it again, up to `attempts` times. It cannot
    /// run inside a transaction: the procedure's START TRANSACTION would commit it.
    ///
    /// When the connection turns out to be lost, the call is made again on a new one,
    /// as any statement outside a transaction is. The first call may have committed
    /// before the connection broke, so a procedure called this way must give the same
    /// answer when called twice (`tasker_cycle` then finds the lease it made, or the lease
    /// already submitted, which `Trains.submit` answers with the stored train).
    public func call(_ sql: String, _ arguments: DatabaseValueConvertible?..., attempts: Int = 5) throws -> Row? {
        precondition(transactionDepth == 0, "a procedure with its own transaction cannot run inside another")
        let values = arguments.map { $0?.databaseValue ?? .null }
        return try retryingConflicts(attempts: attempts) {
            var first: Row?
            try run(sql, values, eachRow: { if first == nil { first = $0 } })
            return first
        }
    }

    /// Runs `body` again after a deadlock or lock-wait time-out, waiting a little longer
    /// each time; the body must leave nothing half done when it throws.
    private func retryingConflicts<T>(attempts: Int, _ body: () throws -> T) throws -> T {
        var attempt = 1
        while true {
            do {
                return try body()
            } catch let error as DatabaseError where error.isRetryableConflict && attempt < attempts {
                attempt += 1
                usleep(UInt32.random(in: 500...5_000) * UInt32(attempt))
            }
        }
    }

    /// The isolation levels a transaction may ask for.
    public enum Isolation: String, Sendable {
        case repeatableRead = "REPEATABLE READ"
        case readCommitted = "READ COMMITTED"
    }

    private func begin(_ isolation: Isolation) throws {
        func start() throws {
            // SET TRANSACTION applies to the next transaction only.
            if isolation != .repeatableRead { try query("SET TRANSACTION ISOLATION LEVEL \(isolation.rawValue)") }
            try query("START TRANSACTION")
        }
        do {
            try start()
        } catch let error as DatabaseError where error.isConnectionLost {
            // Nothing has happened yet in this transaction: connect again and start it.
            try reconnect()
            try start()
        }
        transactionDepth = 1
    }

    private func commit() throws {
        defer { transactionDepth = 0 }
        try query("COMMIT")
    }

    private func rollbackQuietly() {
        transactionDepth = 0
        _ = try? query("ROLLBACK")
    }

    // MARK: Plain queries and scripts

    /// Runs SQL text that has no parameters, through the plain (non-prepared) protocol:
    /// transaction control and migration scripts. With `allowsMultipleStatements`, the text
    /// may hold several statements; each must succeed.
    public func query(_ sql: String) throws {
        if self.handle == nil { try reconnect() }
        guard let handle else { throw DatabaseError.usage("the connection is closed", sql: sql) }
        let status = sql.withCString { mysql_real_query(handle, $0, UInt(strlen($0))) }
        if status != 0 { throw currentError(sql: sql) }
        repeat {
            if let result = mysql_store_result(handle) {
                mysql_free_result(result)
            } else if mysql_field_count(handle) != 0 {
                throw currentError(sql: sql)
            }
            let next = mysql_next_result(handle)
            if next > 0 { throw currentError(sql: sql) }
            if next < 0 { break }
        } while true
    }

    /// True when the server answers.
    public func ping() -> Bool {
        guard let handle else { return (try? reconnect()) != nil }
        if mysql_ping(handle) == 0 { return true }
        return (try? reconnect()) != nil
    }

    // MARK: Connecting

    private func connect() throws {
        guard let handle = mysql_init(nil) else {
            throw DatabaseError.usage("mysql_init failed")
        }
        tt_mysql_set_uint_option(handle, MYSQL_OPT_CONNECT_TIMEOUT, 5)
        tt_mysql_set_string_option(handle, MYSQL_SET_CHARSET_NAME, "utf8mb4")
        tt_mysql_set_string_option(
            handle, MYSQL_INIT_COMMAND,
            "SET time_zone = '+00:00', tx_isolation = 'READ-COMMITTED', "
                + "sql_mode = 'STRICT_ALL_TABLES,NO_ZERO_DATE,NO_ENGINE_SUBSTITUTION,ERROR_FOR_DIVISION_BY_ZERO', "
                // NOT EXISTS stays a per-row index lookup: rewritten as IN, MariaDB copies every
                // lease of the tasker into a temporary table on each assignment (measured: 80 ms
                // for a tasker with 100,000 leases, against 0.4 ms).
                + "optimizer_switch = 'exists_to_in=off'")
        let flags: UInt = allowsMultipleStatements ? UInt(CLIENT_MULTI_STATEMENTS) : 0
        let socket = options.socket.isEmpty ? nil : options.socket
        let host = options.socket.isEmpty ? options.host : "localhost"
        let connected = mysql_real_connect(
            handle, host, options.user, options.password,
            options.name.isEmpty ? nil : options.name,
            UInt32(options.port), socket, flags)
        if connected == nil {
            let error = DatabaseError(
                code: mysql_errno(handle), sqlState: String(cString: mysql_sqlstate(handle)),
                message: String(cString: mysql_error(handle)))
            mysql_close(handle)
            throw error
        }
        self.handle = handle
    }

    private func reconnect() throws {
        close()
        try connect()
    }

    private func close() {
        statements.removeAll()
        if let handle { mysql_close(handle) }
        handle = nil
        transactionDepth = 0
    }

    private func currentError(sql: String) -> DatabaseError {
        guard let handle else { return DatabaseError.usage("the connection is closed", sql: sql) }
        return DatabaseError(
            code: mysql_errno(handle), sqlState: String(cString: mysql_sqlstate(handle)),
            message: String(cString: mysql_error(handle)), sql: sql)
    }
}
