import CSodium
import Foundation

/// Random session tokens. The client keeps the token; the database keeps only its SHA-256.
public enum SessionToken {
    /// 32 random bytes as 64 hex characters.
    public static func generate() -> String {
        var bytes = [UInt8](repeating: 0, count: 32)
        randombytes_buf(&bytes, bytes.count)
        return hex(bytes)
    }

    public static func hash(_ token: String) -> [UInt8] {
        SHA256.digest(Array(token.utf8))
    }

    public static func hex(_ bytes: [UInt8]) -> String {
        let digits = Array("0123456789abcdef".utf8)
        var text = [UInt8]()
        text.reserveCapacity(bytes.count * 2)
        for byte in bytes {
            text.append(digits[Int(byte >> 4)])
            text.append(digits[Int(byte & 0x0f)])
        }
        return String(decoding: text, as: UTF8.self)
    }
}

/// SHA-256 through libsodium.
public enum SHA256 {
    public static func digest(_ bytes: [UInt8]) -> [UInt8] {
        var output = [UInt8](repeating: 0, count: Int(crypto_hash_sha256_bytes()))
        _ = crypto_hash_sha256(&output, bytes, UInt64(bytes.count))
        return output
    }
}

/// The session cookie: HttpOnly (no script reads it), SameSite=Lax, the whole site.
public enum SessionCookie {
    public static let name = "tt_session"

    public static func set(_ token: String, maxAge seconds: Int, secure: Bool) -> String {
        "\(name)=\(token); Path=/; Max-Age=\(seconds); HttpOnly; SameSite=Lax\(secure ? "; Secure" : "")"
    }

    public static func clear(secure: Bool) -> String {
        "\(name)=; Path=/; Max-Age=0; HttpOnly; SameSite=Lax\(secure ? "; Secure" : "")"
    }
}
