import Foundation

/// draft -> active <-> paused -> finished.
public enum JobState: String, Codable, Sendable {
    case draft, active, paused, finished
}

/// A requester's labelling job, with its escrow and progress.
public struct Job: Sendable {
    public let id: Int64
    public let requesterID: Int64
    public let name: String
    public let title: String
    public let description: String
    public let instructions: String
    public let type: String
    public let labels: [String]
    public let bounty: Money
    public let budget: Money
    public let resultsPerImage: Int
    public let state: JobState
    public let startTime: Date?
    public let endTime: Date?
    public let accountID: Int64
    /// The escrow still held for the job.
    public let budgetLeft: Money
    /// The part of the escrow promised to live leases.
    public let reserved: Money
    public let imageCount: Int
    public let trainCount: Int
    public let openSlots: Int
    public let createdAt: Date
    public let updatedAt: Date
}

/// The fields a requester sets on a job.
public struct JobDraft: Sendable {
    public var name: String
    public var title: String
    public var description: String
    public var instructions: String
    public var type: String
    public var labels: [String]
    public var bounty: Money
    public var budget: Money
    public var resultsPerImage: Int
    public var startTime: Date?
    public var endTime: Date?

    public init(name: String, title: String, description: String, instructions: String, type: String,
                labels: [String], bounty: Money, budget: Money, resultsPerImage: Int,
                startTime: Date?, endTime: Date?) {
        self.name = name
        self.title = title
        self.description = description
        self.instructions = instructions
        self.type = type
        self.labels = labels
        self.bounty = bounty
        self.budget = budget
        self.resultsPerImage = resultsPerImage
        self.startTime = startTime
        self.endTime = endTime
    }
}

/// A job as a tasker sees it in the list of open jobs.
public struct OpenJob: Sendable {
    public let job: Job
    /// Tasks this tasker can still take (counted up to `OpenJob.countLimit`).
    public let imagesLeftForMe: Int
    public static let countLimit = 10_000
}
