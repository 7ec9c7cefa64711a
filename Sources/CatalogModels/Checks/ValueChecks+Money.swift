import Foundation

extension ValueChecks {
    /// The currencies AWS Marketplace lists for offer pricing as of this writing (USD, and
    /// EUR, GBP, AUD, JPY for private offers). An assumption to check against the seller
    /// guide; ``currencyCode(_:allowed:)`` only enforces it when asked.
    public static let marketplaceCurrencyCodes: Set<String> = ["USD", "EUR", "GBP", "AUD", "JPY"]

    /// Currency symbols people type instead of a code, with the code to suggest.
    static let commonCurrencySymbols: [String: String] = ["$": "USD", "US$": "USD", "€": "EUR", "£": "GBP", "¥": "JPY", "A$": "AUD"]

    /// Checks a currency code: three upper-case ASCII letters (ISO 4217 shape). With
    /// `allowed`, the code must also be in that set (e.g. ``marketplaceCurrencyCodes``).
    /// Lower case (`usd`) and symbols (`$`, `€`, `£`) get a suggestion.
    public static func currencyCode(_ raw: String, allowed: Set<String>? = nil) -> ValueCheckResult {
        let value = trimmed(raw)
        guard !value.isEmpty else { return invalid(.empty, "currency code is empty", "enter a three-letter ISO 4217 code such as USD") }
        if let code = commonCurrencySymbols[value] {
            return invalid(.invalidFormat, "\"\(value)\" is a currency symbol, not a code", "enter the ISO 4217 code", suggestion: code)
        }
        guard value.count == 3, value.allSatisfy(\.isASCIILetter) else {
            return invalid(.invalidFormat, "\"\(value)\" is not a currency code", "enter a three-letter ISO 4217 code such as USD")
        }
        let upper = value.uppercased()
        if upper != value {
            return invalid(.wrongCase, "currency code \"\(value)\" is not in upper case", "write currency codes in upper case", suggestion: upper)
        }
        if let allowed, !allowed.contains(value) {
            return invalid(.unknownCurrency, "currency \(value) is not accepted here",
                           "use one of \(allowed.sorted().joined(separator: ", "))")
        }
        return .valid(normalized: value)
    }

    /// Checks a price as the Catalog API takes it in DetailsDocuments: a non-negative
    /// decimal string (`"0.0"`, `"10"`, `"1.50"`), kept exactly as written.
    ///
    /// Assumption, not documented by the API reference: at most `maxFractionDigits`
    /// fraction digits, 3 by default (usage and hourly prices go to a tenth of a cent;
    /// pass 2 for contract and upfront prices if the service proves stricter). Suggests
    /// fixes for `$10`, `1,000.00`, `10,5`, `.5`, `+3`; rejects negatives and scientific
    /// notation (`1E+3`).
    public static func price(_ raw: String, maxFractionDigits: Int = 3) -> ValueCheckResult {
        let value = trimmed(raw)
        guard !value.isEmpty else { return invalid(.empty, "price is empty", "enter an amount such as 10.00") }
        if isPlainDecimal(value) {
            let fraction = value.split(separator: ".", omittingEmptySubsequences: false).dropFirst().first ?? ""
            guard fraction.count <= maxFractionDigits else {
                return invalid(.tooPrecise, "price \(value) has \(fraction.count) decimal places",
                               "use at most \(maxFractionDigits) decimal places")
            }
            return .valid(normalized: value)
        }
        if value.hasPrefix("-"), isPlainDecimal(String(value.dropFirst())) {
            return invalid(.negative, "price \(value) is negative", "prices cannot be negative; use 0 for free")
        }
        if scientificMantissa(value) != nil {
            return invalid(.scientificNotation, "price \"\(value)\" is in scientific notation",
                           "scientific notation: the spreadsheet turned it into a number; format the column as Text and enter the amount")
        }
        // Symbols, codes and separators: "$1,000.00", "1 000,50", "10 USD".
        var stripped = value
        for symbol in ["US$", "A$", "$", "€", "£", "¥", "USD", "EUR", "GBP", "AUD", "JPY"] {
            stripped = stripped.replacingOccurrences(of: symbol, with: "")
        }
        stripped = String(stripped.filter { !$0.isWhitespace && $0 != "\u{00A0}" && $0 != "'" })
        if stripped.hasPrefix("+") { stripped.removeFirst() }
        if stripped.hasPrefix(".") { stripped = "0" + stripped }
        var suggestion: String?
        let commas = stripped.filter { $0 == "," }.count
        let dots = stripped.filter { $0 == "." }.count
        if commas == 0 {
            suggestion = stripped
        } else if dots == 1, let dot = stripped.firstIndex(of: "."), !stripped[dot...].contains(",") {
            suggestion = stripped.replacingOccurrences(of: ",", with: "")  // 1,000.00
        } else if dots == 0, commas == 1, let comma = stripped.firstIndex(of: ","),
                  stripped[stripped.index(after: comma)...].count != 3 {
            suggestion = stripped.replacingOccurrences(of: ",", with: ".")  // 10,5
        }
        if let candidate = suggestion, isPlainDecimal(candidate), candidate != value {
            return invalid(.formattedNumber, "price \"\(value)\" has symbols or separators",
                           "enter a plain amount: digits and one '.' for decimals, no currency symbol or thousands separator",
                           suggestion: candidate)
        }
        return invalid(.invalidFormat, "\"\(value)\" is not a price", "enter a plain amount such as 10 or 0.125")
    }

    /// `[0-9]+(\.[0-9]+)?`.
    static func isPlainDecimal(_ value: String) -> Bool {
        let parts = value.split(separator: ".", omittingEmptySubsequences: false)
        guard (1...2).contains(parts.count) else { return false }
        return parts.allSatisfy { !$0.isEmpty && $0.allSatisfy(\.isASCIIDigit) }
    }
}
