/// What the marketplace does with the results of a job's images besides paying for them:
/// consensus, automatic review, adaptive redundancy and gold images (Marketplace's
/// `Quality`).
public struct QualitySettings: Sendable, Equatable {
    /// What automatic review does once an image has its results: nothing (`off`); approve
    /// those that agree with the consensus and leave the others pending (`hold`), or reject
    /// those with a reason (`reject`).
    public enum AutoReview: String, Sendable, CaseIterable {
        case off, hold, reject
    }

    /// Two boxes overlap enough to be the same object (intersection over union).
    public var iouThreshold: Double
    /// Adaptive redundancy: an image is offered to this many taskers first, and to one more
    /// at a time while their agreement is below `agreementThreshold`, up to the job's results
    /// per image. nil: every image gets the job's results per image.
    public var minResultsPerImage: Int?
    public var agreementThreshold: Double
    public var autoReview: AutoReview
    /// A tasker gets one gold image in every `goldRateEarly` of their first `goldEarlyImages`
    /// in the job, then one in every `goldRateLater`.
    public var goldRateEarly: Int
    public var goldEarlyImages: Int
    public var goldRateLater: Int
    /// Slots of each gold image (answers paid like any result).
    public var goldAnswersPerImage: Int
    /// Below this accuracy on gold images, after at least `minGoldAnswers`, a tasker is
    /// blocked from the job.
    public var accuracyThreshold: Double
    public var minGoldAnswers: Int

    public init(
        iouThreshold: Double = 0.5, minResultsPerImage: Int? = nil, agreementThreshold: Double = 0.7,
        autoReview: AutoReview = .off, goldRateEarly: Int = 10, goldEarlyImages: Int = 20, goldRateLater: Int = 20,
        goldAnswersPerImage: Int = 30, accuracyThreshold: Double = 0.7, minGoldAnswers: Int = 3
    ) {
        self.iouThreshold = iouThreshold
        self.minResultsPerImage = minResultsPerImage
        self.agreementThreshold = agreementThreshold
        self.autoReview = autoReview
        self.goldRateEarly = goldRateEarly
        self.goldEarlyImages = goldEarlyImages
        self.goldRateLater = goldRateLater
        self.goldAnswersPerImage = goldAnswersPerImage
        self.accuracyThreshold = accuracyThreshold
        self.minGoldAnswers = minGoldAnswers
    }

    /// The results an image is offered to at first: `minResultsPerImage`, or all of them.
    public func firstOffered(resultsPerImage: Int) -> Int {
        min(minResultsPerImage ?? resultsPerImage, resultsPerImage)
    }
}

/// What quality control needs of a job, read without the job's figures (which count over
/// all of its images).
public struct JobQualityRules: Sendable {
    public let jobID: Int64
    public let requesterID: Int64
    public let resultsPerImage: Int
    public let quality: QualitySettings
}
