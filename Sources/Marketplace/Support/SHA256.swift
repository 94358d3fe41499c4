import CSodium

/// SHA-256 through libsodium.
public enum SHA256 {
    public static func digest(_ bytes: [UInt8]) -> [UInt8] {
        var output = [UInt8](repeating: 0, count: Int(crypto_hash_sha256_bytes()))
        _ = crypto_hash_sha256(&output, bytes, UInt64(bytes.count))
        return output
    }
}
