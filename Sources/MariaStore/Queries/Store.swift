/// The marketplace's queries over one connection, grouped by what they are about:
///
///     let lease = try store.leases.take(jobID: 3, taskerID: 7, for: 600)
///
/// Each group is a thin value over the same `Connection`; create a `Store` per worker
/// thread, never share one between threads.
public struct Store {
    public let db: Connection
    /// The leases handed out lately, shared by the stores of one process (see `HandedOutLeases`).
    public let handedOutLeases: HandedOutLeases

    public init(_ db: Connection, handedOutLeases: HandedOutLeases = HandedOutLeases()) {
        self.db = db
        self.handedOutLeases = handedOutLeases
    }

    public var users: Users { Users(db: db) }
    public var sessions: Sessions { Sessions(db: db) }
    public var loginThrottle: LoginThrottle { LoginThrottle(db: db) }
    public var ledger: Ledger { Ledger(db: db) }
    public var jobs: Jobs { Jobs(db: db) }
    public var tasks: Tasks { Tasks(db: db) }
    public var leases: Leases { Leases(db: db, handedOut: handedOutLeases) }
    public var trains: Trains { Trains(db: db, handedOut: handedOutLeases) }
    public var payouts: Payouts { Payouts(db: db) }
    public var exports: Exports { Exports(db: db) }
    public var stats: Stats { Stats(db: db) }
}
