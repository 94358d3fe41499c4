import Foundation
import MariaStore
import Marketplace

/// The fields a requester sends to create or change a job; all optional so that PATCH
/// can send only what changes. `draft(over:)` merges them and has the job checked
/// (`JobRules`). The decoding and the merge stay here, in the HTTP layer: which fields a
/// body may leave out, and the 400 for a missing one, are the API's shape, not the
/// marketplace's rules.
struct JobInput: Decodable {
    var name: String?
    var title: String?
    var description: String?
    var instructions: String?
    var type: String?
    var labels: [String]?
    var bounty: Money?
    var budget: Money?
    var resultsPerImage: Int?
    var autoApproveAfterHours: Int?
    var startTime: Date??
    var endTime: Date??
    var quality: QualityInput?

    static let defaultResultsPerImage = 3

    enum CodingKeys: String, CodingKey {
        case name, title, description, instructions, type, labels, bounty, budget, resultsPerImage, autoApproveAfterHours
        case startTime, endTime, quality
    }

    init(from decoder: Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        name = try container.decodeIfPresent(String.self, forKey: .name)
        title = try container.decodeIfPresent(String.self, forKey: .title)
        description = try container.decodeIfPresent(String.self, forKey: .description)
        instructions = try container.decodeIfPresent(String.self, forKey: .instructions)
        type = try container.decodeIfPresent(String.self, forKey: .type)
        labels = try container.decodeIfPresent([String].self, forKey: .labels)
        bounty = try container.decodeIfPresent(Money.self, forKey: .bounty)
        budget = try container.decodeIfPresent(Money.self, forKey: .budget)
        resultsPerImage = try container.decodeIfPresent(Int.self, forKey: .resultsPerImage)
        autoApproveAfterHours = try container.decodeIfPresent(Int.self, forKey: .autoApproveAfterHours)
        quality = try container.decodeIfPresent(QualityInput.self, forKey: .quality)
        // A present key with null clears the time; an absent key keeps it.
        if container.contains(.startTime) { startTime = .some(try JobInput.time(.startTime, in: container)) }
        if container.contains(.endTime) { endTime = .some(try JobInput.time(.endTime, in: container)) }
    }

    init() {}

    /// An ISO 8601 time (`2026-11-26T15:00:00Z`, fractions of a second allowed) or null.
    static func time(_ key: CodingKeys, in container: KeyedDecodingContainer<CodingKeys>) throws -> Date? {
        guard let text = try container.decodeIfPresent(String.self, forKey: key) else { return nil }
        guard let date = ISO8601Time.date(from: text) else {
            throw DecodingError.dataCorruptedError(
                forKey: key, in: container,
                debugDescription: "an ISO 8601 time such as 2026-11-26T15:00:00Z, in the years 1000 to 9999")
        }
        return date
    }

    /// The job's fields after this input, checked; `job` is nil when creating.
    func draft(over job: Job?) throws -> JobDraft {
        func required<T>(_ value: T?, _ current: T?, _ field: String) throws -> T {
            guard let value = value ?? current else {
                throw APIError.badRequest("Missing field \(field).", code: "missing_field")
            }
            return value
        }
        let draft = JobDraft(
            name: try required(name, job?.name, "name").trimmingCharacters(in: .whitespacesAndNewlines),
            title: try required(title, job?.title, "title").trimmingCharacters(in: .whitespacesAndNewlines),
            description: description ?? job?.description ?? "",
            instructions: instructions ?? job?.instructions ?? "",
            type: type ?? job?.type ?? "ImageRegion",
            labels: (labels ?? job?.labels ?? ["object"]).map { $0.trimmingCharacters(in: .whitespacesAndNewlines) },
            bounty: try required(bounty, job?.bounty, "bounty"),
            budget: try required(budget, job?.budget, "budget"),
            resultsPerImage: resultsPerImage ?? job?.resultsPerImage ?? JobInput.defaultResultsPerImage,
            autoApproveAfterHours: autoApproveAfterHours ?? job?.autoApproveAfterHours
                ?? JobDraft.defaultAutoApproveAfterHours,
            quality: (quality ?? QualityInput()).settings(over: job?.quality ?? QualitySettings()),
            startTime: startTime ?? job?.startTime,
            endTime: endTime ?? job?.endTime)
        try JobRules.check(draft)
        return draft
    }
}

/// A job's `quality` object as sent: every field optional, merged over the job's settings.
/// `minResultsPerImage: null` goes back to a fixed number of results per image.
struct QualityInput: Decodable {
    struct GoldRateInput: Decodable {
        var early: Int?
        var earlyImages: Int?
        var later: Int?
    }

    var iouThreshold: Double?
    var minResultsPerImage: Int??
    var agreementThreshold: Double?
    var autoReview: String?
    var goldRate: GoldRateInput?
    var goldAnswersPerImage: Int?
    var accuracyThreshold: Double?
    var minGoldAnswers: Int?

    enum CodingKeys: String, CodingKey {
        case iouThreshold, minResultsPerImage, agreementThreshold, autoReview, goldRate, goldAnswersPerImage
        case accuracyThreshold, minGoldAnswers
    }

    init() {}

    init(from decoder: Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        iouThreshold = try container.decodeIfPresent(Double.self, forKey: .iouThreshold)
        if container.contains(.minResultsPerImage) {
            minResultsPerImage = .some(try container.decodeIfPresent(Int.self, forKey: .minResultsPerImage))
        }
        agreementThreshold = try container.decodeIfPresent(Double.self, forKey: .agreementThreshold)
        autoReview = try container.decodeIfPresent(String.self, forKey: .autoReview)
        goldRate = try container.decodeIfPresent(GoldRateInput.self, forKey: .goldRate)
        goldAnswersPerImage = try container.decodeIfPresent(Int.self, forKey: .goldAnswersPerImage)
        accuracyThreshold = try container.decodeIfPresent(Double.self, forKey: .accuracyThreshold)
        minGoldAnswers = try container.decodeIfPresent(Int.self, forKey: .minGoldAnswers)
        if let autoReview, QualitySettings.AutoReview(rawValue: autoReview) == nil {
            throw DecodingError.dataCorruptedError(
                forKey: .autoReview, in: container, debugDescription: "one of off, hold, reject")
        }
    }

    func settings(over current: QualitySettings) -> QualitySettings {
        var settings = current
        if let iouThreshold { settings.iouThreshold = iouThreshold }
        if let minResultsPerImage { settings.minResultsPerImage = minResultsPerImage }
        if let agreementThreshold { settings.agreementThreshold = agreementThreshold }
        if let autoReview { settings.autoReview = QualitySettings.AutoReview(rawValue: autoReview) ?? current.autoReview }
        if let early = goldRate?.early { settings.goldRateEarly = early }
        if let earlyImages = goldRate?.earlyImages { settings.goldEarlyImages = earlyImages }
        if let later = goldRate?.later { settings.goldRateLater = later }
        if let goldAnswersPerImage { settings.goldAnswersPerImage = goldAnswersPerImage }
        if let accuracyThreshold { settings.accuracyThreshold = accuracyThreshold }
        if let minGoldAnswers { settings.minGoldAnswers = minGoldAnswers }
        return settings
    }
}
