import ArgumentParser
import Foundation
import MariaStore
import Marketplace

/// The schema.

struct Migrate: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Apply the schema migrations not applied yet, and the stored routines that changed.")
    @OptionGroup var instance: InstanceOptions
    @Option(help: "The folder of NNN_name.sql files and of routines/NAME.sql (default: sql/ of the checkout).")
    var sql: String?

    func run() throws {
        let folder = sql.map { URL(fileURLWithPath: $0) } ?? Migrate.defaultFolder()
        let store = try instance.store(multipleStatements: true)
        let applied = try Migrator(directory: folder).migrate(store.db)
        print(applied.isEmpty ? "The schema is up to date." : "Applied: \(applied.joined(separator: ", "))")
        try Migrate.composeEmails(store)
    }

    /// Emails stored before sql/015 were lower case but not always in Unicode's composed
    /// form, which sign-in looks them up in since (`Accounts.canonicalEmail`): each such
    /// email is stored composed, unless another account has that form already (then it is
    /// left, and said).
    static func composeEmails(_ store: Store) throws {
        for user in try store.users.withNonASCIIEmails() {
            let canonical = Accounts.canonicalEmail(user.email)
            // Byte for byte: Swift's `==` already counts both forms as one string.
            guard !canonical.utf8.elementsEqual(user.email.utf8) else { continue }
            do {
                try store.users.setEmail(userID: user.id, email: canonical)
                print("The email of user \(user.id) is now stored in its composed form.")
            } catch let error as DatabaseError where error.isDuplicateKey {
                print("warning: the email of user \(user.id), composed, is another account's; left as it was.")
            }
        }
    }

    /// sql/ next to the current folder, or of the checkout that holds this binary.
    static func defaultFolder() -> URL {
        let candidates =
            [URL(fileURLWithPath: FileManager.default.currentDirectoryPath).appendingPathComponent("sql")]
            + (1...4).map { depth in
                (0..<depth).reduce(URL(fileURLWithPath: CommandLine.arguments[0]).resolvingSymlinksInPath()) { url, _ in
                    url.deletingLastPathComponent()
                }.deletingLastPathComponent().appendingPathComponent("sql")
            }
        return candidates.first { FileManager.default.fileExists(atPath: $0.appendingPathComponent("001_users.sql").path) }
            ?? candidates[0]
    }
}
