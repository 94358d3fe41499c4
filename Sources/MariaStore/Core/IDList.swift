/// Any number of ids as one bound value: a JSON array that the statement reads back as
/// rows, so that one prepared statement serves every length of list (an `IN (?, ?, ...)`
/// would prepare one statement per length).
///
///     "... WHERE r.id IN (\(IDList.rows)) ...", IDList.json(ids)
enum IDList {
    /// The ids of the bound array as rows of one column, `id`.
    static let rows = "SELECT n.id FROM JSON_TABLE(?, '$[*]' COLUMNS (id BIGINT PATH '$')) AS n"

    /// The value to bind.
    static func json(_ ids: [Int64]) -> String {
        "[" + ids.map(String.init).joined(separator: ",") + "]"
    }
}
