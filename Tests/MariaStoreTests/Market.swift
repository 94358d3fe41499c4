import Foundation
import MariaStore
import Marketplace
import TestSupport
import XCTest

/// Builds the usual cast: a requester with an active job of `images` images (those named
/// in `gold`, by their index, are gold images), and taskers.
struct Market {
    let store: Store
    let requester: User
    let job: Job

    init(
        _ store: Store, images: Int, resultsPerImage: Int, bounty: String = "0.10", budget: String = "100.00",
        credit: String = "1000.00", quality: QualitySettings = QualitySettings(), gold: [Int: GoldAnswer] = [:]
    ) throws {
        self.store = store
        requester = try store.users.create(
            email: "req\(UInt32.random(in: 0...UInt32.max))@example.com",
            screenName: "req", passwordHash: "x", role: .requester)
        try store.ledger.credit(userID: requester.id, amount: Money(credit)!, memo: nil)
        let draft = JobDraft(
            name: "job", title: "Job", description: "", instructions: "", type: "ImageRegion",
            labels: ["car", "person"], bounty: Money(bounty)!, budget: Money(budget)!,
            resultsPerImage: resultsPerImage, quality: quality, startTime: nil, endTime: nil)
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
        for (index, answer) in gold {
            let task = try store.tasks.list(jobID: job.id, page: 1, perPage: 1000).items[index]
            _ = try store.goldImages.set(answer, taskID: task.id, jobID: job.id, requesterID: requester.id)
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
        guard case .new(let lease) = try store.work.take(jobID: job.id, taskerID: tasker.id, seconds: 60, now: now) else {
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

extension Store {
    /// The tasker cycle over this store, without the process's memories: every lease and
    /// session is read from the database.
    var work: WorkCycle { WorkCycle(store: self) }
    /// The review of results over this store.
    var review: Review { Review(store: self) }
}
