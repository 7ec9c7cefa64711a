import Hashing
/// RFC 3986 percent-encoding as AWS SigV4 defines `UriEncode()`: every byte outside
/// the unreserved set `A-Z a-z 0-9 - . _ ~` becomes `%XY` with upper-case hex
/// digits (RFC 3986 §2.1, §2.3; AWS "Create a canonical request for Signature
/// Version 4"). Shared by the signer and the rest-json client, so a URL this module
/// builds is already in canonical form.
enum URIEncoding {
    private static let upperHex = Array("0123456789ABCDEF".utf8)

    /// Whether `byte` is in the RFC 3986 §2.3 unreserved set.
    @inline(__always)
    static func isUnreserved(_ byte: UInt8) -> Bool {
        switch byte {
        case UInt8(ascii: "A")...UInt8(ascii: "Z"), UInt8(ascii: "a")...UInt8(ascii: "z"),
             UInt8(ascii: "0")...UInt8(ascii: "9"),
             UInt8(ascii: "-"), UInt8(ascii: "."), UInt8(ascii: "_"), UInt8(ascii: "~"):
            true
        default:
            false
        }
    }

    /// Percent-encodes `bytes`, keeping unreserved bytes (and `/` when `keepingSlash`).
    static func encode(bytes: some Sequence<UInt8>, keepingSlash: Bool = false) -> String {
        var out: [UInt8] = []
        out.reserveCapacity(bytes.underestimatedCount)
        for byte in bytes {
            if isUnreserved(byte) || (keepingSlash && byte == UInt8(ascii: "/")) {
                out.append(byte)
            } else {
                out.append(UInt8(ascii: "%"))
                out.append(upperHex[Int(byte >> 4)])
                out.append(upperHex[Int(byte & 0x0f)])
            }
        }
        return String(decoding: out, as: UTF8.self)
    }

    /// Percent-encodes the UTF-8 bytes of `string`.
    static func encode(_ string: some StringProtocol, keepingSlash: Bool = false) -> String {
        encode(bytes: string.utf8, keepingSlash: keepingSlash)
    }

    /// The bytes `string` stands for: each well-formed `%XY` becomes one byte, every
    /// other character (including a stray `%` and `+`) stands for itself.
    static func decode(_ string: some StringProtocol) -> [UInt8] {
        let utf8 = Array(string.utf8)
        var out: [UInt8] = []
        out.reserveCapacity(utf8.count)
        var index = 0
        while index < utf8.count {
            if utf8[index] == UInt8(ascii: "%"), index + 2 < utf8.count,
               let high = Hex.value(of: utf8[index + 1]), let low = Hex.value(of: utf8[index + 2]) {
                out.append(high << 4 | low)
                index += 3
            } else {
                out.append(utf8[index])
                index += 1
            }
        }
        return out
    }

    /// Re-encodes an already percent-encoded component into canonical form: decode,
    /// then encode (so `%7e` → `~`, `ሴ` → `%E1%88%B4`, `%2f` → `%2F`).
    static func canonicalize(_ component: some StringProtocol) -> String {
        encode(bytes: decode(component))
    }
}
