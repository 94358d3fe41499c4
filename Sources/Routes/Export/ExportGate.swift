import Foundation

/// Limits how many exports run at once in this process, so that exports (long, heavy on
/// disk and database) never take every worker thread from the taskers.
final class ExportGate: @unchecked Sendable {
    // `running` is guarded by `lock`; the gate is shared by all worker threads.
    private let lock = NSLock()
    private var running = 0
    let limit: Int

    init(limit: Int) { self.limit = limit }

    /// The one gate of the process: two exports at a time on the 8 worker threads.
    static let shared = ExportGate(limit: 2)

    /// Takes a place, or answers 429 when all are taken.
    func enter() throws {
        let admitted = lock.withLock { () -> Bool in
            guard running < limit else { return false }
            running += 1
            return true
        }
        guard admitted else {
            throw APIError(429, "exports_busy", "Other exports are running; try again in a minute.",
                           headers: ["Retry-After": "30"])
        }
    }

    func leave() { lock.withLock { running -= 1 } }
}
