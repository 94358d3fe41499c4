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
        if submission.nothingToMark {
            guard submission.boxes.isEmpty else {
                throw MarketError(.invalid, "boxes_with_nothing_to_mark", "A train marked \"nothing to mark\" cannot have boxes.")
            }
            return
        }
        guard !submission.boxes.isEmpty else {
            throw MarketError(.invalid, "empty_train", "Draw at least one box, or answer \"nothing to mark\".")
        }
        guard submission.boxes.count <= maxBoxes else {
            throw MarketError(.invalid, "too_many_boxes", "A train holds at most \(maxBoxes) boxes.")
        }
        let width = Double(lease.imageWidth)
        let height = Double(lease.imageHeight)
        for (index, box) in submission.boxes.enumerated() {
            guard [box.x, box.y, box.w, box.h].allSatisfy(\.isFinite), box.w > 0, box.h > 0,
                box.x >= 0, box.y >= 0, box.x + box.w <= width, box.y + box.h <= height
            else {
                throw MarketError(
                    .invalid, "box_outside_image",
                    "Box \(index + 1) must have a positive size and lie inside the \(lease.imageWidth)x\(lease.imageHeight) image."
                )
            }
            guard lease.labels.contains(box.label) else {
                throw MarketError(
                    .invalid, "unknown_label",
                    "Box \(index + 1) has the label \"\(box.label)\", which is not one of this job's labels.")
            }
        }
    }
}
