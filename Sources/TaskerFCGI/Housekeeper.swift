import Foundation
import Logging
import MariaStore
import Marketplace

/// The worker's own chores, every `reclaimEverySeconds` (5 by default), on one thread
/// with its own MariaDB connection; a round counts as a request in flight, so shutdown
/// waits for it:
/// - ending expired leases, so their slots go back to their jobs even when nobody asks
///   those jobs for work (a take also ends them when a job seems to have none left);
/// - approving the results that waited longer than their job's review window, in a few
///   set-based transactions per job (`Review.approveDue`), never in a tasker's request;
/// - assessing the images with results since its last round (`Assessor`), which the
///   quality thread of the process that took them has usually done already.
///
/// With several worker processes each runs these; ending a lease and deciding a result
/// both change a row only in the state they found it in, so nothing is done twice.
final class Housekeeper {
    /// One chore: its name for the logs, and a round of it, which returns how many things
    /// it did.
    struct Chore: Sendable {
        let name: String
        let round: @Sendable (Store) throws -> Int
    }

    private let config: ServerConfig
    private let inFlight: InFlight
    private let logger: Logger
    private var stores: ThreadStore
    private let chores: [Chore]
    /// The chores whose last round failed (see `report`).
    private var failing: Set<String> = []

    init(config: ServerConfig, inFlight: InFlight, logger: Logger) {
        self.config = config
        self.inFlight = inFlight
        stores = ThreadStore(options: config.database)
        var logger = logger
        logger[metadataKey: "worker"] = "housekeeper"
        self.logger = logger
        chores = [Housekeeper.endExpiredLeases(logger: logger), Housekeeper.approveDueResults, Housekeeper.assessImages]
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
            for chore in chores { runOnce(chore) }
            inFlight.end()
        }
    }

    private func runOnce(_ chore: Chore) {
        do {
            // The database may be restarting: the connection reconnects on a later round.
            let done = try chore.round(try stores.get())
            if done > 0 { logger.info("\(chore.name): \(done)") }
            report(chore, failure: nil)
        } catch {
            report(chore, failure: error)
        }
    }

    /// Every job that can have live leases, each on its own, so that a job whose leases
    /// cannot be ended does not keep the others waiting.
    private static func endExpiredLeases(logger: Logger) -> Chore {
        Chore(name: "expired leases ended") { store in
            var ended = 0
            var failure: Error?
            for job in try store.leases.jobsWithLiveLeases() {
                do {
                    ended += try store.leases.reclaimExpired(jobID: job, limit: 1000)
                } catch {
                    failure = failure ?? error
                    logger.error("ending the expired leases of a job failed", metadata: ["job": "\(job)", "error": "\(error)"])
                }
            }
            if let failure { throw failure }
            return ended
        }
    }

    private static let approveDueResults = Chore(name: "results approved when their review window ran out") { store in
        try Review(store: store).approveDue()
    }

    /// Up to 10,000 results a round, 1,000 at a time, each page's images assessed before
    /// the cursor moves past it.
    private static let assessImages = Chore(name: "images assessed") { store in
        var assessed = 0
        for _ in 0..<10 {
            guard let page = try store.assessments.pendingAssessment(limit: 1000) else { break }
            _ = try Assessor(store: store).assess(taskIDs: page.taskIDs)
            try store.assessments.assessed(through: page.through)
            assessed += page.taskIDs.count
        }
        return assessed
    }

    /// Logs when a chore starts failing and when it works again, not every round.
    private func report(_ chore: Chore, failure: Error?) {
        if let failure, !failing.contains(chore.name) {
            logger.warning(
                "a chore failed; trying again every round", metadata: ["chore": "\(chore.name)", "error": "\(failure)"])
            failing.insert(chore.name)
        } else if failure == nil, failing.contains(chore.name) {
            logger.info("a chore works again", metadata: ["chore": "\(chore.name)"])
            failing.remove(chore.name)
        }
    }
}
