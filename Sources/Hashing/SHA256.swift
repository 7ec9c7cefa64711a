import Foundation

/// SHA-256 as specified by NIST FIPS 180-4 ("Secure Hash Standard", August 2015), §6.2.
///
/// A value type: feed bytes with `update(_:)` as they arrive, then read the 32-byte
/// digest with `finalize()`. `finalize()` does not consume the hasher: it pads a copy,
/// so more bytes can still be added and a later `finalize()` covers them too.
///
/// ```swift
/// var hasher = SHA256()
/// hasher.update(Data("abc".utf8))
/// let digest = hasher.finalize()            // 32 bytes
/// let hex = SHA256.hexHash("abc")           // "ba7816bf…"
/// ```
///
/// Cost: one pass over the input, whole 64-byte blocks are compressed straight from
/// the caller's buffer (no copy); at most 63 bytes are held between calls. It is
/// the plain portable algorithm, without SHA-NI or other CPU extensions: fast enough
/// for request bodies and signing, not meant for hashing gigabytes. It is not a
/// password hash and makes no constant-time promise.
public struct SHA256: Sendable {
    /// Length of a digest in bytes (256 bits, FIPS 180-4 §1).
    public static let digestByteCount = 32
    /// Length of a message block in bytes (512 bits, FIPS 180-4 §1).
    public static let blockByteCount = 64

    /// The eight working hash words H0…H7 (FIPS 180-4 §5.3.3 initial values).
    private var state: State = .initial
    /// Bytes received but not yet compressed: always fewer than 64.
    private var pending: [UInt8] = []
    /// Total message length so far, in bytes.
    private var byteCount: UInt64 = 0

    /// Creates a hasher for an empty message.
    public init() {
        pending.reserveCapacity(Self.blockByteCount)
    }

    /// Adds bytes to the message (`Data`, `[UInt8]`, a buffer pointer…).
    public mutating func update(_ bytes: some ContiguousBytes) {
        bytes.withUnsafeBytes { update(buffer: $0) }
    }

    /// Adds the UTF-8 bytes of a string to the message.
    public mutating func update(_ string: String) {
        var string = string
        string.withUTF8 { update(buffer: UnsafeRawBufferPointer($0)) }
    }

    /// Adds the bytes of a raw buffer to the message.
    public mutating func update(buffer: UnsafeRawBufferPointer) {
        guard buffer.count > 0, let base = buffer.baseAddress else { return }
        byteCount &+= UInt64(buffer.count)
        var offset = 0
        let count = buffer.count
        if !pending.isEmpty {
            let take = min(Self.blockByteCount - pending.count, count)
            pending.append(contentsOf: UnsafeRawBufferPointer(start: base, count: take))
            offset = take
            guard pending.count == Self.blockByteCount else { return }
            pending.withUnsafeBytes { block in
                if let blockBase = block.baseAddress {
                    Self.compress(&state, blocks: blockBase, count: 1)
                }
            }
            pending.removeAll(keepingCapacity: true)
        }
        let wholeBlocks = (count - offset) / Self.blockByteCount
        if wholeBlocks > 0 {
            Self.compress(&state, blocks: base + offset, count: wholeBlocks)
            offset += wholeBlocks * Self.blockByteCount
        }
        if offset < count {
            pending.append(contentsOf: UnsafeRawBufferPointer(start: base + offset, count: count - offset))
        }
    }

    /// The 32-byte digest of everything added so far (FIPS 180-4 §5.1.1 padding, §6.2.2).
    ///
    /// Pads a copy: the hasher itself is unchanged and can take more bytes.
    public func finalize() -> [UInt8] {
        var copy = self
        let bitLength = byteCount &* 8
        // Padding: a single 1 bit, zeros up to 56 mod 64 bytes, then the length in bits (big-endian).
        var padding: [UInt8] = [0x80]
        let afterMarker = Int((byteCount + 1) % UInt64(Self.blockByteCount))
        let zeros = afterMarker <= 56 ? 56 - afterMarker : 64 + 56 - afterMarker
        padding.append(contentsOf: repeatElement(0, count: zeros))
        for shift in stride(from: 56, through: 0, by: -8) {
            padding.append(UInt8(truncatingIfNeeded: bitLength >> UInt64(shift)))
        }
        let savedCount = copy.byteCount
        copy.update(padding)
        copy.byteCount = savedCount
        return copy.state.bytes
    }

    /// The digest of `bytes`, in one call.
    public static func hash(_ bytes: some ContiguousBytes) -> [UInt8] {
        var hasher = SHA256()
        hasher.update(bytes)
        return hasher.finalize()
    }

    /// The digest of the UTF-8 bytes of `string`.
    public static func hash(_ string: String) -> [UInt8] {
        var hasher = SHA256()
        hasher.update(string)
        return hasher.finalize()
    }

    /// The digest of `bytes` as 64 lowercase hex characters (the form SigV4 uses).
    public static func hexHash(_ bytes: some ContiguousBytes) -> String {
        Hex.encode(hash(bytes))
    }

    /// The digest of the UTF-8 bytes of `string` as 64 lowercase hex characters.
    public static func hexHash(_ string: String) -> String {
        Hex.encode(hash(string))
    }
}

extension SHA256 {
    /// The intermediate hash value H(i) (FIPS 180-4 §6.2.2): eight 32-bit words.
    private struct State: Sendable {
        var h0, h1, h2, h3, h4, h5, h6, h7: UInt32

        /// H(0), FIPS 180-4 §5.3.3: the first 32 bits of the fractional parts of the
        /// square roots of the first eight primes.
        static let initial = State(
            h0: 0x6a09_e667, h1: 0xbb67_ae85, h2: 0x3c6e_f372, h3: 0xa54f_f53a,
            h4: 0x510e_527f, h5: 0x9b05_688c, h6: 0x1f83_d9ab, h7: 0x5be0_cd19
        )

        /// The words as 32 big-endian bytes: the digest.
        var bytes: [UInt8] {
            var out: [UInt8] = []
            out.reserveCapacity(32)
            for word in [h0, h1, h2, h3, h4, h5, h6, h7] {
                out.append(UInt8(truncatingIfNeeded: word >> 24))
                out.append(UInt8(truncatingIfNeeded: word >> 16))
                out.append(UInt8(truncatingIfNeeded: word >> 8))
                out.append(UInt8(truncatingIfNeeded: word))
            }
            return out
        }
    }

    /// K{256}, FIPS 180-4 §4.2.2: the first 32 bits of the fractional parts of the cube
    /// roots of the first 64 primes.
    private static let roundConstants: [UInt32] = [
        0x428a_2f98, 0x7137_4491, 0xb5c0_fbcf, 0xe9b5_dba5, 0x3956_c25b, 0x59f1_11f1, 0x923f_82a4, 0xab1c_5ed5,
        0xd807_aa98, 0x1283_5b01, 0x2431_85be, 0x550c_7dc3, 0x72be_5d74, 0x80de_b1fe, 0x9bdc_06a7, 0xc19b_f174,
        0xe49b_69c1, 0xefbe_4786, 0x0fc1_9dc6, 0x240c_a1cc, 0x2de9_2c6f, 0x4a74_84aa, 0x5cb0_a9dc, 0x76f9_88da,
        0x983e_5152, 0xa831_c66d, 0xb003_27c8, 0xbf59_7fc7, 0xc6e0_0bf3, 0xd5a7_9147, 0x06ca_6351, 0x1429_2967,
        0x27b7_0a85, 0x2e1b_2138, 0x4d2c_6dfc, 0x5338_0d13, 0x650a_7354, 0x766a_0abb, 0x81c2_c92e, 0x9272_2c85,
        0xa2bf_e8a1, 0xa81a_664b, 0xc24b_8b70, 0xc76c_51a3, 0xd192_e819, 0xd699_0624, 0xf40e_3585, 0x106a_a070,
        0x19a4_c116, 0x1e37_6c08, 0x2748_774c, 0x34b0_bcb5, 0x391c_0cb3, 0x4ed8_aa4a, 0x5b9c_ca4f, 0x682e_6ff3,
        0x748f_82ee, 0x78a5_636f, 0x84c8_7814, 0x8cc7_0208, 0x90be_fffa, 0xa450_6ceb, 0xbef9_a3f7, 0xc671_78f2,
    ]

    /// ROTR^n(x), FIPS 180-4 §3.2.
    @inline(__always)
    private static func rotr(_ x: UInt32, _ n: UInt32) -> UInt32 { (x >> n) | (x << (32 &- n)) }

    /// Runs the SHA-256 compression function (FIPS 180-4 §6.2.2 steps 1–4) over
    /// `count` consecutive 64-byte blocks starting at `blocks`.
    private static func compress(_ state: inout State, blocks: UnsafeRawPointer, count: Int) {
        roundConstants.withUnsafeBufferPointer { kBuffer in
            guard let k = kBuffer.baseAddress else { return }
            withUnsafeTemporaryAllocation(of: UInt32.self, capacity: 64) { schedule in
                guard let w = schedule.baseAddress else { return }
                var s = state
                for block in 0..<count {
                    let p = blocks + block * blockByteCount
                    // 1. Message schedule W0…W63.
                    for t in 0..<16 {
                        w[t] = UInt32(bigEndian: p.loadUnaligned(fromByteOffset: t * 4, as: UInt32.self))
                    }
                    for t in 16..<64 {
                        let x = w[t - 15], y = w[t - 2]
                        let sigma0 = rotr(x, 7) ^ rotr(x, 18) ^ (x >> 3)
                        let sigma1 = rotr(y, 17) ^ rotr(y, 19) ^ (y >> 10)
                        w[t] = sigma1 &+ w[t - 7] &+ sigma0 &+ w[t - 16]
                    }
                    // 2.–3. Working variables and the 64 rounds.
                    var a = s.h0, b = s.h1, c = s.h2, d = s.h3
                    var e = s.h4, f = s.h5, g = s.h6, h = s.h7
                    for t in 0..<64 {
                        let bigSigma1 = rotr(e, 6) ^ rotr(e, 11) ^ rotr(e, 25)
                        let choose = (e & f) ^ (~e & g)
                        let t1 = h &+ bigSigma1 &+ choose &+ k[t] &+ w[t]
                        let bigSigma0 = rotr(a, 2) ^ rotr(a, 13) ^ rotr(a, 22)
                        let majority = (a & b) ^ (a & c) ^ (b & c)
                        let t2 = bigSigma0 &+ majority
                        h = g; g = f; f = e; e = d &+ t1
                        d = c; c = b; b = a; a = t1 &+ t2
                    }
                    // 4. The next intermediate hash value.
                    s.h0 &+= a; s.h1 &+= b; s.h2 &+= c; s.h3 &+= d
                    s.h4 &+= e; s.h5 &+= f; s.h6 &+= g; s.h7 &+= h
                }
                state = s
            }
        }
    }
}
