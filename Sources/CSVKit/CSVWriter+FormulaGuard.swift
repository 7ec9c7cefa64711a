/// The formula-injection guard (OWASP "CSV Injection"): which cells a spreadsheet
/// would run as a formula.
extension CSVWriter {
    /// Whether a field starts like a formula: with `=`, `+`, `-`, `@`, tab or CR, and
    /// is not a plain number such as `-12.5`, `+1` or `-1e3`.
    ///
    /// The writer prefixes such a field with `'`, which spreadsheets show as text.
    public static func looksLikeFormula(_ field: some StringProtocol) -> Bool {
        var text = String(field)
        return text.withUTF8 { looksLikeFormula($0) }
    }

    static func looksLikeFormula(_ field: UnsafeBufferPointer<UInt8>) -> Bool {
        guard let first = field.first else { return false }
        switch first {
        case UInt8(ascii: "="), UInt8(ascii: "@"), 0x09, 0x0D:
            return true
        case UInt8(ascii: "+"), UInt8(ascii: "-"):
            return !isPlainNumber(field)
        default:
            return false
        }
    }

    /// `[+-]digits[.digits][e[+-]digits]` (at least one digit before the exponent).
    static func isPlainNumber(_ field: UnsafeBufferPointer<UInt8>) -> Bool {
        var i = 0
        let n = field.count
        func isDigit(_ byte: UInt8) -> Bool { byte >= UInt8(ascii: "0") && byte <= UInt8(ascii: "9") }
        if i < n && (field[i] == UInt8(ascii: "+") || field[i] == UInt8(ascii: "-")) { i += 1 }
        var digits = 0
        while i < n && isDigit(field[i]) { i += 1; digits += 1 }
        if i < n && field[i] == UInt8(ascii: ".") {
            i += 1
            while i < n && isDigit(field[i]) { i += 1; digits += 1 }
        }
        guard digits > 0 else { return false }
        if i < n && (field[i] == UInt8(ascii: "e") || field[i] == UInt8(ascii: "E")) {
            i += 1
            if i < n && (field[i] == UInt8(ascii: "+") || field[i] == UInt8(ascii: "-")) { i += 1 }
            var exponent = 0
            while i < n && isDigit(field[i]) { i += 1; exponent += 1 }
            guard exponent > 0 else { return false }
        }
        return i == n
    }
}
