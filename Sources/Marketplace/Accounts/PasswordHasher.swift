import CSodium
import Foundation
import MariaStore

/// argon2id password hashes through libsodium (`crypto_pwhash_str`): salted, with the
/// algorithm and its limits stored in the hash string itself.
public struct PasswordHasher: Sendable {
    public enum Strength: Sendable { case interactive, moderate }
    public let strength: Strength

    public init(strength: Strength = .interactive) {
        precondition(sodium_init() >= 0, "libsodium failed to initialise")
        self.strength = strength
    }

    public func hash(_ password: String) throws -> String {
        let (ops, memory) =
            strength == .interactive
            ? (crypto_pwhash_argon2id_opslimit_interactive(), crypto_pwhash_argon2id_memlimit_interactive())
            : (crypto_pwhash_argon2id_opslimit_moderate(), crypto_pwhash_argon2id_memlimit_moderate())
        var output = [CChar](repeating: 0, count: Int(crypto_pwhash_argon2id_strbytes()))
        let status = password.withCString { pointer in
            crypto_pwhash_argon2id_str(&output, pointer, UInt64(strlen(pointer)), UInt64(ops), Int(memory))
        }
        // Fails only when the memory argon2id needs cannot be had just now.
        guard status == 0 else { throw MarketError(.busy, "busy", "The server could not hash the password; try again.") }
        return String(cString: output)
    }

    /// True when the password matches the stored hash.
    public func verify(_ password: String, against hash: String) -> Bool {
        hash.withCString { hashPointer in
            password.withCString { crypto_pwhash_argon2id_str_verify(hashPointer, $0, UInt64(strlen($0))) == 0 }
        }
    }
}
