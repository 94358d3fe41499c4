/// The weighted median of `values`: the value where the weights below and above it each
/// reach at most half the total. When the weights up to a value come to exactly half, the
/// median is the mean of that value and the next, so equal weights give the ordinary
/// median. Weights that are negative or not finite count as 0; when no weight is positive,
/// all count the same. `values` must not be empty.
func weightedMedian(_ values: [Double], weights: [Double]) -> Double {
    precondition(!values.isEmpty && values.count == weights.count, "a weighted median needs one weight per value")
    let equal = !weights.contains { usable($0) > 0 }
    var entries = zip(values, weights).map { (value: $0, weight: equal ? 1 : usable($1)) }
    entries.sort { $0.value < $1.value }
    let half = entries.reduce(0) { $0 + $1.weight } / 2
    let tolerance = half * 1e-12
    var upTo = 0.0
    for (rank, entry) in entries.enumerated() where entry.weight > 0 {
        upTo += entry.weight
        if upTo > half + tolerance { return entry.value }
        if upTo >= half - tolerance {
            let next = entries[(rank + 1)...].first { $0.weight > 0 }
            return next.map { (entry.value + $0.value) / 2 } ?? entry.value
        }
    }
    return entries[entries.count - 1].value
}

/// The weighted mean of `values`, with the weights `weightedMedian` uses.
func weightedMean(_ values: [Double], weights: [Double]) -> Double {
    precondition(!values.isEmpty && values.count == weights.count, "a weighted mean needs one weight per value")
    let equal = !weights.contains { usable($0) > 0 }
    var sum = 0.0
    var total = 0.0
    for (value, weight) in zip(values, weights) {
        let weight = equal ? 1 : usable(weight)
        sum += value * weight
        total += weight
    }
    return sum / total
}

/// A weight as it counts: 0 when negative or not finite.
private func usable(_ weight: Double) -> Double {
    weight.isFinite && weight > 0 ? weight : 0
}
