import Foundation
import Synchronization

/// Images with a new result, waiting for the worker's quality thread (`Assessor`), so
/// that a hand-in's answer never waits for its assessment, gold or not. Bounded: when it
/// is full an image is left to the housekeeper's round, which assesses every image with a
/// result since its last round, whatever this process did.
public final class QualityQueue: Sendable {
    private struct Waiting {
        var order: [Int64] = []
        var queued: Set<Int64> = []
    }

    private let waiting = Mutex(Waiting())
    private let signal = DispatchSemaphore(value: 0)
    private let capacity: Int

    public init(capacity: Int = 10_000) { self.capacity = capacity }

    /// Queues the image (once, however many of its results arrive before it is assessed).
    public func add(_ taskID: Int64) {
        let added = waiting.withLock { waiting -> Bool in
            guard waiting.order.count < capacity, waiting.queued.insert(taskID).inserted else { return false }
            waiting.order.append(taskID)
            return true
        }
        if added { signal.signal() }
    }

    /// The images queued so far, oldest first, after waiting up to `timeout` seconds for one.
    public func next(waiting timeout: TimeInterval) -> [Int64] {
        _ = signal.wait(timeout: .now() + timeout)
        return waiting.withLock { waiting in
            let taken = waiting.order
            waiting = Waiting()
            return taken
        }
    }
}
