import Foundation
import MariaStore

/// What the process remembers for the gold schedule, so that a take asks the database
/// nothing more: each job's `GoldPlan` for `maxAge` seconds (a gold image marked since is
/// handed out once it ages out), and each tasker's `GoldCount` in a job, kept up to date
/// from the answers of `tasker_cycle`. A count is only a guide: another process may have
/// handed the tasker images meanwhile, and the schedule then runs a little late or early.
public final class GoldPlans: Sendable {
    private struct Key: Hashable, Sendable {
        let taskerID: Int64
        let jobID: Int64
    }

    private struct Remembered: Sendable {
        let plan: GoldPlan
        let readAt: Date
    }

    private let plans: RecentlySeen<Int64, Remembered>
    private let counts: RecentlySeen<Key, GoldCount>
    private let maxAge: TimeInterval

    public init(capacity: Int = 4_096, maxAge: TimeInterval = 10) {
        plans = RecentlySeen(capacity: capacity)
        counts = RecentlySeen(capacity: capacity)
        self.maxAge = maxAge
    }

    /// The job's plan, read again when older than `maxAge`.
    public func plan(jobID: Int64, now: Date = Date(), read: () throws -> GoldPlan?) rethrows -> GoldPlan? {
        if let remembered = plans.value(for: jobID), now.timeIntervalSince(remembered.readAt) < maxAge {
            return remembered.plan
        }
        guard let plan = try read() else { return nil }
        plans.remember(Remembered(plan: plan, readAt: now), for: jobID)
        return plan
    }

    /// The tasker's count in the job, read when not remembered.
    public func count(taskerID: Int64, jobID: Int64, read: () throws -> GoldCount) rethrows -> GoldCount {
        if let count = counts.value(for: Key(taskerID: taskerID, jobID: jobID)) { return count }
        let count = try read()
        counts.remember(count, for: Key(taskerID: taskerID, jobID: jobID))
        return count
    }

    /// After a new lease: the tasker's count as `tasker_cycle` answered it, when known.
    public func tookLease(taskerID: Int64, jobID: Int64, leasesInJob: Int, gold: Bool) {
        let key = Key(taskerID: taskerID, jobID: jobID)
        // Not known: read in full when the schedule next needs it.
        guard let before = counts.value(for: key) else { return }
        counts.remember(GoldCount(taken: leasesInJob, gold: before.gold + (gold ? 1 : 0)), for: key)
    }

    /// A job's gold images changed: its plan is read again at the next take.
    public func forget(jobID: Int64) { plans.forget(jobID) }
}
