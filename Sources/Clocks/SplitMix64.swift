/// A seeded pseudo-random generator (SplitMix64, Steele, Lea & Flood 2014): the injected
/// randomness. Every id, jitter and fault the emulator draws, and every backoff delay the
/// engine waits, comes from one of these, so a seed reproduces a run. Streams are derived
/// per purpose (``stream(seed:label:)``) so concurrent retries draw the same numbers
/// whatever order the scheduler runs them in.
///
/// Not cryptographic. Cost: one 64-bit state, a few multiplications per draw.
public struct SplitMix64: RandomNumberGenerator, Sendable, Hashable {
    private var state: UInt64

    /// A generator whose sequence is fixed by `seed`.
    public init(seed: UInt64) {
        state = seed
    }

    /// The next 64 random bits.
    public mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }

    /// A uniform `Double` in `0..<1`.
    public mutating func nextUnit() -> Double {
        Double(next() >> 11) * (1.0 / 9_007_199_254_740_992.0)
    }

    /// `true` with probability `probability` (never for 0 or less, always for 1 or more).
    /// Draws exactly one value whatever the probability, so streams stay aligned.
    public mutating func chance(_ probability: Double) -> Bool {
        let draw = nextUnit()
        return draw < probability
    }

    /// A string of `count` characters from `alphabet` (lower-case letters and digits by default).
    public mutating func string(count: Int, alphabet: [Character] = SplitMix64.lowerAlphanumerics) -> String {
        var text = ""
        text.reserveCapacity(count)
        for _ in 0..<count {
            text.append(alphabet[Int(next() % UInt64(alphabet.count))])
        }
        return text
    }

    /// An independent generator for one purpose, derived from this seed and a label, so adding
    /// draws for one purpose never shifts the sequence of another.
    public static func stream(seed: UInt64, label: String) -> SplitMix64 {
        var hash: UInt64 = 0xCBF2_9CE4_8422_2325
        for byte in label.utf8 {
            hash ^= UInt64(byte)
            hash &*= 0x0000_0100_0000_01B3
        }
        var mixer = SplitMix64(seed: seed ^ hash)
        return SplitMix64(seed: mixer.next())
    }

    /// `a`–`z` and `0`–`9`, the characters of AWS Marketplace entity ids.
    public static let lowerAlphanumerics: [Character] = Array("abcdefghijklmnopqrstuvwxyz0123456789")
}
