/// What a job's gold schedule needs to know: how many gold images the job has, how often a
/// tasker gets one, and the job's secret seed for where in their images (never shown).
public struct GoldPlan: Sendable, Equatable {
    public let jobID: Int64
    public let goldImages: Int
    /// One gold image in every `rateEarly` of a tasker's first `earlyImages`, then one in every
    /// `rateLater`.
    public let rateEarly: Int
    public let earlyImages: Int
    public let rateLater: Int
    public let seed: Int64

    public init(jobID: Int64, goldImages: Int, rateEarly: Int, earlyImages: Int, rateLater: Int, seed: Int64) {
        self.jobID = jobID
        self.goldImages = goldImages
        self.rateEarly = rateEarly
        self.earlyImages = earlyImages
        self.rateLater = rateLater
        self.seed = seed
    }
}

/// A tasker's images in a job so far, and the gold ones among them.
public struct GoldCount: Sendable, Equatable {
    public var taken: Int
    public var gold: Int

    public init(taken: Int, gold: Int) {
        self.taken = taken
        self.gold = gold
    }
}
