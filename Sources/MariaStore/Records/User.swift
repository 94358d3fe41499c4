import Foundation

/// What a user may do: label (tasker), pay for labels (requester), administer (admin).
public enum Role: String, Codable, Sendable, CaseIterable {
    case tasker, requester, admin
}

/// A person with an account; `balance` is their account's balance.
public struct User: Sendable {
    public let id: Int64
    public let email: String
    public let screenName: String
    public let role: Role
    public let accountID: Int64
    public let balance: Money
    public let createdAt: Date
}
