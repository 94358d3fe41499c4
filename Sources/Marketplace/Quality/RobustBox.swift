import MariaStore

extension Box {
    /// One box for several boxes of the same object: each corner coordinate (left, top,
    /// right, bottom) is the weighted median of the boxes' own, so one badly drawn box
    /// cannot drag the result; with two boxes, which have no median, the weighted mean.
    /// `boxes` must not be empty; the result carries `label`.
    static func robustAverage(of boxes: [Box], weights: [Double], label: String) -> Box {
        precondition(!boxes.isEmpty, "a robust average needs at least one box")
        if boxes.count == 1 {
            return Box(x: boxes[0].x, y: boxes[0].y, w: boxes[0].w, h: boxes[0].h, label: label)
        }
        let average = boxes.count == 2 ? weightedMean : weightedMedian
        let left = average(boxes.map(\.x), weights)
        let top = average(boxes.map(\.y), weights)
        let right = average(boxes.map { $0.x + $0.w }, weights)
        let bottom = average(boxes.map { $0.y + $0.h }, weights)
        return Box(x: left, y: top, w: right - left, h: bottom - top, label: label)
    }
}
