/// What a `Store` tells the process's memory of live sessions: that the session with this
/// token hash was found ended. The store checks a session the caller knew only from that
/// memory in `tasker_cycle` (see `TaskerCycle`), and when the procedure refuses it, has it
/// forgotten here at once, so that the next request reads the session again.
///
/// The memory itself is Marketplace's `SessionHints`, shared by the worker's threads; a
/// store without one tells nobody.
public protocol SessionMemory: Sendable {
    func forget(tokenHash: [UInt8])
}
