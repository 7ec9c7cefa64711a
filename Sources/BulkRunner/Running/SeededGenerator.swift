/// A seeded pseudo-random generator (SplitMix64, Steele, Lea & Flood 2014) for backoff
/// jitter: the same seed gives the same delays, so runs in virtual time repeat exactly.
///
/// Not cryptographic. Cost: one 64-bit state, a few multiplications per draw. Streams are
/// derived per call (``SeededGenerator/init(seed:stream:)``) so concurrent retries draw
/// the same numbers whatever order the scheduler runs them in.
public struct SeededGenerator: RandomNumberGenerator, Sendable, Hashable {
    private var state: UInt64

    /// A generator whose sequence is fixed by `seed`.
    public init(seed: UInt64) {
        state = seed
    }

    /// A generator for one named stream of `seed` (e.g. a change set's token and an attempt
    /// number): independent of every other stream, fixed by both.
    public init(seed: UInt64, stream: String) {
        // FNV-1a over the stream name, mixed with the seed.
        var hash: UInt64 = 0xcbf2_9ce4_8422_2325
        for byte in stream.utf8 {
            hash ^= UInt64(byte)
            hash &*= 0x0000_0100_0000_01b3
        }
        var mixer = SeededGenerator(seed: seed ^ hash)
        state = mixer.next()
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
}
