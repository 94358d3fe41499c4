import ArgumentParser
import MariaStore

/// A command that could not be done, said in one line: printed as `Error: ...` with exit
/// status 1, without the usage text that ArgumentParser adds to a `ValidationError` (which
/// stays for mistakes in the command line itself).
struct AdminFailure: Error, CustomStringConvertible {
    let description: String

    init(_ description: String) { self.description = description }

    /// What the operator sees of any error a command throws: the refusal's own sentence for
    /// the marketplace's rules, MariaDB's message and number (never the statement's SQL) for
    /// the database's; ArgumentParser's own errors (help, usage, exit codes) pass unchanged.
    static func from(_ error: Error) -> Error {
        switch error {
        case let error as MarketError: return AdminFailure(error.message)
        case let error as DatabaseError:
            return AdminFailure("the database refused: \(error.message) (MariaDB error \(error.code))")
        default: return error
        }
    }
}
