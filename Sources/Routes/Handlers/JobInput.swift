import Foundation
import MariaStore

/// The fields a requester sends to create or change a job; all optional so that PATCH
/// can send only what changes. `draft(over:)` merges them and checks every rule.
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

    static let defaultResultsPerImage = 3
    static let maxAutoApproveAfterHours = 8760

    enum CodingKeys: String, CodingKey {
        case name, title, description, instructions, type, labels, bounty, budget, resultsPerImage, autoApproveAfterHours
        case startTime, endTime
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
            startTime: startTime ?? job?.startTime,
            endTime: endTime ?? job?.endTime)
        try JobInput.check(draft)
        return draft
    }

    /// Lengths count Unicode scalars, as MariaDB's VARCHAR(n) counts code points (Swift's
    /// `count` counts user-perceived characters, which can be fewer).
    static func check(_ draft: JobDraft) throws {
        func invalid(_ message: String) -> APIError { APIError.invalid(message, code: "invalid_job") }
        guard (1...120).contains(draft.name.unicodeScalars.count) else { throw invalid("name needs 1 to 120 characters.") }
        guard (1...200).contains(draft.title.unicodeScalars.count) else { throw invalid("title needs 1 to 200 characters.") }
        guard TextRules.hasNoControls(draft.name), TextRules.hasNoControls(draft.title) else {
            throw invalid("name and title are one line each, without control characters.")
        }
        guard draft.description.unicodeScalars.count <= 20_000, draft.instructions.unicodeScalars.count <= 20_000 else {
            throw invalid("description and instructions hold at most 20,000 characters each.")
        }
        guard TextRules.hasNoControls(draft.description, allowingLineBreaks: true),
            TextRules.hasNoControls(draft.instructions, allowingLineBreaks: true)
        else {
            throw invalid("description and instructions hold no control characters but line breaks and tabs.")
        }
        guard draft.type == "ImageRegion" else { throw invalid("type must be \"ImageRegion\".") }
        // Labels become class names in the exports: no control characters (a line break in
        // a CSV or YOLO names file), and no two that differ only in case.
        guard (1...50).contains(draft.labels.count), draft.labels.allSatisfy({ (1...64).contains($0.unicodeScalars.count) }),
            Set(draft.labels.map { $0.lowercased() }).count == draft.labels.count,
            draft.labels.allSatisfy({ TextRules.hasNoControls($0) })
        else {
            throw invalid(
                "labels must be 1 to 50 names of 1 to 64 characters, without control characters, no two alike (in any case).")
        }
        guard draft.bounty > .zero, draft.bounty <= Money(cents: 100_000) else {
            throw invalid("bounty must be more than 0.00 and at most 1000.00.")
        }
        guard draft.budget >= .zero, draft.budget <= Jobs.maxBudget else {
            throw invalid("budget must be from 0.00 to 100000000.00.")
        }
        guard (1...1000).contains(draft.resultsPerImage) else { throw invalid("resultsPerImage must be from 1 to 1000.") }
        guard (0...JobInput.maxAutoApproveAfterHours).contains(draft.autoApproveAfterHours) else {
            throw invalid("autoApproveAfterHours must be from 0 to \(JobInput.maxAutoApproveAfterHours) (a year).")
        }
        if let start = draft.startTime, let end = draft.endTime, end <= start {
            throw invalid("endTime must come after startTime.")
        }
    }
}
