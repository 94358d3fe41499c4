import Foundation
import MariaStore

/// The leases this process handed out lately, kept so that a submission need not read its
/// lease back: one round trip fewer per result. Only what never changes while a lease
/// lives is trusted from here (its tasker, task, job, bounty, expiry, the image's size
/// and the job's labels, which are fixed once a job leaves draft); whether it is still
/// live is decided by `tasker_cycle`, which ends it only if it is. A lease handed out by
/// another process, or forgotten here, is read from the database as before.
///
/// Shared by every thread of the worker, through their `WorkCycle`s. It holds at
/// most two generations of `capacity` leases (`RecentlySeen`).
public final class HandedOutLeases: Sendable {
    private let leases: RecentlySeen<Int64, Lease>

    public init(capacity: Int = 4_096) { leases = RecentlySeen(capacity: capacity) }

    public func remember(_ lease: Lease) { leases.remember(lease, for: lease.id) }

    public func lease(id: Int64) -> Lease? { leases.value(for: id) }

    public func forget(id: Int64) { leases.forget(id) }
}
