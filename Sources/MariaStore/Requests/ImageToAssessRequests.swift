import Foundation

/// An image as quality control first looks at it, to tell whether it is due for an
/// assessment (Marketplace's `Assessor`) without reading its results.
public struct ImageToAssess: Sendable {
    public let taskID: Int64
    public let isGold: Bool
    /// Its results that count (pending and approved), and the slots paid for it.
    public let trainCount: Int
    public let slotsOpened: Int
    public let rules: JobQualityRules
}

extension ImageToAssess {
    /// The images with these ids (those that exist), in one query whatever their number.
    static func withIDs(_ ids: [Int64]) -> Query<ImageToAssess> {
        Query(
            """
            SELECT t.id, t.job_id, t.is_gold, t.train_count, t.results_wanted, j.requester_id, j.results_per_image,
                   \(Job.qualityColumns)
            FROM tasks t JOIN jobs j ON j.id = t.job_id
            WHERE t.id IN (\(IDList.rows))
            ORDER BY t.id
            """, [IDList.json(ids)]
        ) { row in
            ImageToAssess(
                taskID: try row["id"], isGold: try row["is_gold"], trainCount: try row["train_count"],
                slotsOpened: try row["results_wanted"],
                rules: JobQualityRules(
                    jobID: try row["job_id"], requesterID: try row["requester_id"],
                    resultsPerImage: try row["results_per_image"], quality: try Job.quality(row)))
        }
    }
}
