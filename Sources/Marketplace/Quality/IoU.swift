import MariaStore

extension Box {
    /// How much this box and another overlap: the area they share over the area they cover
    /// together (intersection over union), from 0 (apart, or either box without area) to 1
    /// (the same rectangle). Labels play no part.
    public func iou(with other: Box) -> Double {
        guard hasArea, other.hasArea else { return 0 }
        let sharedWidth = min(x + w, other.x + other.w) - max(x, other.x)
        let sharedHeight = min(y + h, other.y + other.h) - max(y, other.y)
        guard sharedWidth > 0, sharedHeight > 0 else { return 0 }
        let shared = sharedWidth * sharedHeight
        return min(1, shared / (w * h + other.w * other.h - shared))
    }

    /// True when the box has finite coordinates and a positive width and height: the only
    /// boxes the quality engine weighs (the store refuses the others).
    var hasArea: Bool {
        x.isFinite && y.isFinite && w.isFinite && h.isFinite && w > 0 && h > 0
    }
}
