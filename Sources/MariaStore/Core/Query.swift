/// A query as one named, typed unit: its SQL, the values bound to its placeholders, and
/// how each of its rows becomes a `Value`. Values never enter the SQL text.
///
///     extension Lease {
///         static func withID(_ id: Int64) -> Query<Lease> {
///             Query("SELECT ... FROM leases l ... WHERE l.id = ?", [id], Lease.init(row:))
///         }
///     }
///     let lease = try db.fetchOne(Lease.withID(7))
public struct Query<Value> {
    public let sql: String
    public let arguments: [DatabaseValue]
    public let decode: (Row) throws -> Value

    public init(_ sql: String, _ arguments: [DatabaseValueConvertible?] = [], _ decode: @escaping (Row) throws -> Value) {
        self.sql = sql
        self.arguments = arguments.map { $0?.databaseValue ?? .null }
        self.decode = decode
    }
}

extension Connection {
    /// Every row of the query, decoded.
    public func fetchAll<Value>(_ query: Query<Value>) throws -> [Value] {
        try rows(query.sql, arguments: query.arguments).map(query.decode)
    }

    /// The query's first row, decoded, or nil.
    public func fetchOne<Value>(_ query: Query<Value>) throws -> Value? {
        try rows(query.sql, arguments: query.arguments).first.map(query.decode)
    }
}
