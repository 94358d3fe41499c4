/// What an image needs next, as `AdaptiveRedundancy` decides it.
public enum RedundancyDecision: Sendable, Equatable {
    /// The image has enough results that agree: no more slots.
    case done
    /// The image needs one more result.
    case needsMore
    /// The results disagree, but the image has as many as the job pays for.
    case exhausted
}

/// The job's rule for how many results an image gets: at least `minimumResults`, then
/// one more at a time while they disagree, up to `maximumResults`.
public struct AdaptiveRedundancy: Sendable, Equatable {
    /// The results every image gets.
    public var minimumResults: Int
    /// The most results an image gets; never fewer than `minimumResults`.
    public var maximumResults: Int
    /// The agreement (`Consensus.agreement`) at which an image is done.
    public var agreementThreshold: Double

    /// A job's rule.
    public init(
        minimumResults: Int, maximumResults: Int, agreementThreshold: Double = QualityDefaults.agreementThreshold
    ) {
        self.minimumResults = minimumResults
        self.maximumResults = maximumResults
        self.agreementThreshold = agreementThreshold
    }

    /// What an image with `resultCount` results and their `agreement` needs: more while
    /// under the minimum; then done once they agree and no object is `undecided`
    /// (`Consensus.undecided`: one more result could keep or drop it); else more until the
    /// maximum, then exhausted (the requester decides).
    public func decision(resultCount: Int, agreement: Double, undecided: Int = 0) -> RedundancyDecision {
        if resultCount < minimumResults { return .needsMore }
        if agreement >= agreementThreshold, undecided == 0 { return .done }
        return resultCount < max(minimumResults, maximumResults) ? .needsMore : .exhausted
    }
}
