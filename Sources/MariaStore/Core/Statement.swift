import CMariaDB
import Foundation

/// A prepared statement (`mysql_stmt_*`), owned by one `Connection` and reused for every
/// execution of the same SQL text.
///
/// Parameters are bound from `DatabaseValue`s; result columns are fetched by their type:
/// integers as Int64, FLOAT/DOUBLE as Double, binary strings as bytes, and everything else
/// (VARCHAR, TEXT, DECIMAL, DATETIME...) as text.
final class Statement {
    let sql: String
    private let handle: UnsafeMutablePointer<MYSQL_STMT>
    private let connection: UnsafeMutablePointer<MYSQL>
    private let parameterCount: Int
    /// Whether the result's columns are known when the statement is prepared. They are
    /// not for a CALL, whose result comes from the statements inside the procedure: its
    /// columns are read again after every execution.
    private let columnsKnownAtPrepare: Bool
    private var columns: [Column]?

    private struct Column {
        let name: String
        let kind: Kind
        enum Kind { case integer, double, text, bytes }
    }

    init(connection: UnsafeMutablePointer<MYSQL>, sql: String) throws {
        guard let handle = mysql_stmt_init(connection) else {
            throw DatabaseError.usage("out of memory preparing a statement", sql: sql)
        }
        self.handle = handle
        self.connection = connection
        self.sql = sql
        let status = sql.withCString { mysql_stmt_prepare(handle, $0, UInt(strlen($0))) }
        if status != 0 {
            let error = Statement.error(of: handle, connection: connection, sql: sql)
            mysql_stmt_close(handle)
            throw error
        }
        parameterCount = Int(mysql_stmt_param_count(handle))
        columnsKnownAtPrepare = mysql_stmt_field_count(handle) > 0
    }

    deinit {
        mysql_stmt_close(handle)
    }

    /// Runs the statement and hands every row of its result, one at a time, to `body`.
    /// Rows are streamed from the server: no other statement may run on the connection
    /// until this returns.
    func execute(_ arguments: [DatabaseValue], eachRow body: (Row) throws -> Void) throws -> ExecutionResult {
        guard arguments.count == parameterCount else {
            throw DatabaseError.usage("\(parameterCount) parameters expected, \(arguments.count) given", sql: sql)
        }
        try bindAndExecute(arguments)
        defer { mysql_stmt_free_result(handle) }
        // For a query, the client reports (my_ulonglong)-1 affected rows.
        let affected = mysql_stmt_affected_rows(handle)
        let result = ExecutionResult(
            affectedRows: affected == UInt64.max ? 0 : Int(affected),
            lastInsertID: Int64(truncatingIfNeeded: mysql_stmt_insert_id(handle)))
        do {
            if mysql_stmt_field_count(handle) > 0 {
                try fetchRows(into: body)
            }
        } catch {
            // Keep the connection in step for the next statement: drop the rows not read
            // and whatever a CALL still has to send.
            mysql_stmt_free_result(handle)
            try? skipFurtherResults()
            throw error
        }
        try skipFurtherResults()
        return result
    }

    /// A CALL answers with the result of its procedure and then a final status; both must
    /// be read before the connection can run the next statement. Results after the first
    /// are read and dropped.
    private func skipFurtherResults() throws {
        while mysql_stmt_more_results(handle) != 0 {
            let status = mysql_stmt_next_result(handle)
            if status > 0 { throw error() }
            if status < 0 { return }
            if mysql_stmt_field_count(handle) > 0 {
                if mysql_stmt_store_result(handle) != 0 { throw error() }
                mysql_stmt_free_result(handle)
            }
        }
    }

    // MARK: Parameters

    private func bindAndExecute(_ arguments: [DatabaseValue]) throws {
        var binds = [MYSQL_BIND](repeating: MYSQL_BIND(), count: max(parameterCount, 1))
        var storage: [UnsafeMutableRawPointer] = []
        defer { for pointer in storage { pointer.deallocate() } }

        for (index, argument) in arguments.enumerated() {
            func store<T>(_ value: T, type: enum_field_types) {
                let pointer = UnsafeMutableRawPointer.allocate(
                    byteCount: MemoryLayout<T>.size,
                    alignment: MemoryLayout<T>.alignment)
                pointer.storeBytes(of: value, as: T.self)
                storage.append(pointer)
                binds[index].buffer = pointer
                binds[index].buffer_type = type
                binds[index].buffer_length = UInt(MemoryLayout<T>.size)
            }
            func storeBytes(_ bytes: [UInt8], type: enum_field_types) {
                let pointer = UnsafeMutableRawPointer.allocate(byteCount: max(bytes.count, 1), alignment: 1)
                bytes.withUnsafeBytes { source in
                    if let base = source.baseAddress { pointer.copyMemory(from: base, byteCount: bytes.count) }
                }
                storage.append(pointer)
                binds[index].buffer = pointer
                binds[index].buffer_type = type
                binds[index].buffer_length = UInt(bytes.count)
            }
            switch argument {
            case .null: binds[index].buffer_type = MYSQL_TYPE_NULL
            case .integer(let value): store(value, type: MYSQL_TYPE_LONGLONG)
            case .double(let value): store(value, type: MYSQL_TYPE_DOUBLE)
            case .text(let value): storeBytes(Array(value.utf8), type: MYSQL_TYPE_STRING)
            case .bytes(let value): storeBytes(value, type: MYSQL_TYPE_BLOB)
            }
        }
        if parameterCount > 0, mysql_stmt_bind_param(handle, &binds) != 0 {
            throw error()
        }
        if mysql_stmt_execute(handle) != 0 {
            throw error()
        }
    }

    // MARK: Results

    private func resultColumns() throws -> [Column] {
        if columnsKnownAtPrepare, let columns { return columns }
        guard let metadata = mysql_stmt_result_metadata(handle) else {
            throw error()
        }
        defer { mysql_free_result(metadata) }
        let count = Int(mysql_num_fields(metadata))
        let fields = mysql_fetch_fields(metadata)!
        let described = (0..<count).map { index -> Column in
            let field = fields[index]
            let name = String(cString: field.name)
            switch field.type {
            case MYSQL_TYPE_TINY, MYSQL_TYPE_SHORT, MYSQL_TYPE_LONG, MYSQL_TYPE_LONGLONG,
                MYSQL_TYPE_INT24, MYSQL_TYPE_YEAR:
                return Column(name: name, kind: .integer)
            case MYSQL_TYPE_FLOAT, MYSQL_TYPE_DOUBLE:
                return Column(name: name, kind: .double)
            case MYSQL_TYPE_STRING, MYSQL_TYPE_VAR_STRING, MYSQL_TYPE_VARCHAR, MYSQL_TYPE_BLOB,
                MYSQL_TYPE_TINY_BLOB, MYSQL_TYPE_MEDIUM_BLOB, MYSQL_TYPE_LONG_BLOB:
                // Character set 63 is "binary": BINARY, VARBINARY and BLOB columns.
                return Column(name: name, kind: field.charsetnr == 63 ? .bytes : .text)
            default:
                return Column(name: name, kind: .text)
            }
        }
        columns = described
        return described
    }

    private func fetchRows(into body: (Row) throws -> Void) throws {
        let columns = try resultColumns()
        let names = columns.map(\.name)
        let initialCapacity = 256
        var binds = [MYSQL_BIND](repeating: MYSQL_BIND(), count: columns.count)
        let lengths = UnsafeMutablePointer<UInt>.allocate(capacity: columns.count)
        let nulls = UnsafeMutablePointer<my_bool>.allocate(capacity: columns.count)
        let buffers = columns.map { column -> UnsafeMutableRawPointer in
            UnsafeMutableRawPointer.allocate(
                byteCount: column.kind == .text || column.kind == .bytes ? initialCapacity : 8,
                alignment: 8)
        }
        defer {
            lengths.deallocate()
            nulls.deallocate()
            for buffer in buffers { buffer.deallocate() }
        }
        for (index, column) in columns.enumerated() {
            binds[index].buffer = buffers[index]
            binds[index].length = lengths + index
            binds[index].is_null = nulls + index
            switch column.kind {
            case .integer:
                binds[index].buffer_type = MYSQL_TYPE_LONGLONG
                binds[index].buffer_length = 8
            case .double:
                binds[index].buffer_type = MYSQL_TYPE_DOUBLE
                binds[index].buffer_length = 8
            case .text, .bytes:
                binds[index].buffer_type = MYSQL_TYPE_STRING
                binds[index].buffer_length = UInt(initialCapacity)
            }
        }
        if mysql_stmt_bind_result(handle, &binds) != 0 {
            throw error()
        }
        while true {
            let status = mysql_stmt_fetch(handle)
            if status == MYSQL_NO_DATA { return }
            if status == 1 { throw error() }
            var values: [DatabaseValue] = []
            values.reserveCapacity(columns.count)
            for (index, column) in columns.enumerated() {
                if nulls[index] != 0 {
                    values.append(.null)
                    continue
                }
                switch column.kind {
                case .integer:
                    values.append(.integer(buffers[index].load(as: Int64.self)))
                case .double:
                    values.append(.double(buffers[index].load(as: Double.self)))
                case .text, .bytes:
                    let bytes = try columnBytes(
                        index, length: Int(lengths[index]),
                        buffer: buffers[index], capacity: initialCapacity)
                    values.append(column.kind == .bytes ? .bytes(bytes) : .text(String(decoding: bytes, as: UTF8.self)))
                }
            }
            try body(Row(columns: names, values: values))
        }
    }

    /// The bytes of a string column; a value longer than the bound buffer is fetched again
    /// whole with `mysql_stmt_fetch_column`.
    private func columnBytes(_ index: Int, length: Int, buffer: UnsafeMutableRawPointer, capacity: Int) throws -> [UInt8] {
        if length <= capacity {
            return Array(UnsafeRawBufferPointer(start: buffer, count: length))
        }
        let target = UnsafeMutableRawPointer.allocate(byteCount: length, alignment: 1)
        let actualLength = UnsafeMutablePointer<UInt>.allocate(capacity: 1)
        let isNull = UnsafeMutablePointer<my_bool>.allocate(capacity: 1)
        defer {
            target.deallocate()
            actualLength.deallocate()
            isNull.deallocate()
        }
        var bind = MYSQL_BIND()
        bind.buffer = target
        bind.buffer_length = UInt(length)
        bind.buffer_type = MYSQL_TYPE_STRING
        bind.length = actualLength
        bind.is_null = isNull
        let status = mysql_stmt_fetch_column(handle, &bind, UInt32(index), 0)
        if status != 0 { throw error() }
        return Array(UnsafeRawBufferPointer(start: target, count: length))
    }

    private func error() -> DatabaseError {
        Statement.error(of: handle, connection: connection, sql: sql)
    }

    /// The statement's error; an error that arrives while rows are fetched unbuffered
    /// (a deadlock found in the middle of a locking scan) is recorded on the connection
    /// instead, with the statement's own error number left at 0.
    static func error(
        of handle: UnsafeMutablePointer<MYSQL_STMT>, connection: UnsafeMutablePointer<MYSQL>,
        sql: String
    ) -> DatabaseError {
        if mysql_stmt_errno(handle) == 0, mysql_errno(connection) != 0 {
            return DatabaseError(
                code: mysql_errno(connection), sqlState: String(cString: mysql_sqlstate(connection)),
                message: String(cString: mysql_error(connection)), sql: sql)
        }
        return DatabaseError(
            code: mysql_stmt_errno(handle),
            sqlState: String(cString: mysql_stmt_sqlstate(handle)),
            message: String(cString: mysql_stmt_error(handle)),
            sql: sql)
    }
}

/// What a statement that changes rows reports.
public struct ExecutionResult: Sendable {
    public let affectedRows: Int
    public let lastInsertID: Int64
}
