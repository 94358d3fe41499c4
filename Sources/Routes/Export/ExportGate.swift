import Foundation
import Synchronization

/// Limits how many exports run at once in this process, so that exports (long, heavy on
/// disk and database) never take every worker thread from the taskers. Shared by all
/// worker threads.
final class ExportGate: Sendable {
    private let running = Mutex(0)
    let limit: Int

    init(limit: Int) { self.limit = limit }

    /// The one gate of the process: two exports at a time on the 8 worker threads.
    static let shared = ExportGate(limit: 2)

    /// Takes a place, or answers 429 when all are taken.
    func enter() throws {
        let admitted = running.withLock { running -> Bool in
            guard running < limit else { return false }
            running += 1
            return true
        }
        guard admitted else {
            throw APIError(
                429, "exports_busy", "Other exports are running; try again in a minute.",
                headers: ["Retry-After": "30"])
        }
    }

    func leave() { running.withLock { $0 -= 1 } }
}
