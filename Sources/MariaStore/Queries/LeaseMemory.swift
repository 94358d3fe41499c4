/// What a `Store` may keep of the leases it hands out, so that a submission need not read
/// its lease back: one round trip fewer per result. The store remembers every lease it
/// hands out, looks a submission's lease up here first, and forgets a lease once it ends
/// here. It trusts only what never changes while a lease lives (its tasker, task, job,
/// bounty, expiry, the image's size and the job's labels); whether the lease is still live
/// is left to `tasker_cycle`.
///
/// The store holds no such memory of its own: the worker gives the stores of all its
/// threads one (Marketplace's `HandedOutLeases`), and a store without one reads every
/// lease from the database.
public protocol LeaseMemory: Sendable {
    func remember(_ lease: Lease)
    func lease(id: Int64) -> Lease?
    func forget(id: Int64)
}
