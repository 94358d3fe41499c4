import Foundation
import MariaStore
import Marketplace
import Synchronization
import XCTest

/// A fresh database on the MariaDB server that `make test` starts, migrated with sql/.
/// The server is found through the config file named by `TASKER_TEST_CONFIG`; without it
/// the tests fail (they never skip). Each test case gets its own database, dropped at the end.
final class TestDatabase {
    let options: ConnectionOptions
    let name: String
    private let admin: Connection

    init() throws {
        guard let path = ProcessInfo.processInfo.environment["TASKER_TEST_CONFIG"] else {
            throw XCTSkip.failure("TASKER_TEST_CONFIG is not set: run the tests with `make test`, which starts MariaDB")
        }
        let config = try ServerConfig.load(path: path)
        name = "tt_store_\(UInt32.random(in: 0...UInt32.max))"
        var options = config.database
        options.name = ""
        admin = try Connection(options: options, allowsMultipleStatements: true)
        try admin.query("CREATE DATABASE `\(name)` CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci")
        options.name = name
        self.options = options
        let migrating = try Connection(options: options, allowsMultipleStatements: true)
        try Migrator(directory: TestDatabase.sqlFolder).migrate(migrating)
    }

    deinit {
        try? admin.query("DROP DATABASE IF EXISTS `\(name)`")
    }

    static var sqlFolder: URL {
        URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().appendingPathComponent("sql")
    }

    func connect() throws -> Connection { try Connection(options: options) }
    func store() throws -> Store { Store(try connect()) }

    /// Where the database is: what a race's threads open their own connections with.
    struct Address: Sendable {
        let options: ConnectionOptions
        func connect() throws -> Connection { try Connection(options: options) }
        func store() throws -> Store { Store(try connect()) }
    }

    var address: Address { Address(options: options) }

    /// Runs `body` while another connection holds the rows that `lockingRead` (a SELECT ...
    /// FOR UPDATE with one id) locks, in a transaction rolled back afterwards.
    func whileHolding(_ lockingRead: String, _ id: Int64, _ body: () throws -> Void) throws {
        let holder = try connect()
        try holder.query("START TRANSACTION")
        defer { _ = try? holder.query("ROLLBACK") }
        _ = try holder.row(lockingRead, id)
        try body()
    }
}

extension XCTSkip {
    /// An error that fails the test (XCTest reports a thrown error as a failure).
    struct Failure: Error, CustomStringConvertible { let description: String }
    static func failure(_ message: String) -> Failure { Failure(description: message) }
}

/// Builds the usual cast: a requester with an active job of `images` images, and taskers.
struct Market {
    let store: Store
    let requester: User
    let job: Job

    init(
        _ store: Store, images: Int, resultsPerImage: Int, bounty: String = "0.10", budget: String = "100.00",
        credit: String = "1000.00"
    ) throws {
        self.store = store
        requester = try store.users.create(
            email: "req\(UInt32.random(in: 0...UInt32.max))@example.com",
            screenName: "req", passwordHash: "x", role: .requester)
        try store.ledger.credit(userID: requester.id, amount: Money(credit)!, memo: nil)
        let draft = JobDraft(
            name: "job", title: "Job", description: "", instructions: "", type: "ImageRegion",
            labels: ["car", "person"], bounty: Money(bounty)!, budget: Money(budget)!,
            resultsPerImage: resultsPerImage, startTime: nil, endTime: nil)
        let job = try store.jobs.create(requesterID: requester.id, draft)
        for index in 0..<images {
            var digest = [UInt8](repeating: 0, count: 32)
            digest[0] = UInt8(index & 0xff)
            digest[1] = UInt8(index >> 8)
            _ = try store.tasks.add(
                jobID: job.id, requesterID: requester.id,
                image: NewImage(
                    sha256: digest, mimeType: "image/png", width: 100, height: 80, byteCount: 10, filename: "\(index).png"))
        }
        self.job = try store.jobs.activate(id: job.id, requesterID: requester.id)
    }

    func tasker(_ label: String = "t") throws -> User {
        try store.users.create(
            email: "\(label)\(UInt32.random(in: 0...UInt32.max))@example.com", screenName: label,
            passwordHash: "x", role: .tasker)
    }

    struct NoNewLease: Error {}

    /// A new lease of `tasker` in the job; a test failure when the take answers anything else.
    func newLease(for tasker: User, now: Date = Date(), file: StaticString = #filePath, line: UInt = #line) throws -> Lease {
        guard case .new(let lease) = try store.leases.take(jobID: job.id, taskerID: tasker.id, seconds: 60, now: now) else {
            XCTFail("the take answered an existing lease", file: file, line: line)
            throw NoNewLease()
        }
        return lease
    }

    /// After `taskers` worked the job until there was no work: every task has exactly its
    /// results, nobody had a task twice, no slot is open or lost, no money moved until the
    /// requester approved everything, and then the `results` bounties moved from the escrow
    /// to the taskers, in agreement with the ledger.
    func assertWorkedDry(by taskers: [User], results: Int, file: StaticString = #filePath, line: UInt = #line) throws {
        let tasks: [Int] = try store.db.rows("SELECT results_wanted AS n FROM tasks WHERE job_id = ? ORDER BY id", job.id)
            .map { try $0["n"] }
        XCTAssertEqual(
            try store.db.rows(
                "SELECT COUNT(r.id) AS n FROM tasks t LEFT JOIN trains r ON r.task_id = t.id "
                    + "WHERE t.job_id = ? GROUP BY t.id ORDER BY t.id", job.id
            ).map { try $0["n"] as Int },
            tasks, "results per task", file: file, line: line)
        XCTAssertEqual(
            try store.db.row(
                "SELECT COUNT(*) AS n FROM (SELECT 1 FROM trains WHERE job_id = ? "
                    + "GROUP BY task_id, tasker_id HAVING COUNT(*) > 1) d", job.id)?["n"] as Int?, 0,
            "a task twice for one tasker", file: file, line: line)
        XCTAssertEqual(
            try store.db.row("SELECT SUM(open_slots) AS n FROM tasks WHERE job_id = ?", job.id)?["n"] as Int?, 0,
            "open slots", file: file, line: line)
        func earned() throws -> Money {
            try taskers.map { try XCTUnwrap(store.users.find(id: $0.id)).balance }.reduce(.zero, +)
        }
        XCTAssertEqual(try earned(), .zero, "paid before review", file: file, line: line)
        XCTAssertEqual(
            try XCTUnwrap(store.jobs.find(id: job.id)).budgetLeft, job.budgetLeft, "escrow before review",
            file: file, line: line)
        let approved = try store.settlements.settle(jobID: job.id, requesterID: requester.id, .approve, .allPending)
        XCTAssertEqual(approved.count, results, "approved", file: file, line: line)
        let paid = job.bounty * results
        XCTAssertEqual(
            try XCTUnwrap(store.jobs.find(id: job.id)).budgetLeft, job.budgetLeft - paid, "escrow left",
            file: file, line: line)
        XCTAssertEqual(try earned(), paid, "earned", file: file, line: line)
        XCTAssertEqual(try store.ledger.disagreements(), [], file: file, line: line)
    }
}

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
