import Foundation

/// HMAC with SHA-256 as the hash function (RFC 2104 "HMAC: Keyed-Hashing for
/// Message Authentication"; test vectors in RFC 4231).
///
/// `HMAC(K, m) = H((K' ⊕ opad) ‖ H((K' ⊕ ipad) ‖ m))`, where `K'` is the key padded
/// with zeros to the 64-byte block size, or first hashed when longer than a block
/// (RFC 2104 §2). A value type like `SHA256`: stream the message with `update(_:)`
/// and read the 32-byte tag with `finalize()`, or use the one-shot
/// `authenticationCode(for:key:)`.
///
/// Cost: two SHA-256 passes plus two extra blocks. Comparing tags in constant time
/// is the caller's job (`SigV4Verifier` does).
public struct HMAC: Sendable {
    /// The inner hash, already fed `K' ⊕ ipad`.
    private var inner: SHA256
    /// The outer hash, already fed `K' ⊕ opad`.
    private let outer: SHA256

    /// Creates an authenticator keyed with `key` (any length, RFC 2104 §3).
    public init(key: some ContiguousBytes) {
        var block = key.withUnsafeBytes { Array($0) }
        if block.count > SHA256.blockByteCount {
            block = SHA256.hash(block)
        }
        block.append(contentsOf: repeatElement(0, count: SHA256.blockByteCount - block.count))
        var inner = SHA256()
        inner.update(block.map { $0 ^ 0x36 })
        var outer = SHA256()
        outer.update(block.map { $0 ^ 0x5c })
        self.inner = inner
        self.outer = outer
    }

    /// Adds bytes to the message.
    public mutating func update(_ bytes: some ContiguousBytes) {
        inner.update(bytes)
    }

    /// Adds the UTF-8 bytes of a string to the message.
    public mutating func update(_ string: String) {
        inner.update(string)
    }

    /// The 32-byte authentication code of everything added so far. Does not consume
    /// the authenticator.
    public func finalize() -> [UInt8] {
        var outer = self.outer
        outer.update(inner.finalize())
        return outer.finalize()
    }

    /// HMAC-SHA256 of `message` under `key`, in one call.
    public static func authenticationCode(for message: some ContiguousBytes, key: some ContiguousBytes) -> [UInt8] {
        var hmac = HMAC(key: key)
        hmac.update(message)
        return hmac.finalize()
    }

    /// HMAC-SHA256 of the UTF-8 bytes of `message` under `key`.
    public static func authenticationCode(for message: String, key: some ContiguousBytes) -> [UInt8] {
        var hmac = HMAC(key: key)
        hmac.update(message)
        return hmac.finalize()
    }

    /// Whether two byte strings are equal, in time that depends only on their lengths
    /// (for comparing authentication codes and signatures without a timing oracle).
    public static func constantTimeEquals(_ lhs: some Collection<UInt8>, _ rhs: some Collection<UInt8>) -> Bool {
        guard lhs.count == rhs.count else { return false }
        var difference: UInt8 = 0
        for (a, b) in zip(lhs, rhs) { difference |= a ^ b }
        return difference == 0
    }
}
