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
    private var stores: ThreadStore
    /// Whether the last round failed (see `report`).
    private var failing = false

    init(config: ServerConfig, inFlight: InFlight, logger: Logger) {
        self.config = config
        self.inFlight = inFlight
        stores = ThreadStore(options: config.database)
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

    /// One round: every job that can have live leases, each on its own, so that a job
    /// whose leases cannot be ended does not keep the reaper from the others.
    private func reapOnce() {
        let store: Store
        let jobs: [Int64]
        do {
            store = try stores.get()
            jobs = try store.leases.jobsWithLiveLeases()
        } catch {
            // The database may be restarting: the connection reconnects on a later round.
            report(failure: error)
            return
        }
        var ended = 0
        var failures = 0
        for job in jobs {
            do {
                ended += try store.leases.reclaimExpired(jobID: job, limit: 1000)
            } catch {
                failures += 1
                logger.error("ending the expired leases of a job failed", metadata: ["job": "\(job)", "error": "\(error)"])
            }
        }
        if ended > 0 { logger.info("expired leases ended", metadata: ["count": "\(ended)"]) }
        if failures == 0 { report(failure: nil) }
    }

    /// Logs when the rounds start failing and when they work again, not every round.
    private func report(failure: Error?) {
        if let failure, !failing {
            logger.warning("reclaiming expired leases failed; trying again every round", metadata: ["error": "\(failure)"])
        } else if failure == nil, failing {
            logger.info("reclaiming expired leases works again")
        }
        failing = failure != nil
    }
}
