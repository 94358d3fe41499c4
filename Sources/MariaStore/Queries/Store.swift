/// The marketplace's queries over one connection, grouped by what they are about:
///
///     let lease = try store.leases.take(jobID: 3, taskerID: 7, for: 600)
///
/// Each group is a thin value over the same `Connection`; create a `Store` per worker
/// thread, never share one between threads.
public struct Store {
    public let db: Connection
    /// The leases handed out lately, shared by the stores of one process (see `LeaseMemory`);
    /// nil: every lease is read from the database.
    public let leaseMemory: (any LeaseMemory)?
    /// The sessions found live lately, shared the same way (see `SessionMemory`); nil: a
    /// session found ended is forgotten by nobody.
    public let sessionMemory: (any SessionMemory)?

    public init(_ db: Connection, leaseMemory: (any LeaseMemory)? = nil, sessionMemory: (any SessionMemory)? = nil) {
        self.db = db
        self.leaseMemory = leaseMemory
        self.sessionMemory = sessionMemory
    }

    public var users: Users { Users(db: db) }
    public var sessions: Sessions { Sessions(db: db) }
    public var loginThrottle: LoginThrottle { LoginThrottle(db: db) }
    public var ledger: Ledger { Ledger(db: db) }
    public var jobs: Jobs { Jobs(db: db) }
    public var tasks: Tasks { Tasks(db: db) }
    public var leases: Leases { Leases(db: db, handedOut: leaseMemory, sessionMemory: sessionMemory) }
    public var trains: Trains { Trains(db: db, handedOut: leaseMemory, sessionMemory: sessionMemory) }
    public var settlements: Settlements { Settlements(db: db) }
    public var payouts: Payouts { Payouts(db: db) }
    public var exports: Exports { Exports(db: db) }
    public var stats: Stats { Stats(db: db) }
}
