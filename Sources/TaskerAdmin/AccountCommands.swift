import ArgumentParser
import Foundation
import MariaStore
import Marketplace

/// Accounts.

struct CreateAdmin: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "create-admin",
        abstract: "Create an admin account, or make an existing account an admin.",
        discussion: "The password is read from $TASKER_ADMIN_PASSWORD; without it a random one is made and printed once.")
    @OptionGroup var instance: InstanceOptions
    @Argument(help: "The admin's email.") var email: String

    func run() throws {
        let config = try instance.serverConfig()
        let store = try instance.store()
        let email = try Accounts.normalizedEmail(self.email)
        if let user = try store.users.find(email: email) {
            try store.users.setRole(userID: user.id, role: .admin)
            print("\(email) is now an admin.")
            return
        }
        var password = ProcessInfo.processInfo.environment["TASKER_ADMIN_PASSWORD"] ?? ""
        let generated = password.isEmpty
        if generated { password = String(SessionToken.generate().prefix(20)) }
        let hasher = Services(config: config).passwords
        _ = try store.users.create(email: email, screenName: "admin", passwordHash: try hasher.hash(password), role: .admin)
        print("Created the admin \(email).")
        if generated { print("Password (shown once): \(password)") }
    }
}
