import Foundation

/// The leases this process handed out lately, kept so that a submission need not read its
/// lease back: one round trip fewer per result. Only what never changes while a lease
/// lives is trusted from here (its tasker, task, job, bounty, expiry, the image's size
/// and the job's labels, which are fixed once a job leaves draft); whether it is still
/// live is decided by `tasker_cycle`, which ends it only if it is. A lease handed out by
/// another process, or forgotten here, is read from the database as before.
///
/// Shared by every thread of the worker. It holds at most two generations of `capacity`
/// leases: when the newer one fills up, the older one is dropped whole.
public final class HandedOutLeases: @unchecked Sendable {
    // `newer` and `older` are guarded by `lock`.
    private let lock = NSLock()
    private var newer: [Int64: Lease] = [:]
    private var older: [Int64: Lease] = [:]
    private let capacity: Int

    public init(capacity: Int = 4_096) { self.capacity = capacity }

    func remember(_ lease: Lease) {
        lock.withLock {
            if newer.count >= capacity {
                older = newer
                newer = [:]
            }
            newer[lease.id] = lease
        }
    }

    func lease(id: Int64) -> Lease? {
        lock.withLock { newer[id] ?? older[id] }
    }

    func forget(id: Int64) {
        lock.withLock {
            newer[id] = nil
            older[id] = nil
        }
    }
}
