import Foundation
import MariaStore
import Synchronization

/// Runs `body` on `count` threads at once, each set up for its own connections, waits for
/// all and returns what each answered, in the order of their indexes: the races of the
/// tests. `body` opens its own connections (`TestDatabase.Address`).
func race<Outcome: Sendable>(_ count: Int, _ body: @escaping @Sendable (Int) -> Outcome) -> [Outcome] {
    let outcomes = Outcomes<Outcome>()
    let group = DispatchGroup()
    let start = DispatchSemaphore(value: 0)
    for index in 0..<count {
        group.enter()
        Thread {
            Connection.threadStart()
            start.wait()
            outcomes.record(body(index), at: index)
            Connection.threadEnd()
            group.leave()
        }.start()
    }
    for _ in 0..<count { start.signal() }
    group.wait()
    return outcomes.inOrder(count)
}

/// What the threads of a race answered, by index.
private final class Outcomes<Outcome: Sendable>: Sendable {
    private let byIndex = Mutex<[Int: Outcome]>([:])

    func record(_ outcome: Outcome, at index: Int) { byIndex.withLock { $0[index] = outcome } }
    func inOrder(_ count: Int) -> [Outcome] { byIndex.withLock { all in (0..<count).map { all[$0]! } } }
}

/// What one thread of a race came to: a value, or the error it met, as text.
typealias Attempt<Value: Sendable> = Result<Value, RaceError>

/// An error of a race's thread, kept as its description.
struct RaceError: Error, Sendable, CustomStringConvertible {
    let description: String
    init(_ error: Error) { description = "\(error)" }
}

extension Result where Failure == RaceError {
    /// Runs `body`, keeping an error it throws as `RaceError`.
    init(catching body: () throws -> Success) {
        do { self = .success(try body()) } catch { self = .failure(RaceError(error)) }
    }
}

extension Array {
    /// The errors of a race's attempts, as text.
    func failures<Value>() -> [String] where Element == Attempt<Value> {
        compactMap { if case .failure(let error) = $0 { return error.description } else { return nil } }
    }
}
