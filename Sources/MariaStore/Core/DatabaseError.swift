import CMariaDB

/// An error reported by MariaDB or by the client library.
///
/// Its description names the statement's SQL but never its bound values, so that user
/// data stays out of logs. It never reaches a client: the HTTP layer maps it to a 500.
public struct DatabaseError: Error, CustomStringConvertible, Sendable {
    /// The MariaDB error number (`ER_*` or `CR_*`), or 0 for errors of this wrapper.
    public let code: UInt32
    public let sqlState: String
    public let message: String
    public let sql: String?

    public init(code: UInt32, sqlState: String = "HY000", message: String, sql: String? = nil) {
        self.code = code
        self.sqlState = sqlState
        self.message = message
        self.sql = sql
    }

    public var description: String {
        var text = "MariaDB error \(code) (\(sqlState)): \(message)"
        if let sql { text += " in <\(sql)>" }
        return text
    }

    /// Raised by a stored routine's SIGNAL (ER_SIGNAL_EXCEPTION), which names its SQLSTATE:
    /// the server's own errors with the same SQLSTATE have numbers of their own.
    public var isSignal: Bool { code == 1644 }
    /// A UNIQUE or PRIMARY KEY would be violated.
    public var isDuplicateKey: Bool { code == UInt32(ER_DUP_ENTRY) }
    /// A CHECK constraint refused the change (MariaDB reports 4025).
    public var isCheckViolation: Bool { code == 4025 }
    /// The transaction was chosen as a deadlock victim or waited too long for a lock:
    /// running it again is safe.
    public var isRetryableConflict: Bool {
        code == UInt32(ER_LOCK_DEADLOCK) || code == UInt32(ER_LOCK_WAIT_TIMEOUT)
    }
    /// The connection is gone (server restarted, network cut): reconnecting may help.
    public var isConnectionLost: Bool {
        [
            CR_SERVER_GONE_ERROR, CR_SERVER_LOST, CR_CONNECTION_ERROR, CR_CONN_HOST_ERROR,
            CR_SERVER_LOST_EXTENDED,
            1927,  // ER_CONNECTION_KILLED
            4031,  // the server closed an idle connection
        ]
        .map { UInt32($0) }.contains(code)
    }

    /// A failure of this wrapper rather than of the server (wrong type in a column...).
    static func usage(_ message: String, sql: String? = nil) -> DatabaseError {
        DatabaseError(code: 0, message: message, sql: sql)
    }
}
