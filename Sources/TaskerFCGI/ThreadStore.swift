import MariaStore
import Marketplace

/// One thread's own database connection, opened on first use and then kept (it
/// reconnects by itself after the database restarts). Each worker thread and the housekeeper
/// hold one.
struct ThreadStore {
    private let options: ConnectionOptions
    private let services: Services?
    private var store: Store?

    /// With `services`, the store shares the process's memories of leases and sessions
    /// (`Store(_:sharing:)`), so that what one thread handed out or found is known to all;
    /// without (the housekeeper, which hands out nothing), it keeps none.
    init(options: ConnectionOptions, sharing services: Services? = nil) {
        self.options = options
        self.services = services
    }

    /// The store, connecting first if this thread has none yet.
    mutating func get() throws -> Store {
        if let store { return store }
        let connection = try Connection(options: options)
        let connected = services.map { Store(connection, sharing: $0) } ?? Store(connection)
        store = connected
        return connected
    }
}
