extension ValueChecks {
    /// Checks a 12-digit AWS account id (ResellerAccountId, BuyerAccounts …) and recognises
    /// what spreadsheets do to them:
    /// - 11 or fewer digits: leading zeros lost (suggests the zero-padded value);
    /// - `1.23457E+11`, `1.23457e11`, `1,23457E+11` (a comma-decimal locale): scientific
    ///   notation (digits are gone; re-enter);
    /// - `1234-5678-9012`, `1234 5678 9012`, `123,456,789,012`: separators (suggests `123456789012`);
    /// - `123456789012.0`, `123456789012,00`: stored as a decimal number (suggests the integer).
    ///
    /// `'012345678901` (a spreadsheet's text marker, as `bulkrunner export` writes ids) is the
    /// 12 digits after the apostrophe.
    public static func accountId(_ raw: String) -> ValueCheckResult {
        let value = trimmed(raw)
        guard !value.isEmpty else {
            return invalid(.empty, "account id is empty", "enter the 12-digit AWS account id")
        }
        if let mantissaDigits = scientificMantissa(value) {
            let exact = expandScientific(value).flatMap { $0.count <= 12 ? pad($0) : nil }
            return invalid(.scientificNotation,
                           "account id \"\(value)\" is in scientific notation\(mantissaDigits < 12 ? " and has lost digits" : "")",
                           "scientific notation: Excel turned it into a number; format the column as Text and re-enter the 12 digits",
                           suggestion: exact)
        }
        if value.hasPrefix("'"), value.dropFirst().allSatisfy(\.isASCIIDigit), value.count == 13 {
            // Spreadsheets' "keep as text" marker, which `bulkrunner export` writes itself: the id
            // is the 12 digits after it.
            return .valid(normalized: String(value.dropFirst()))
        }
        if let dot = value.firstIndex(where: isDecimalSeparator), value[..<dot].allSatisfy(\.isASCIIDigit),
           !value[..<dot].isEmpty, value[value.index(after: dot)...].allSatisfy({ $0 == "0" }),
           value[dot] == "." || value[value.index(after: dot)...].count != 3 {  // "123,000" is a thousands separator
            let integer = String(value[..<dot])
            return invalid(.invalidFormat, "account id \"\(value)\" was stored as a decimal number",
                           "format the column as Text and enter the 12 digits without a decimal point",
                           suggestion: integer.count <= 12 ? pad(integer) : nil)
        }
        let separators: Set<Character> = [" ", "-", "\u{00A0}", "\t", "_", ".", ","]
        if value.contains(where: separators.contains), value.allSatisfy({ $0.isASCIIDigit || separators.contains($0) }) {
            let digits = String(value.filter(\.isASCIIDigit))
            if digits.count == 12 {
                return invalid(.separators, "account id \"\(value)\" contains separators",
                               "write the 12 digits without spaces or dashes", suggestion: digits)
            }
            return invalid(.separators, "account id \"\(value)\" contains separators and has \(digits.count) digits",
                           "write the 12 digits without spaces or dashes")
        }
        guard value.allSatisfy(\.isASCIIDigit) else {
            return invalid(.invalidCharacters, "account id \"\(value)\" contains characters other than digits",
                           "an AWS account id is exactly 12 digits, e.g. 123456789012")
        }
        if value.count < 12 {
            return invalid(.lostLeadingZeros, "account id \"\(value)\" has \(value.count) digits, not 12",
                           "lost leading zero(s): pad to 12 digits, format the column as text",
                           suggestion: pad(value))
        }
        if value.count > 12 {
            return invalid(.tooManyDigits, "account id \"\(value)\" has \(value.count) digits, not 12",
                           "an AWS account id is exactly 12 digits; check for a pasted extra digit")
        }
        return .valid(normalized: value)
    }

    private static func pad(_ digits: String) -> String {
        String(repeating: "0", count: max(0, 12 - digits.count)) + digits
    }

    /// The decimal separators spreadsheets write: `.`, or `,` in locales such as de-DE or fr-FR.
    static func isDecimalSeparator(_ character: Character) -> Bool { character == "." || character == "," }

    /// The number of mantissa digits when `value` looks like `1.23457E+11` / `1.23457e11`
    /// (or `1,23457E+11`, as a comma-decimal locale writes it).
    static func scientificMantissa(_ value: String) -> Int? {
        guard let e = value.firstIndex(where: { $0 == "e" || $0 == "E" }) else { return nil }
        let mantissa = value[..<e]
        var exponent = value[value.index(after: e)...]
        if exponent.first == "+" || exponent.first == "-" { exponent = exponent.dropFirst() }
        guard !exponent.isEmpty, exponent.allSatisfy(\.isASCIIDigit) else { return nil }
        let parts = mantissa.split(omittingEmptySubsequences: false, whereSeparator: isDecimalSeparator)
        guard (1...2).contains(parts.count), parts.allSatisfy({ !$0.isEmpty && $0.allSatisfy(\.isASCIIDigit) }) else { return nil }
        return parts.joined().count
    }

    /// The integer digits of `1.23456789012E+11` when the mantissa holds every digit, else `nil`.
    static func expandScientific(_ value: String) -> String? {
        guard let e = value.firstIndex(where: { $0 == "e" || $0 == "E" }) else { return nil }
        let mantissa = value[..<e]
        var exponentText = value[value.index(after: e)...]
        if exponentText.first == "+" { exponentText = exponentText.dropFirst() }
        guard let exponent = Int(exponentText), exponent >= 0, exponent < 40 else { return nil }
        let parts = mantissa.split(omittingEmptySubsequences: false, whereSeparator: isDecimalSeparator)
        let integer = String(parts[0])
        let fraction = parts.count > 1 ? String(parts[1]) : ""
        // Exact only when the mantissa carries every digit (no zeros to invent).
        guard fraction.count == exponent else { return nil }
        return integer + fraction
    }
}

extension Character {
    /// `0`–`9` only (not other Unicode digits).
    var isASCIIDigit: Bool { isASCII && isNumber }

    /// `A`–`Z`, `a`–`z` only.
    var isASCIILetter: Bool { isASCII && isLetter }
}
