import MariaStore

/// One thread's own database connection, opened on first use and then kept (it
/// reconnects by itself after the database restarts). Each worker thread and the housekeeper
/// hold one.
struct ThreadStore {
    private let options: ConnectionOptions
    private let handedOutLeases: HandedOutLeases
    private let sessionHints: SessionHints
    private var store: Store?

    /// `handedOutLeases` and `sessionHints` are the process's (`Services`), so that what one
    /// thread handed out or found is known to all.
    init(
        options: ConnectionOptions, handedOutLeases: HandedOutLeases = HandedOutLeases(),
        sessionHints: SessionHints = SessionHints()
    ) {
        self.options = options
        self.handedOutLeases = handedOutLeases
        self.sessionHints = sessionHints
    }

    /// The store, connecting first if this thread has none yet.
    mutating func get() throws -> Store {
        if let store { return store }
        let connected = Store(
            try Connection(options: options), handedOutLeases: handedOutLeases,
            sessionHints: sessionHints)
        store = connected
        return connected
    }
}
