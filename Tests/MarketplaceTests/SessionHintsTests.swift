import Foundation
import Marketplace
import XCTest

/// The process's memory of live sessions: a hint ages out, and the memory is bounded.
/// (What `tasker_cycle` does with a hint is tested against the database in
/// MariaStoreTests/SessionHintTests.)
final class SessionHintsTests: XCTestCase {
    func testAHintAgesOutAndTheHintsAreBounded() {
        let hints = SessionHints(capacity: 2, maxAge: 60)
        let start = Date()
        let sessions = (0..<5).map { [UInt8](repeating: UInt8($0), count: 32) }
        hints.remember(userID: 1, tokenHash: sessions[0], now: start)
        XCTAssertEqual(hints.userID(tokenHash: sessions[0], now: start.addingTimeInterval(59)), 1)
        XCTAssertNil(hints.userID(tokenHash: sessions[0], now: start.addingTimeInterval(60)))
        XCTAssertNil(hints.userID(tokenHash: sessions[0], now: start), "an aged-out hint is forgotten")
        for (index, session) in sessions.enumerated() {
            hints.remember(userID: Int64(index), tokenHash: session, now: start)
        }
        XCTAssertEqual(
            sessions.map { hints.userID(tokenHash: $0, now: start) }, [nil, nil, 2, 3, 4],
            "two generations of two")
        hints.forget(tokenHash: sessions[3])
        XCTAssertNil(hints.userID(tokenHash: sessions[3], now: start))
    }
}
