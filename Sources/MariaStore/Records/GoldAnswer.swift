import Foundation

/// The known answer of a gold image: the boxes a careful tasker would draw, or nothing to
/// mark.
public struct GoldAnswer: Codable, Equatable, Sendable {
    public let boxes: [Box]
    public let nothingToMark: Bool

    public init(boxes: [Box], nothingToMark: Bool) {
        self.boxes = boxes
        self.nothingToMark = nothingToMark
    }

    /// The answer as the column `tasks.gold_answer` holds it.
    func json() throws -> String {
        String(decoding: try JSONEncoder().encode(self), as: UTF8.self)
    }

    /// The answer from `tasks.gold_answer`; nil for none (or a value that is not one).
    static func decode(_ json: String?) -> GoldAnswer? {
        json.flatMap { try? JSONDecoder().decode(GoldAnswer.self, from: Data($0.utf8)) }
    }
}
