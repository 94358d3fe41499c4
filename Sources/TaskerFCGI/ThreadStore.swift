import MariaStore

/// One thread's own database connection, opened on first use and then kept (it
/// reconnects by itself after the database restarts). Each worker thread and the housekeeper
/// hold one.
struct ThreadStore {
    private let options: ConnectionOptions
    private var store: Store?

    init(options: ConnectionOptions) {
        self.options = options
    }

    /// The store, connecting first if this thread has none yet.
    mutating func get() throws -> Store {
        if let store { return store }
        let connected = Store(try Connection(options: options))
        store = connected
        return connected
    }
}
