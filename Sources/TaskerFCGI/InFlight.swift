import Foundation

/// Counts the requests being served, so that shutdown can wait for them and then exit
/// (threads blocked in accept() on a unix socket are not woken by shutdown(2)).
final class InFlight: @unchecked Sendable {
    // Guarded by `lock`; shared by every worker thread and the main thread.
    private let lock = NSLock()
    private var count = 0
    private var stopping = false

    /// A request was accepted / was answered.
    func begin() { lock.withLock { count += 1 } }
    func end() { lock.withLock { count -= 1 } }

    var isStopping: Bool { lock.withLock { stopping } }

    func stop() { lock.withLock { stopping = true } }

    /// Waits until no request is being served, up to `seconds`; true when none is.
    func waitUntilIdle(seconds: Double) -> Bool {
        let deadline = Date().addingTimeInterval(seconds)
        while Date() < deadline {
            if lock.withLock({ count == 0 }) { return true }
            usleep(10_000)
        }
        return false
    }
}
