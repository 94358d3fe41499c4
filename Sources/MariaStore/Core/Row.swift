/// One row of a result, with typed access by column name:
///
///     let id: Int64 = try row["id"]
///     let title: String? = try row["title"]
public struct Row: Sendable {
    public let columns: [String]
    public let values: [DatabaseValue]

    public init(columns: [String], values: [DatabaseValue]) {
        self.columns = columns
        self.values = values
    }

    /// The raw value of a column, nil when the row has no such column.
    public func value(named column: String) -> DatabaseValue? {
        columns.firstIndex(of: column).map { values[$0] }
    }

    /// The value of a column decoded as `T`; throws when the column is missing or does not
    /// hold a `T` (NULL decodes only into an Optional).
    public subscript<T: DatabaseValueConvertible>(_ column: String) -> T {
        get throws {
            guard let raw = value(named: column) else {
                throw DatabaseError.usage("no column \(column) in the row")
            }
            guard let decoded = T.fromDatabaseValue(raw) else {
                throw DatabaseError.usage("column \(column) does not hold a \(T.self)")
            }
            return decoded
        }
    }
}
