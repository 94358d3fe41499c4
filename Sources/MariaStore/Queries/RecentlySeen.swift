import Foundation

/// A bounded memory of what one process saw lately, shared by its threads: at most two
/// generations of `capacity` entries. When the newer generation fills up, the older one
/// is dropped whole, so remembering costs no bookkeeping per entry and the oldest
/// entries go first. `HandedOutLeases` and `SessionHints` are built on it.
final class RecentlySeen<Key: Hashable, Value>: @unchecked Sendable {
    // `newer` and `older` are guarded by `lock`.
    private let lock = NSLock()
    private var newer: [Key: Value] = [:]
    private var older: [Key: Value] = [:]
    private let capacity: Int

    init(capacity: Int) { self.capacity = capacity }

    func remember(_ value: Value, for key: Key) {
        lock.withLock {
            if newer.count >= capacity {
                older = newer
                newer = [:]
            }
            newer[key] = value
        }
    }

    func value(for key: Key) -> Value? {
        lock.withLock { newer[key] ?? older[key] }
    }

    func forget(_ key: Key) {
        lock.withLock {
            newer[key] = nil
            older[key] = nil
        }
    }
}
