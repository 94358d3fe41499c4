import Foundation
import MariaStore

/// A job as its requester sees it; taskers see the same without the budget and the review counts.
struct JobView: Encodable {
    let id: Int64
    let name: String
    let title: String
    let description: String
    let instructions: String
    let type: String
    let labels: [String]
    let bounty: Money
    let budget: Money?
    let budgetLeft: Money
    let resultsPerImage: Int
    let autoApproveAfterHours: Int
    let state: JobState
    let startTime: Date?
    let endTime: Date?
    let imageCount: Int
    let trainCount: Int
    let openSlots: Int
    let slotsFunded: Int?
    let unfundedSlots: Int?
    let topUpCost: Money?
    let pendingCount: Int?
    let approvedCount: Int?
    let rejectedCount: Int?
    let imagesLeftForMe: Int?
    let quality: QualityView?
    let goldImageCount: Int?
    let createdAt: Date
    let updatedAt: Date

    init(_ job: Job, forTasker imagesLeft: Int? = nil) {
        id = job.id
        name = job.name
        title = job.title
        description = job.description
        instructions = job.instructions
        type = job.type
        labels = job.labels
        bounty = job.bounty
        budget = imagesLeft == nil ? job.budget : nil
        budgetLeft = job.budgetLeft
        resultsPerImage = job.resultsPerImage
        autoApproveAfterHours = job.autoApproveAfterHours
        state = job.state
        startTime = job.startTime
        endTime = job.endTime
        imageCount = job.imageCount
        trainCount = job.trainCount
        openSlots = job.openSlots
        let owner = imagesLeft == nil
        slotsFunded = owner ? job.slotsFunded : nil
        unfundedSlots = owner ? job.unfundedSlots : nil
        topUpCost = owner ? job.bounty * job.unfundedSlots : nil
        pendingCount = owner ? job.pendingCount : nil
        approvedCount = owner ? job.approvedCount : nil
        rejectedCount = owner ? job.rejectedCount : nil
        imagesLeftForMe = imagesLeft
        quality = owner ? QualityView(job.quality) : nil
        goldImageCount = owner ? job.goldImageCount : nil
        createdAt = job.createdAt
        updatedAt = job.updatedAt
    }
}

/// A job's quality settings (`QualityInput` is what may be sent).
struct QualityView: Encodable {
    struct GoldRate: Encodable {
        let early: Int
        let earlyImages: Int
        let later: Int
    }

    let iouThreshold: Double
    let minResultsPerImage: Int?
    let agreementThreshold: Double
    let autoReview: String
    let goldRate: GoldRate
    let goldAnswersPerImage: Int
    let accuracyThreshold: Double
    let minGoldAnswers: Int

    init(_ quality: QualitySettings) {
        iouThreshold = quality.iouThreshold
        minResultsPerImage = quality.minResultsPerImage
        agreementThreshold = quality.agreementThreshold
        autoReview = quality.autoReview.rawValue
        goldRate = GoldRate(early: quality.goldRateEarly, earlyImages: quality.goldEarlyImages, later: quality.goldRateLater)
        goldAnswersPerImage = quality.goldAnswersPerImage
        accuracyThreshold = quality.accuracyThreshold
        minGoldAnswers = quality.minGoldAnswers
    }
}
