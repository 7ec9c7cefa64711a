import CatalogModels

/// A one-line reading of an entity's terms for a spreadsheet cell (the export's `Pricing`
/// and `PaymentSchedule` columns). Term shapes as in the Catalog API reference and the
/// public sample change sets (`UpdatePricingTerms`, `UpdatePaymentScheduleTerms`).
///
/// | term `Type` | summary |
/// | --- | --- |
/// | `ConfigurableUpfrontPricingTerm`, `ResaleConfigurableUpfrontPricingTerm` | `Contract USD: P12M t2.small=150, t2.large=300` (rate cards joined by `; `) |
/// | `UsageBasedPricingTerm`, `ResaleUsageBasedPricingTerm` | `Usage USD: t2.micro=0.17, m5.large=0.13` |
/// | `FixedUpfrontPricingTerm`, `ResaleFixedUpfrontPricingTerm` | `Upfront USD: P12M 0.00 (Users: 10)` |
/// | `RecurringPaymentTerm`, `ResaleRecurringPaymentTerm` | `Recurring USD: Monthly 99.00` |
/// | `FreeTrialPricingTerm` | `Free trial: P21D (WorkloadSmall, WorkloadMedium)` |
/// | `ByolPricingTerm` | `BYOL` |
/// | any other `…PricingTerm` | its type name |
///
/// Several pricing terms are joined with ` | `; no pricing term reads `—`. Legal, support,
/// validity, targeting and renewal terms are not pricing and are left out. Prices are shown
/// exactly as the API wrote them. Summaries are ASCII apart from `—`, which Windows-1252
/// also has, so a file Excel re-saves in that legacy code page reads back (read it with that
/// encoding).
public enum PricingSummary {
    /// The `Pricing` cell for `terms` (a DetailsDocument's `Terms`).
    public static func pricing(_ terms: [JSONValue]) -> String {
        let parts = terms.compactMap(pricing(term:))
        return parts.isEmpty ? ExportFormat.none : parts.joined(separator: " | ")
    }

    /// The `PaymentSchedule` cell for `terms`: `USD: 2027-01-01=3000.00, 2027-04-01=3000.00`
    /// for a `PaymentScheduleTerm` or `ResalePaymentScheduleTerm`, `—` when there is none.
    public static func paymentSchedule(_ terms: [JSONValue]) -> String {
        let parts = terms.compactMap { term -> String? in
            guard let type = term["Type"]?.stringValue, type.hasSuffix("PaymentScheduleTerm") else { return nil }
            let items = (term["Schedule"]?.arrayValue ?? []).map { item in
                "\(text(item["ChargeDate"]).map(dayPart) ?? "?")=\(text(item["ChargeAmount"]) ?? "?")"
            }
            return currencyPrefix(term) + ": " + (items.isEmpty ? "no payments" : items.joined(separator: ", "))
        }
        return parts.isEmpty ? ExportFormat.none : parts.joined(separator: " | ")
    }

    /// One pricing term in short; `nil` for terms that are not pricing.
    static func pricing(term: JSONValue) -> String? {
        guard let type = term["Type"]?.stringValue else { return nil }
        let base = type.hasPrefix("Resale") ? String(type.dropFirst("Resale".count)) : type
        switch base {
        case "ConfigurableUpfrontPricingTerm":
            let cards = rateCards(term).map { card -> String in
                let selector = text(card["Selector"]?["Value"])
                let rates = rates(card["RateCard"])
                return [selector, rates].compactMap { $0 }.joined(separator: " ")
            }
            return "Contract \(currencyPrefix(term)): " + cards.joined(separator: "; ")
        case "UsageBasedPricingTerm":
            let cards = rateCards(term).compactMap { rates($0["RateCard"]) }
            return "Usage \(currencyPrefix(term)): " + cards.joined(separator: "; ")
        case "FixedUpfrontPricingTerm":
            var line = "Upfront \(currencyPrefix(term)):"
            if let duration = text(term["Duration"]) { line += " " + duration }
            line += " " + (text(term["Price"]) ?? "?")
            let grants = (term["Grants"]?.arrayValue ?? []).compactMap { grant -> String? in
                guard let key = text(grant["DimensionKey"]) else { return nil }
                return text(grant["MaxQuantity"]).map { "\(key): \($0)" } ?? key
            }
            if !grants.isEmpty { line += " (" + grants.joined(separator: ", ") + ")" }
            return line
        case "RecurringPaymentTerm":
            return "Recurring \(currencyPrefix(term)): " + [text(term["BillingPeriod"]), text(term["Price"])].compactMap { $0 }.joined(separator: " ")
        case "FreeTrialPricingTerm":
            var line = "Free trial:"
            if let duration = text(term["Duration"]) { line += " " + duration }
            let keys = (term["Grants"]?.arrayValue ?? []).compactMap { text($0["DimensionKey"]) }
            if !keys.isEmpty { line += " (" + keys.joined(separator: ", ") + ")" }
            return line
        case "ByolPricingTerm":
            return "BYOL"
        default:
            return base.hasSuffix("PricingTerm") ? type : nil
        }
    }

    private static func rateCards(_ term: JSONValue) -> [JSONValue] {
        term["RateCards"]?.arrayValue ?? []
    }

    /// `t2.small=150, t2.large=300`, or `nil` for an empty rate card.
    private static func rates(_ card: JSONValue?) -> String? {
        let items = (card?.arrayValue ?? []).map { "\(text($0["DimensionKey"]) ?? "?")=\(text($0["Price"]) ?? "?")" }
        return items.isEmpty ? nil : items.joined(separator: ", ")
    }

    private static func currencyPrefix(_ term: JSONValue) -> String {
        text(term["CurrencyCode"]) ?? "?"
    }

    /// A string or a number's literal text.
    static func text(_ value: JSONValue?) -> String? {
        switch value {
        case .string(let text)?: return text
        case .number(let number)?: return number.text
        case .bool(let bool)?: return bool ? "true" : "false"
        default: return nil
        }
    }

    /// `2027-01-01` from `2027-01-01` or `2027-01-01T00:00:00Z`.
    static func dayPart(_ text: String) -> String {
        text.count > 10 && CalendarDay(String(text.prefix(10))) != nil ? String(text.prefix(10)) : text
    }
}
