import MariaStore
import Marketplace
import XCTest

/// What an email is, as registration, sign-in and the admin tool compare it; refusals are
/// the marketplace's errors, which the HTTP layer maps to 422.
final class AccountRulesTests: XCTestCase {
    func testAnEmailHasOneSpelling() throws {
        XCTAssertEqual(try Accounts.normalizedEmail("  Ann@Example.COM "), "ann@example.com")
        // "e" and a combining acute accent: the composed "é".
        XCTAssertEqual(Accounts.canonicalEmail("jose\u{301}@example.com"), "jos\u{E9}@example.com")
    }

    func testNotAnEmailIsRefusedAsInvalid() {
        for text in ["ann", "ann@example", "@example.com", "ann@.example.com", "an n@example.com", "ann\u{200B}@example.com"] {
            XCTAssertThrowsError(try Accounts.normalizedEmail(text), text) { error in
                XCTAssertEqual((error as? MarketError)?.kind, .invalid, text)
                XCTAssertEqual((error as? MarketError)?.code, "invalid_email", text)
            }
        }
    }
}
