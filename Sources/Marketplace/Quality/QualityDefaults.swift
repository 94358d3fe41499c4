/// The quality settings a job starts with, where it names none of its own.
public enum QualityDefaults {
    /// How much two boxes must overlap (IoU) to mark the same object.
    public static let iouThreshold = 0.5

    /// The agreement an image needs before it is done, and a result needs to agree with
    /// the others (`ReviewVerdict`).
    public static let agreementThreshold = 0.7

    /// The F1 an answer on a gold image needs to pass.
    public static let goldPassLine = 0.5
}
