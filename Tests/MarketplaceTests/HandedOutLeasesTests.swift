import Foundation
import Marketplace
import XCTest

@testable import MariaStore

/// The leases a process remembers handing out. (A store's use of them, against the
/// database, is tested in MariaStoreTests/CycleTests.)
final class HandedOutLeasesTests: XCTestCase {
    func lease(_ id: Int64) -> Lease {
        Lease(
            id: id, taskID: id, jobID: 1, taskerID: 7, state: .live, bounty: Money(cents: 10), createdAt: Date(),
            expiresAt: Date().addingTimeInterval(60), imageWidth: 100, imageHeight: 80, labels: ["car"])
    }

    /// Bounded: when the newer generation is full the older one goes, whole.
    func testHandedOutLeasesKeepTwoGenerations() {
        let leases = (1...5).map(lease)
        let handedOut = HandedOutLeases(capacity: 2)
        for lease in leases.prefix(3) { handedOut.remember(lease) }
        XCTAssertEqual(leases.prefix(3).map { handedOut.lease(id: $0.id)?.id }, leases.prefix(3).map(\.id))
        for lease in leases.suffix(2) { handedOut.remember(lease) }
        XCTAssertEqual(leases.map { handedOut.lease(id: $0.id) != nil }, [false, false, true, true, true])
        handedOut.forget(id: leases[4].id)
        XCTAssertNil(handedOut.lease(id: leases[4].id))
    }
}
