import Foundation
import Synchronization

/// Counts the requests being served, so that shutdown can wait for them and then exit
/// (threads blocked in accept() on a unix socket are not woken by shutdown(2)). Shared by
/// every worker thread and the main thread.
final class InFlight: Sendable {
    private struct State {
        var count = 0
        var stopping = false
    }

    private let state = Mutex(State())

    /// A request was accepted / was answered.
    func begin() { state.withLock { $0.count += 1 } }
    func end() { state.withLock { $0.count -= 1 } }

    var isStopping: Bool { state.withLock { $0.stopping } }

    func stop() { state.withLock { $0.stopping = true } }

    /// Waits until no request is being served, up to `seconds`; true when none is.
    func waitUntilIdle(seconds: Double) -> Bool {
        let deadline = Date().addingTimeInterval(seconds)
        while Date() < deadline {
            if state.withLock({ $0.count == 0 }) { return true }
            usleep(10_000)
        }
        return false
    }
}
