import MariaStore

/// One thread's own database connection, opened on first use and then kept (it
/// reconnects by itself after the database restarts). Each worker thread and the reaper
/// hold one.
struct ThreadStore {
    private let options: ConnectionOptions
    private let handedOutLeases: HandedOutLeases
    private var store: Store?

    /// `handedOutLeases` is the process's one (`Services.handedOutLeases`), so that a
    /// lease handed out on one thread is known to all.
    init(options: ConnectionOptions, handedOutLeases: HandedOutLeases = HandedOutLeases()) {
        self.options = options
        self.handedOutLeases = handedOutLeases
    }

    /// The store, connecting first if this thread has none yet.
    mutating func get() throws -> Store {
        if let store { return store }
        let connected = Store(try Connection(options: options), handedOutLeases: handedOutLeases)
        store = connected
        return connected
    }
}
