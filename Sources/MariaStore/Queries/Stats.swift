import Foundation

/// A requester's view of how a job is going: images done, money spent, trains per hour
/// and who did the work.
public struct Stats {
    let db: Connection

    /// The figures of one job (the caller checked who may see them). `trainsPerHour`
    /// covers the 168 hours up to and including the current one, hours without trains
    /// left out; `taskers` are the `taskerLimit` taskers with the most trains.
    public func job(_ job: Job, now: Date = Date(), taskerLimit: Int = 1000) throws -> JobStats {
        let finished: Int =
            try db.row(
                "SELECT COUNT(*) AS n FROM tasks WHERE job_id = ? AND results_wanted > 0 AND train_count = results_wanted", job.id
            )?["n"] ?? 0
        let spent: Money =
            try db.row(
                "SELECT COALESCE(SUM(amount), 0) AS spent FROM ledger_entries WHERE job_id = ? AND kind = ?",
                job.id, LedgerKind.bounty.rawValue)?["spent"] ?? .zero

        let hour: Int64 = 3600
        let currentHour = Int64(now.timeIntervalSince1970.rounded(.down)) / hour
        let since = Date(timeIntervalSince1970: Double((currentHour - 167) * hour))
        let perHour = try db.rows(
            """
            SELECT UNIX_TIMESTAMP(created_at) DIV ? AS hour, COUNT(*) AS n
            FROM trains WHERE job_id = ? AND created_at >= ?
            GROUP BY hour ORDER BY hour
            """, hour, job.id, since
        ).map { row in
            JobStats.HourCount(
                hour: Date(timeIntervalSince1970: Double(try row["hour"] as Int64 * hour)),
                count: try row["n"])
        }

        let taskerCount: Int =
            try db.row(
                "SELECT COUNT(DISTINCT tasker_id) AS n FROM trains WHERE job_id = ?", job.id)?["n"] ?? 0
        let taskers = try db.rows(
            """
            SELECT tr.tasker_id, u.screen_name, COUNT(*) AS trains, SUM(IF(tr.state = 'approved', tr.bounty, 0)) AS earned
            FROM trains tr JOIN users u ON u.id = tr.tasker_id
            WHERE tr.job_id = ?
            GROUP BY tr.tasker_id, u.screen_name
            ORDER BY trains DESC, tr.tasker_id
            LIMIT ?
            """, job.id, taskerLimit
        ).map { row in
            JobStats.TaskerShare(
                taskerID: try row["tasker_id"], screenName: try row["screen_name"],
                trains: try row["trains"], earned: try row["earned"])
        }
        return JobStats(
            imagesFinished: finished, spent: spent, trainsPerHour: perHour,
            taskerCount: taskerCount, taskers: taskers)
    }
}

public struct JobStats: Sendable {
    /// Trains handed in during one hour (`hour` is its start, UTC).
    public struct HourCount: Sendable, Equatable {
        public let hour: Date
        public let count: Int
    }

    /// One tasker's part of a job: trains handed in and bounties earned.
    public struct TaskerShare: Sendable, Equatable {
        public let taskerID: Int64
        public let screenName: String
        public let trains: Int
        public let earned: Money
    }

    /// Tasks with every wanted result in.
    public let imagesFinished: Int
    /// Bounties paid out of the job's escrow.
    public let spent: Money
    public let trainsPerHour: [HourCount]
    /// Everyone who handed in a train for the job (`taskers` may list fewer).
    public let taskerCount: Int
    public let taskers: [TaskerShare]
}
