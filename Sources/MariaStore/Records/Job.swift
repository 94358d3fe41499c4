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
    /// The escrow still held for the job: the bounty of each of its `escrowedSlots`.
    public let budgetLeft: Money
    /// Pending results older than this are approved by the worker.
    public let autoApproveAfterHours: Int
    public let quality: QualitySettings
    /// Images marked gold (their known boxes set by the requester).
    public let goldImageCount: Int
    /// Slots whose bounty the escrow holds: open, leased, or with a pending result.
    public let escrowedSlots: Int
    public let imageCount: Int
    /// Results that count: approved and pending.
    public let trainCount: Int
    public let openSlots: Int
    /// Slots opened (paid into escrow) over all images.
    public let slotsFunded: Int
    public let pendingCount: Int
    public let approvedCount: Int
    public let rejectedCount: Int
    public let createdAt: Date
    public let updatedAt: Date

    /// Slots of the job's images not paid for yet (none once finished): each ordinary image
    /// gets its results per image, each gold image its gold answers.
    public var unfundedSlots: Int {
        guard state != .finished else { return 0 }
        return (imageCount - goldImageCount) * resultsPerImage + goldImageCount * quality.goldAnswersPerImage - slotsFunded
    }
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
    public var autoApproveAfterHours: Int
    public var quality: QualitySettings
    public var startTime: Date?
    public var endTime: Date?

    /// The review window when none is given: three days, as Mechanical Turk's default.
    public static let defaultAutoApproveAfterHours = 72

    public init(
        name: String, title: String, description: String, instructions: String, type: String,
        labels: [String], bounty: Money, budget: Money, resultsPerImage: Int,
        autoApproveAfterHours: Int = JobDraft.defaultAutoApproveAfterHours, quality: QualitySettings = QualitySettings(),
        startTime: Date?, endTime: Date?
    ) {
        self.name = name
        self.title = title
        self.description = description
        self.instructions = instructions
        self.type = type
        self.labels = labels
        self.bounty = bounty
        self.budget = budget
        self.resultsPerImage = resultsPerImage
        self.autoApproveAfterHours = autoApproveAfterHours
        self.quality = quality
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
