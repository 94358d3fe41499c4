import Foundation
import MariaStore

/// A user as they see themselves (`GET /api/me`).
struct UserView: Encodable {
    let id: Int64
    let email: String
    let screenName: String
    let role: Role
    let balance: Money
    let earnedToday: Money
    let createdAt: Date

    init(_ user: User, earnedToday: Money) {
        id = user.id
        email = user.email
        screenName = user.screenName
        role = user.role
        balance = user.balance
        self.earnedToday = earnedToday
        createdAt = user.createdAt
    }
}

/// What register and login answer: the user and the session token.
struct SessionView: Encodable {
    let user: UserView
    let token: String
    let expiresAt: Date
}
