import MariaStore

/// An object the results agree on: its box and how sure the consensus is of it.
public struct ConsensusBox: Sendable, Equatable {
    /// The robust average of the results' boxes for the object.
    public let box: Box
    /// The results with a box for the object, by id, ascending.
    public let trainIDs: [Int64]
    /// The share of the image's results with a box for the object, from 0.5 to 1.
    public let share: Double
    /// The mean IoU of those results' boxes with `box`: how closely they fit.
    public let meanIoU: Double

    /// The confidence in the object, from 0 to 1: `share × meanIoU` (the `score` of a COCO
    /// detection).
    public var score: Double { share * meanIoU }
}
