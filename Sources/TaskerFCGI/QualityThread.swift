import Foundation
import Logging
import MariaStore
import Marketplace

/// The worker's quality thread: assesses each image that got a result in this process
/// (`QualityQueue`, `Assessor`) as soon as it can, outside the tasker's request, so that a
/// hand-in on a gold image takes as long as any other. Its own MariaDB connection; an
/// assessment counts as a request in flight. What it misses (a full queue, a failure, a
/// result handed in through another process) the housekeeper's round assesses.
final class QualityThread {
    private let services: Services
    private let inFlight: InFlight
    private let logger: Logger
    private var stores: ThreadStore

    init(services: Services, inFlight: InFlight, logger: Logger) {
        self.services = services
        self.inFlight = inFlight
        stores = ThreadStore(options: services.config.database)
        var logger = logger
        logger[metadataKey: "worker"] = "quality"
        self.logger = logger
    }

    /// The loop; returns when the server is stopping.
    func run() {
        Connection.threadStart()
        defer { Connection.threadEnd() }
        while !inFlight.isStopping {
            let images = services.qualityQueue.next(waiting: 1)
            guard !images.isEmpty, !inFlight.isStopping else { continue }
            inFlight.begin()
            for taskID in images { assess(taskID) }
            inFlight.end()
        }
    }

    private func assess(_ taskID: Int64) {
        do {
            let outcome = try Assessor(store: try stores.get()).assess(taskID: taskID)
            if !outcome.blocked.isEmpty {
                logger.info(
                    "taskers blocked by their accuracy", metadata: ["task": "\(taskID)", "taskers": "\(outcome.blocked)"])
            }
        } catch {
            logger.warning(
                "assessing an image failed; the housekeeper's round will", metadata: ["task": "\(taskID)", "error": "\(error)"])
        }
    }
}
