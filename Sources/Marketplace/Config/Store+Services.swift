import MariaStore

extension Store {
    /// A store over `db` that shares the process's memories (`Services`): the leases its
    /// threads handed out and the sessions they found live, so that what one thread handed
    /// out or found is known to all. Each worker thread makes its store this way.
    public init(_ db: Connection, sharing services: Services) {
        self.init(db, leaseMemory: services.handedOutLeases, sessionMemory: services.sessionHints)
    }
}
