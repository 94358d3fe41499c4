import MariaStore

/// One result on an image, as the consensus weighs it: the boxes one tasker drew and how
/// far their work is trusted.
public struct ConsensusInput: Sendable, Equatable {
    /// The result's id.
    public let trainID: Int64
    /// The tasker who handed it in.
    public let taskerID: Int64
    /// The boxes, in the order the tasker drew them; none when `nothingToMark`.
    public let boxes: [Box]
    /// True when the tasker answered that the image holds nothing to mark.
    public let nothingToMark: Bool
    /// How much the tasker's boxes move the consensus boxes: their measured accuracy
    /// (`TaskerAccuracy.accuracy`), 1 when unknown. It weighs where a box lies, not
    /// whether an object is there: every result counts once for that.
    public let weight: Double

    /// A result; boxes are left out when `nothingToMark`, as the store refuses both.
    public init(trainID: Int64, taskerID: Int64, boxes: [Box], nothingToMark: Bool = false, weight: Double = 1) {
        self.trainID = trainID
        self.taskerID = taskerID
        self.boxes = nothingToMark ? [] : boxes
        self.nothingToMark = nothingToMark
        self.weight = weight
    }

    /// A stored result, weighed by its tasker's accuracy.
    public init(_ train: Train, weight: Double = 1) {
        self.init(
            trainID: train.id, taskerID: train.taskerID, boxes: train.boxes, nothingToMark: train.nothingToMark,
            weight: weight)
    }
}
