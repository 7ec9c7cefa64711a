/// Decodes UTF-16 (RFC 2781) or Windows-1252 input into UTF-8, chunk by chunk.
///
/// State that straddles a chunk boundary (an odd byte, a high surrogate) is
/// carried to the next call. Ill-formed UTF-16 is not repaired silently: the
/// first problem is reported, and one `placeholder` byte (never valid UTF-8,
/// never special to the parser) stands in for it in the output, so that the
/// reader fails on exactly the record that holds it.
struct Transcoder {
    enum Kind: Equatable {
        case windows1252
        case utf16(bigEndian: Bool)
    }

    /// A decoding failure: where in the output and in the source, and what.
    struct Failure {
        var outputIndex: Int
        var sourceOffset: Int64
        var reason: String
    }

    /// The byte written in place of an undecodable sequence.
    static let placeholder: UInt8 = 0xFF

    let kind: Kind
    /// The source offset of the next input byte.
    private(set) var sourceOffset: Int64
    private var carry: UInt8?
    private var highSurrogate: UInt16?
    private var highSurrogateOffset: Int64 = 0

    init(kind: Kind, sourceOffset: Int64) {
        self.kind = kind
        self.sourceOffset = sourceOffset
    }

    /// The most output bytes that `count` input bytes (plus carried state) can make.
    static func maximumOutput(forInput count: Int) -> Int { count * 3 + 8 }

    /// Decodes `input[0..<count]` into `output`; the bytes written and the first failure, if any.
    mutating func decode(
        _ input: UnsafePointer<UInt8>, count: Int, into output: UnsafeMutablePointer<UInt8>, isFinal: Bool
    ) -> (written: Int, failure: Failure?) {
        switch kind {
        case .windows1252:
            return (Self.decodeWindows1252(input, count: count, into: output, offset: &sourceOffset), nil)
        case .utf16(let bigEndian):
            return decodeUTF16(input, count: count, into: output, bigEndian: bigEndian, isFinal: isFinal)
        }
    }

    private static func decodeWindows1252(
        _ input: UnsafePointer<UInt8>, count: Int, into output: UnsafeMutablePointer<UInt8>, offset: inout Int64
    ) -> Int {
        var w = 0
        windows1252High.withUnsafeBufferPointer { table in
            for i in 0..<count {
                let byte = input[i]
                if byte < 0x80 {
                    output[w] = byte
                    w &+= 1
                } else {
                    w &+= encode(UInt32(table[Int(byte) - 0x80]), into: output + w)
                }
            }
        }
        offset += Int64(count)
        return w
    }

    private mutating func decodeUTF16(
        _ input: UnsafePointer<UInt8>, count: Int, into output: UnsafeMutablePointer<UInt8>,
        bigEndian: Bool, isFinal: Bool
    ) -> (written: Int, failure: Failure?) {
        var w = 0
        var failure: Failure?
        var i = 0
        func fail(_ offset: Int64, _ reason: String) {
            if failure == nil { failure = Failure(outputIndex: w, sourceOffset: offset, reason: reason) }
            output[w] = Self.placeholder
            w &+= 1
        }
        while true {
            let unitOffset: Int64
            let unit: UInt16
            if let first = carry {
                guard i < count else { break }
                unitOffset = sourceOffset - 1
                unit = bigEndian ? UInt16(first) << 8 | UInt16(input[i]) : UInt16(input[i]) << 8 | UInt16(first)
                carry = nil
                i &+= 1
                sourceOffset &+= 1
            } else {
                if i &+ 1 >= count {
                    if i < count {
                        carry = input[i]
                        i &+= 1
                        sourceOffset &+= 1
                    }
                    break
                }
                unitOffset = sourceOffset
                let a = UInt16(input[i]), b = UInt16(input[i &+ 1])
                unit = bigEndian ? a << 8 | b : b << 8 | a
                i &+= 2
                sourceOffset &+= 2
            }
            if let high = highSurrogate {
                highSurrogate = nil
                if unit & 0xFC00 == 0xDC00 {
                    let scalar = 0x10000 + (UInt32(high - 0xD800) << 10) + UInt32(unit - 0xDC00)
                    w &+= Self.encode(scalar, into: output + w)
                    continue
                }
                fail(highSurrogateOffset, "invalid UTF-16: high surrogate \(Self.hex(high)) is not followed by a low surrogate")
            }
            switch unit {
            case 0..<0x80:
                output[w] = UInt8(truncatingIfNeeded: unit)
                w &+= 1
            case 0xD800...0xDBFF:
                highSurrogate = unit
                highSurrogateOffset = unitOffset
            case 0xDC00...0xDFFF:
                fail(unitOffset, "invalid UTF-16: low surrogate \(Self.hex(unit)) without a high surrogate before it")
            default:
                w &+= Self.encode(UInt32(unit), into: output + w)
            }
        }
        if isFinal {
            if highSurrogate != nil {
                highSurrogate = nil
                fail(highSurrogateOffset, "invalid UTF-16: the text ends after a high surrogate")
            }
            if carry != nil {
                carry = nil
                fail(sourceOffset - 1, "invalid UTF-16: the text ends in the middle of a character (an odd number of bytes)")
            }
        }
        return (w, failure)
    }

    /// Writes `scalar` as UTF-8; the number of bytes written.
    @inline(__always)
    static func encode(_ scalar: UInt32, into out: UnsafeMutablePointer<UInt8>) -> Int {
        switch scalar {
        case 0..<0x80:
            out[0] = UInt8(truncatingIfNeeded: scalar)
            return 1
        case 0x80..<0x800:
            out[0] = UInt8(truncatingIfNeeded: 0xC0 | scalar >> 6)
            out[1] = UInt8(truncatingIfNeeded: 0x80 | scalar & 0x3F)
            return 2
        case 0x800..<0x10000:
            out[0] = UInt8(truncatingIfNeeded: 0xE0 | scalar >> 12)
            out[1] = UInt8(truncatingIfNeeded: 0x80 | scalar >> 6 & 0x3F)
            out[2] = UInt8(truncatingIfNeeded: 0x80 | scalar & 0x3F)
            return 3
        default:
            out[0] = UInt8(truncatingIfNeeded: 0xF0 | scalar >> 18)
            out[1] = UInt8(truncatingIfNeeded: 0x80 | scalar >> 12 & 0x3F)
            out[2] = UInt8(truncatingIfNeeded: 0x80 | scalar >> 6 & 0x3F)
            out[3] = UInt8(truncatingIfNeeded: 0x80 | scalar & 0x3F)
            return 4
        }
    }

    /// How many source bytes the decoded UTF-8 `bytes[0..<count]` came from.
    static func sourceLength(of bytes: UnsafePointer<UInt8>, count: Int, kind: Kind?) -> Int64 {
        guard let kind else { return Int64(count) }
        var total: Int64 = 0
        for i in 0..<count {
            let byte = bytes[i]
            if byte & 0xC0 == 0x80 { continue }
            switch kind {
            case .windows1252: total += 1
            case .utf16: total += byte >= 0xF0 ? 4 : 2
            }
        }
        return total
    }

    private static func hex(_ unit: UInt16) -> String {
        let digits = String(unit, radix: 16, uppercase: true)
        return "0x" + String(repeating: "0", count: max(0, 4 - digits.count)) + digits
    }

    /// Windows-1252 bytes 0x80–0xFF as Unicode scalars (WHATWG index; 0x81, 0x8D, 0x8F, 0x90, 0x9D are C1 controls).
    static let windows1252High: [UInt16] = [
        0x20AC, 0x0081, 0x201A, 0x0192, 0x201E, 0x2026, 0x2020, 0x2021,
        0x02C6, 0x2030, 0x0160, 0x2039, 0x0152, 0x008D, 0x017D, 0x008F,
        0x0090, 0x2018, 0x2019, 0x201C, 0x201D, 0x2022, 0x2013, 0x2014,
        0x02DC, 0x2122, 0x0161, 0x203A, 0x0153, 0x009D, 0x017E, 0x0178,
    ] + (0xA0...0xFF).map { UInt16($0) }
}
