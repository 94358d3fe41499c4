import Synchronization

/// A bounded memory of what one process saw lately, shared by its threads: at most two
/// generations of `capacity` entries. When the newer generation fills up, the older one
/// is dropped whole, so remembering costs no bookkeeping per entry and the oldest
/// entries go first. `HandedOutLeases` and `SessionHints` are built on it.
final class RecentlySeen<Key: Hashable & Sendable, Value: Sendable>: Sendable {
    private struct Generations {
        var newer: [Key: Value] = [:]
        var older: [Key: Value] = [:]
    }

    private let generations = Mutex(Generations())
    private let capacity: Int

    init(capacity: Int) { self.capacity = capacity }

    func remember(_ value: Value, for key: Key) {
        generations.withLock {
            if $0.newer.count >= capacity {
                $0.older = $0.newer
                $0.newer = [:]
            }
            $0.newer[key] = value
        }
    }

    func value(for key: Key) -> Value? {
        generations.withLock { $0.newer[key] ?? $0.older[key] }
    }

    func forget(_ key: Key) {
        generations.withLock {
            $0.newer[key] = nil
            $0.older[key] = nil
        }
    }
}
