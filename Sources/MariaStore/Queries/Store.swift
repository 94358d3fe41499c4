/// The marketplace's queries over one connection, grouped by what they are about:
///
///     let job = try store.jobs.find(id: 3)
///
/// Each group is a thin value over the same `Connection`; create a `Store` per worker
/// thread, never share one between threads.
public struct Store {
    public let db: Connection

    public init(_ db: Connection) {
        self.db = db
    }

    public var users: Users { Users(db: db) }
    public var sessions: Sessions { Sessions(db: db) }
    public var loginThrottle: LoginThrottle { LoginThrottle(db: db) }
    public var ledger: Ledger { Ledger(db: db) }
    public var jobs: Jobs { Jobs(db: db) }
    public var tasks: Tasks { Tasks(db: db) }
    public var leases: Leases { Leases(db: db) }
    public var cycle: TaskerCycle { TaskerCycle(db: db) }
    public var trains: Trains { Trains(db: db) }
    public var settlements: Settlements { Settlements(db: db) }
    public var payouts: Payouts { Payouts(db: db) }
    public var exports: Exports { Exports(db: db) }
    public var stats: Stats { Stats(db: db) }
    public var goldImages: GoldImages { GoldImages(db: db) }
    public var assessments: Assessments { Assessments(db: db) }
    public var taskerBlocks: TaskerBlocks { TaskerBlocks(db: db) }
    public var qualityFigures: QualityFigures { QualityFigures(db: db) }
}
