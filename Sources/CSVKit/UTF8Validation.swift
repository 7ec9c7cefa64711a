/// UTF-8 validation (RFC 3629 §4 well-formed sequences; no overlongs, surrogates
/// or values above U+10FFFF), skipping ASCII sixteen bytes at a time.
enum UTF8Validation {
    /// Validates `bytes[from..<to]`.
    ///
    /// Returns how far the bytes are known valid and the index of the first
    /// invalid sequence, if any. A sequence cut off at `to` stops validation
    /// before it without being invalid, unless `isFinal`.
    @inline(__always)
    static func validate(
        _ bytes: UnsafePointer<UInt8>, from: Int, to: Int, isFinal: Bool
    ) -> (validUpTo: Int, invalidAt: Int?) {
        var i = from
        while true {
            while i &+ 16 <= to {
                let raw = UnsafeRawPointer(bytes + i)
                let low = UInt64(littleEndian: raw.loadUnaligned(as: UInt64.self)) & 0x8080_8080_8080_8080
                let high = UInt64(littleEndian: raw.loadUnaligned(fromByteOffset: 8, as: UInt64.self)) & 0x8080_8080_8080_8080
                if low | high != 0 {
                    i &+= low != 0 ? low.trailingZeroBitCount &>> 3 : 8 &+ high.trailingZeroBitCount &>> 3
                    break
                }
                i &+= 16
            }
            if i &+ 8 <= to {
                let word = UInt64(littleEndian: UnsafeRawPointer(bytes + i).loadUnaligned(as: UInt64.self)) & 0x8080_8080_8080_8080
                i &+= word != 0 ? word.trailingZeroBitCount &>> 3 : 8
            }
            while i < to && bytes[i] < 0x80 { i &+= 1 }
            if i >= to { return (to, nil) }
            let lead = bytes[i]
            let length: Int
            var low: UInt8 = 0x80
            var high: UInt8 = 0xBF
            switch lead {
            case 0xC2...0xDF: length = 2
            case 0xE0: length = 3; low = 0xA0
            case 0xE1...0xEC, 0xEE...0xEF: length = 3
            case 0xED: length = 3; high = 0x9F
            case 0xF0: length = 4; low = 0x90
            case 0xF1...0xF3: length = 4
            case 0xF4: length = 4; high = 0x8F
            default: return (i, i)
            }
            var k = 1
            while k < length {
                if i &+ k >= to { return isFinal ? (i, i) : (i, nil) }
                let byte = bytes[i &+ k]
                if byte < low || byte > high { return (i, i) }
                low = 0x80
                high = 0xBF
                k &+= 1
            }
            i &+= length
        }
    }

    /// The index of the first true lane of a 16-lane mask that has one.
    @inline(__always)
    static func firstLane(_ mask: SIMDMask<SIMD16<Int8>>) -> Int {
        let words = unsafeBitCast(mask, to: SIMD2<UInt64>.self)
        let low = UInt64(littleEndian: words[0])
        let inHigh = low == 0  // branch-free: which half is unpredictable
        let word = inHigh ? UInt64(littleEndian: words[1]) : low
        return (inHigh ? 8 : 0) &+ word.trailingZeroBitCount &>> 3
    }

    /// The number of Unicode scalars in well-formed UTF-8 `bytes[from..<to]`.
    static func scalarCount(_ bytes: UnsafePointer<UInt8>, from: Int, to: Int) -> Int {
        var count = 0
        var i = from
        while i < to {
            if bytes[i] & 0xC0 != 0x80 { count &+= 1 }
            i &+= 1
        }
        return count
    }
}
