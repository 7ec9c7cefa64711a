import Foundation

/// A JSON number kept as its literal text, so it round-trips exactly (prices such as
/// `1.50`, big integers, exponents).
///
/// The text always matches the JSON number grammar (RFC 8259 §6). Equality and hashing use
/// the text: `1.0` and `1` are different numbers here, as they are different bytes on the wire.
public struct JSONNumber: Sendable, Hashable, CustomStringConvertible {
    /// The number exactly as written, e.g. `"1.50"` or `"-2e10"`.
    public let text: String

    /// Wraps `text` when it is a valid JSON number literal; `nil` otherwise.
    public init?(text: String) {
        guard JSONNumber.isValidLiteral(text.utf8) else { return nil }
        self.text = text
    }

    /// Wraps text already checked by the parser.
    init(uncheckedText: String) {
        self.text = uncheckedText
    }

    /// An integer.
    public init<I: BinaryInteger>(_ value: I) {
        self.text = String(value)
    }

    /// A finite floating-point number in Swift's shortest round-tripping spelling
    /// (`0.1` → `0.1`, `1.0` → `1.0`). Traps on NaN or infinity, which JSON cannot hold.
    public init(_ value: Double) {
        precondition(value.isFinite, "JSON cannot represent \(value)")
        self.text = value.description
    }

    /// A decimal in its plain spelling (`Decimal(string: "1.5")` → `1.5`); `nil` for NaN.
    public init?(_ value: Decimal) {
        guard !value.isNaN, let number = JSONNumber(text: value.description) else { return nil }
        self = number
    }

    /// The value as `Int`, when the literal is an integer that fits (`150`, not `150.0`).
    public var intValue: Int? { Int(text) }

    /// The value as `Double` (may round).
    public var doubleValue: Double { Double(text) ?? .nan }

    /// The value as `Decimal`, exact for up to 38 significant digits.
    public var decimalValue: Decimal? { Decimal(string: text, locale: Locale(identifier: "en_US_POSIX")) }

    /// Whether the literal has no fraction or exponent part (`12`, `-3`).
    public var isIntegerLiteral: Bool { !text.contains(where: { $0 == "." || $0 == "e" || $0 == "E" }) }

    /// The literal text.
    public var description: String { text }

    /// The text with a normalised exponent (`1E+05` → `1e5`) for canonical output; digits
    /// before the exponent are kept as written.
    var canonicalText: String {
        guard let e = text.firstIndex(where: { $0 == "e" || $0 == "E" }) else { return text }
        let mantissa = text[..<e]
        var exponent = text[text.index(after: e)...]
        var negative = false
        if exponent.first == "+" { exponent = exponent.dropFirst() } else if exponent.first == "-" {
            negative = true
            exponent = exponent.dropFirst()
        }
        let digits = exponent.drop(while: { $0 == "0" })
        if digits.isEmpty { return String(mantissa) + "e0" }
        return String(mantissa) + "e" + (negative ? "-" : "") + digits
    }

    /// Whether `bytes` is exactly one JSON number: `-?(0|[1-9][0-9]*)(\.[0-9]+)?([eE][+-]?[0-9]+)?`.
    static func isValidLiteral<C: Collection>(_ bytes: C) -> Bool where C.Element == UInt8 {
        var i = bytes.startIndex
        func peek() -> UInt8? { i < bytes.endIndex ? bytes[i] : nil }
        func isDigit(_ b: UInt8?) -> Bool { b.map { $0 >= 0x30 && $0 <= 0x39 } ?? false }
        if peek() == 0x2D { i = bytes.index(after: i) }
        guard let first = peek(), isDigit(first) else { return false }
        i = bytes.index(after: i)
        if first != 0x30 { while isDigit(peek()) { i = bytes.index(after: i) } }
        if peek() == 0x2E {
            i = bytes.index(after: i)
            guard isDigit(peek()) else { return false }
            while isDigit(peek()) { i = bytes.index(after: i) }
        }
        if peek() == 0x65 || peek() == 0x45 {
            i = bytes.index(after: i)
            if peek() == 0x2B || peek() == 0x2D { i = bytes.index(after: i) }
            guard isDigit(peek()) else { return false }
            while isDigit(peek()) { i = bytes.index(after: i) }
        }
        return i == bytes.endIndex
    }
}
