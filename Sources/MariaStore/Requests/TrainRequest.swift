import Foundation

/// A request for results with their boxes: which results (`Filter`), in which order, and a
/// page of them. Two queries, whatever the number of results: one for the results, one for
/// all of their boxes.
///
///     let pending = try TrainRequest(.job(12, state: .pending, tasker: nil)).fetchAll(db)
struct TrainRequest {
    enum Filter {
        case id(Int64)
        case lease(Int64)
        /// The results of one task, oldest first.
        case task(Int64)
        /// A job's results, only those in `state` or of one tasker when given, oldest first.
        case job(Int64, state: ResultState?, tasker: Int64?)
        /// A tasker's own results, only those in `state` when given, newest first.
        case tasker(Int64, state: ResultState?)
        /// The first result that counts (not rejected) of each task of a job, in task order.
        case firstPerTask(job: Int64)
    }

    let filter: Filter
    /// A page: at most `limit` results after skipping `offset`.
    var page: (limit: Int, offset: Int)?

    init(_ filter: Filter, page: (limit: Int, offset: Int)? = nil) {
        self.filter = filter
        self.page = page
    }

    /// The results, with their boxes.
    func fetchAll(_ db: Connection) throws -> [Train] {
        let (condition, arguments) = self.condition
        var sql = "\(TrainRequest.select) WHERE \(condition) ORDER BY \(order)"
        var all = arguments
        if let page {
            sql += " LIMIT ? OFFSET ?"
            all += [page.limit, page.offset]
        }
        let rows = try db.rows(sql, arguments: all)
        guard !rows.isEmpty else { return [] }
        let boxes = try TrainRequest.boxes(of: try rows.map { try $0["id"] }, db)
        return try rows.map { try TrainRequest.train($0, boxes: boxes) }
    }

    /// How many results the filter selects, whatever the page.
    func fetchCount(_ db: Connection) throws -> Int {
        let (condition, arguments) = self.condition
        return try db.rows("SELECT COUNT(*) AS n FROM trains r WHERE \(condition)", arguments: arguments).first?["n"] ?? 0
    }

    // MARK: The SQL of each filter

    private var condition: (String, [DatabaseValueConvertible?]) {
        switch filter {
        case .id(let id): return ("r.id = ?", [id])
        case .lease(let id): return ("r.lease_id = ?", [id])
        case .task(let id): return ("r.task_id = ?", [id])
        case .job(let id, let state, let tasker):
            return (
                "r.job_id = ? AND (? IS NULL OR r.state = ?) AND (? IS NULL OR r.tasker_id = ?)",
                [id, state?.rawValue, state?.rawValue, tasker, tasker]
            )
        case .tasker(let id, let state):
            return ("r.tasker_id = ? AND (? IS NULL OR r.state = ?)", [id, state?.rawValue, state?.rawValue])
        case .firstPerTask(let job):
            return (
                "r.id IN (SELECT MIN(f.id) FROM trains f WHERE f.job_id = ? AND f.state <> 'rejected' GROUP BY f.task_id)",
                [job]
            )
        }
    }

    private var order: String {
        switch filter {
        case .tasker: return "r.id DESC"
        case .firstPerTask: return "r.task_id"
        case .id, .lease, .task, .job: return "r.id"
        }
    }

    private static let select = """
        SELECT r.id, r.lease_id, r.task_id, r.job_id, r.tasker_id, r.nothing_to_mark, r.coordinate_space,
               r.bounty, r.created_at, r.state, r.reject_reason, r.settled_at, r.agreement, r.agreement_note,
               u.screen_name, j.title, t.width, t.height
        FROM trains r JOIN users u ON u.id = r.tasker_id JOIN tasks t ON t.id = r.task_id JOIN jobs j ON j.id = r.job_id
        """

    // MARK: Boxes and decoding

    /// The boxes of these results, by result, each in the order it was drawn. Fixed-size IN
    /// lists (the last id repeated to fill one), so that one prepared statement serves every
    /// page size instead of one cached statement per length.
    private static func boxes(of ids: [Int64], _ db: Connection) throws -> [Int64: [Box]] {
        var boxes: [Int64: [Box]] = [:]
        for start in stride(from: 0, to: ids.count, by: boxChunk) {
            var slice = Array(ids[start..<min(start + boxChunk, ids.count)])
            slice += Array(repeating: slice[slice.count - 1], count: boxChunk - slice.count)
            for row in try db.rows(boxesSQL, arguments: slice) {
                boxes[try row["train_id"], default: []].append(
                    Box(x: try row["x"], y: try row["y"], w: try row["w"], h: try row["h"], label: try row["label"]))
            }
        }
        return boxes
    }

    private static let boxChunk = 64
    private static let boxesSQL =
        "SELECT train_id, x, y, w, h, label FROM boxes WHERE train_id IN ("
        + Array(repeating: "?", count: boxChunk).joined(separator: ", ") + ") ORDER BY id"

    private static func train(_ row: Row, boxes: [Int64: [Box]]) throws -> Train {
        let id: Int64 = try row["id"]
        return Train(
            id: id, leaseID: try row["lease_id"], taskID: try row["task_id"], jobID: try row["job_id"],
            taskerID: try row["tasker_id"], nothingToMark: try row["nothing_to_mark"],
            coordinateSpace: CoordinateSpace(rawValue: try row["coordinate_space"]) ?? .image,
            boxes: boxes[id] ?? [], bounty: try row["bounty"], createdAt: try row["created_at"],
            state: ResultState(rawValue: try row["state"]) ?? .pending,
            rejectReason: try row["reject_reason"], settledAt: try row["settled_at"],
            agreement: try row["agreement"], agreementNote: try row["agreement_note"],
            taskerName: try row["screen_name"], jobTitle: try row["title"], imageWidth: try row["width"],
            imageHeight: try row["height"])
    }
}
