import CatalogModels

/// An exact amount of money as an integer count of the currency's minor units (cents for
/// USD, yen for JPY), written back as the decimal string the Catalog API takes in
/// DetailsDocuments (`"ChargeAmount": "200.00"`; PaymentScheduleTerm in the AWS
/// Marketplace Catalog API reference).
///
/// No floating point anywhere: parsing reads digits, splitting divides integers. Amounts
/// up to 10¹⁵ major units fit.
public struct CurrencyAmount: Sendable, Hashable, Comparable, CustomStringConvertible {
    /// The amount in minor units (`20000` for 200.00 USD).
    public let minorUnits: Int64
    /// How many fraction digits the currency has (2 for USD, 0 for JPY).
    public let fractionDigits: Int

    /// An amount of `minorUnits` in a currency with `fractionDigits` fraction digits.
    public init(minorUnits: Int64, fractionDigits: Int) {
        self.minorUnits = minorUnits
        self.fractionDigits = fractionDigits
    }

    /// Reads a plain non-negative decimal (`12000`, `12000.5`, `0.25`) with at most
    /// `fractionDigits` fraction digits; `nil` for anything else (signs, separators,
    /// exponents, more fraction digits than the currency has, more than 15 integer digits).
    public init?(decimal text: String, fractionDigits: Int) {
        let parts = text.split(separator: ".", maxSplits: 1, omittingEmptySubsequences: false)
        let integer = parts[0]
        let fraction = parts.count > 1 ? parts[1] : ""
        guard !integer.isEmpty, integer.count <= 15, integer.allSatisfy(\.isASCIIDigitCharacter),
              parts.count == 1 || !fraction.isEmpty, fraction.allSatisfy(\.isASCIIDigitCharacter),
              fraction.count <= fractionDigits else { return nil }
        var value: Int64 = 0
        for character in integer { value = value * 10 + Int64(character.wholeNumberValue!) }
        var scaled = fraction
        while scaled.count < fractionDigits { scaled += "0" }
        for character in scaled { value = value * 10 + Int64(character.wholeNumberValue!) }
        self.init(minorUnits: value, fractionDigits: fractionDigits)
    }

    /// The amount with exactly ``fractionDigits`` fraction digits: `200.00`, `0.05`, `12000` (JPY).
    public var description: String {
        let negative = minorUnits < 0
        let digits = String(minorUnits.magnitude)
        guard fractionDigits > 0 else { return (negative ? "-" : "") + digits }
        let padded = String(repeating: "0", count: max(0, fractionDigits + 1 - digits.count)) + digits
        let split = padded.index(padded.endIndex, offsetBy: -fractionDigits)
        return (negative ? "-" : "") + padded[..<split] + "." + padded[split...]
    }

    /// Smaller amounts first (amounts of one currency).
    public static func < (lhs: CurrencyAmount, rhs: CurrencyAmount) -> Bool { lhs.minorUnits < rhs.minorUnits }

    /// The number of fraction digits (ISO 4217 minor unit) of `currencyCode`: 0 for JPY,
    /// KRW and other zero-decimal currencies, 3 for BHD, JOD, KWD, OMR, TND, IQD, LYD, and 2
    /// for every other code (USD, EUR, GBP, AUD …). AWS Marketplace prices private offers in
    /// USD, EUR, GBP, AUD and JPY.
    public static func fractionDigits(currency currencyCode: String) -> Int {
        if zeroDecimalCurrencies.contains(currencyCode) { return 0 }
        if threeDecimalCurrencies.contains(currencyCode) { return 3 }
        return 2
    }

    static let zeroDecimalCurrencies: Set<String> = [
        "JPY", "KRW", "CLP", "ISK", "VND", "PYG", "UGX", "XAF", "XOF", "XPF", "BIF", "DJF", "GNF", "KMF", "RWF", "VUV",
    ]
    static let threeDecimalCurrencies: Set<String> = ["BHD", "IQD", "JOD", "KWD", "LYD", "OMR", "TND"]
}

extension Character {
    /// `0`–`9` only (not other Unicode digits).
    var isASCIIDigitCharacter: Bool { isASCII && isNumber }
}
