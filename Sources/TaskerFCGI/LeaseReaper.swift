import Foundation
import Logging
import MariaStore
import Routes

/// Ends expired leases every few seconds, so their slots and reserved bounties go back to
/// their jobs even when nobody asks those jobs for work. One thread with its own MariaDB
/// connection; a round counts as a request in flight, so shutdown waits for it.
///
/// Assignments do not depend on it: when a job seems to have no work left,
/// `Leases.take` ends that job's expired leases itself and tries again. With several
/// worker processes each runs a reaper; ending a lease locks it and checks that it is
/// still live, so two reapers never end one twice.
final class LeaseReaper {
    private let config: ServerConfig
    private let inFlight: InFlight
    private let logger: Logger
    private var store: Store?

    init(config: ServerConfig, inFlight: InFlight, logger: Logger) {
        self.config = config
        self.inFlight = inFlight
        var logger = logger
        logger[metadataKey: "worker"] = "reaper"
        self.logger = logger
    }

    /// The loop; returns when the server is stopping.
    func run() {
        Connection.threadStart()
        defer { Connection.threadEnd() }
        let interval = UInt32(max(1, config.reclaimEverySeconds))
        while !inFlight.isStopping {
            sleep(interval)
            guard !inFlight.isStopping else { return }
            inFlight.begin()
            reapOnce()
            inFlight.end()
        }
    }

    private func reapOnce() {
        do {
            if store == nil { store = Store(try Connection(options: config.database)) }
            let ended = try store!.leases.reclaimExpired()
            if ended > 0 { logger.info("expired leases ended", metadata: ["count": "\(ended)"]) }
        } catch {
            // The database may be restarting: the connection reconnects on the next round.
            logger.warning("reclaiming expired leases failed", metadata: ["error": "\(error)"])
        }
    }
}
