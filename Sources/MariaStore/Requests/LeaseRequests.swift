import Foundation

/// The queries that read leases, with what the labelling screen needs of the image and the
/// job, and how a row becomes a `Lease`.
extension Lease {
    /// The lease with this id.
    static func withID(_ id: Int64) -> Query<Lease> {
        Query("\(Lease.select) WHERE l.id = ?", [id], Lease.init(row:))
    }

    /// The lease a tasker holds or held on a task: at most one, ever (UNIQUE (task_id, tasker_id)).
    static func of(task taskID: Int64, tasker taskerID: Int64) -> Query<Lease> {
        Query("\(Lease.select) WHERE l.task_id = ? AND l.tasker_id = ?", [taskID, taskerID], Lease.init(row:))
    }

    private static let select = """
        SELECT l.id, l.task_id, l.job_id, l.tasker_id, l.state, l.bounty, l.created_at, l.expires_at,
               t.width, t.height, j.labels
        FROM leases l JOIN tasks t ON t.id = l.task_id JOIN jobs j ON j.id = l.job_id
        """

    /// A lease from a row of `select`, or of `tasker_cycle`'s answer, which has the same columns.
    init(row: Row) throws {
        id = try row["id"]
        taskID = try row["task_id"]
        jobID = try row["job_id"]
        taskerID = try row["tasker_id"]
        state = LeaseState(rawValue: try row["state"]) ?? .expired
        bounty = try row["bounty"]
        createdAt = try row["created_at"]
        expiresAt = try row["expires_at"]
        imageWidth = try row["width"]
        imageHeight = try row["height"]
        labels = Jobs.decodeLabels(try row["labels"])
    }
}
