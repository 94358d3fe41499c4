import MariaStore

/// What a result may hold: checked before it is stored, against the lease's image and the
/// job's labels.
public enum TrainRules {
    /// A result holds at most this many boxes.
    public static let maxBoxes = 500

    /// Boxes sent without a label (an empty one) take the job's label when it has only one.
    public static func labelled(_ submission: TrainSubmission, for lease: Lease) -> TrainSubmission {
        guard lease.labels.count == 1, submission.boxes.contains(where: { $0.label.isEmpty }) else { return submission }
        let label = lease.labels[0]
        return TrainSubmission(
            boxes: submission.boxes.map { box in
                var box = box
                if box.label.isEmpty { box.label = label }
                return box
            }, nothingToMark: submission.nothingToMark, coordinateSpace: submission.coordinateSpace)
    }

    /// Refuses a submission (after `labelled`) that breaks the job's rules: an empty result,
    /// boxes beside "nothing to mark", a box outside the image or with a label the job does
    /// not have.
    public static func validate(_ submission: TrainSubmission, for lease: Lease) throws {
        try validate(
            boxes: submission.boxes, nothingToMark: submission.nothingToMark,
            width: lease.imageWidth, height: lease.imageHeight, labels: lease.labels)
    }

    /// The same rules for boxes on an image of `width` x `height` pixels with the job's `labels`
    /// (a result, or a gold image's known answer).
    public static func validate(boxes: [Box], nothingToMark: Bool, width: Int, height: Int, labels: [String]) throws {
        if nothingToMark {
            guard boxes.isEmpty else {
                throw MarketError(.invalid, "boxes_with_nothing_to_mark", "A train marked \"nothing to mark\" cannot have boxes.")
            }
            return
        }
        guard !boxes.isEmpty else {
            throw MarketError(.invalid, "empty_train", "Draw at least one box, or answer \"nothing to mark\".")
        }
        guard boxes.count <= maxBoxes else {
            throw MarketError(.invalid, "too_many_boxes", "A train holds at most \(maxBoxes) boxes.")
        }
        for (index, box) in boxes.enumerated() {
            guard [box.x, box.y, box.w, box.h].allSatisfy(\.isFinite), box.w > 0, box.h > 0,
                box.x >= 0, box.y >= 0, box.x + box.w <= Double(width), box.y + box.h <= Double(height)
            else {
                throw MarketError(
                    .invalid, "box_outside_image",
                    "Box \(index + 1) must have a positive size and lie inside the \(width)x\(height) image.")
            }
            guard labels.contains(box.label) else {
                throw MarketError(
                    .invalid, "unknown_label",
                    "Box \(index + 1) has the label \"\(box.label)\", which is not one of this job's labels.")
            }
        }
    }
}
