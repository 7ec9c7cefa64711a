import CatalogModels

/// Reading and rewriting the terms of a described entity (its DetailsDocument's `Terms`) for
/// the changes apply sends: new prices (REPRICE) and copies for a re-granted authorization.
///
/// Terms are copied as described, without their `Id` (a term id belongs to the entity it was
/// read from; change sets take terms without ids).
enum ApplyTerms {
    /// Whether a term's `Type` is a pricing term (`UpdatePricingTerms` replaces all of these):
    /// `…PricingTerm` and `…RecurringPaymentTerm`, resale or not.
    static func isPricing(_ term: JSONValue) -> Bool {
        guard let type = term["Type"]?.stringValue else { return false }
        return type.hasSuffix("PricingTerm") || type.hasSuffix("RecurringPaymentTerm")
    }

    /// The terms of `document` whose `Type` is one of `types`, without ids.
    static func terms(_ document: JSONValue, types: Set<String>) -> [JSONValue] {
        (document["Terms"]?.arrayValue ?? []).filter { types.contains($0["Type"]?.stringValue ?? "") }.map(withoutId)
    }

    /// The pricing terms of `document`, without ids.
    static func pricingTerms(_ document: JSONValue) -> [JSONValue] {
        (document["Terms"]?.arrayValue ?? []).filter(isPricing).map(withoutId)
    }

    /// `term` without its `Id` member.
    static func withoutId(_ term: JSONValue) -> JSONValue {
        var term = term
        if term["Id"] != nil { term["Id"] = nil }
        return term
    }

    /// The `PricingModel` to send with `terms`: the document's, else read from the term types
    /// (configurable or fixed upfront: Contract; usage: Usage; BYOL: Byol; free trial: Free).
    static func pricingModel(_ document: JSONValue, terms: [JSONValue]) -> String {
        if let model = document["PricingModel"]?.stringValue, !model.isEmpty { return model }
        let types = terms.compactMap { $0["Type"]?.stringValue }
        if types.contains(where: { $0.hasSuffix("UpfrontPricingTerm") }) { return "Contract" }
        if types.contains(where: { $0.hasSuffix("UsageBasedPricingTerm") }) { return "Usage" }
        if types.contains(where: { $0.hasSuffix("ByolPricingTerm") }) { return "Byol" }
        if types.contains(where: { $0.hasSuffix("FreeTrialPricingTerm") }) { return "Free" }
        return "Contract"
    }

    /// The dimension keys the pricing terms price (rate cards and fixed-upfront grants), in order.
    static func dimensionKeys(_ terms: [JSONValue]) -> [String] {
        var keys: [String] = []
        func add(_ key: String?) { if let key, !keys.contains(key) { keys.append(key) } }
        for term in terms {
            for card in term["RateCards"]?.arrayValue ?? [] {
                for item in card["RateCard"]?.arrayValue ?? [] { add(item["DimensionKey"]?.stringValue) }
            }
            if term["Price"] != nil {
                for grant in term["Grants"]?.arrayValue ?? [] { add(grant["DimensionKey"]?.stringValue) }
            }
        }
        return keys
    }

    /// `terms` with the prices of `changes`: a change without a dimension sets every price
    /// (every rate-card item, and the price of fixed-upfront and recurring terms); one with a
    /// dimension sets the rate-card items of that `DimensionKey` (and the price of a fixed-upfront
    /// term granting it). Currencies, durations, selectors and constraints are kept.
    ///
    /// - Returns: the new terms, or why the change cannot be made (a dimension the pricing does
    ///   not have, or no price at all to change).
    static func repriced(_ terms: [JSONValue], changes: [ExportAction.PriceChange]) -> Result<[JSONValue], ApplyProblem> {
        guard !terms.isEmpty else {
            return .failure(ApplyProblem(code: "NO_PRICING", column: ExportColumn.newPrice.name,
                                         message: "NewPrice: the entity has no pricing terms to change; give it pricing first"))
        }
        var keyed: [String: String] = [:]
        var everything: String?
        for change in changes {
            if let key = change.dimensionKey { keyed[key] = change.price } else { everything = change.price }
        }
        var used = Set<String>()
        var changed = 0
        func price(for key: String?) -> String? {
            if let key, let price = keyed[key] {
                used.insert(key)
                return price
            }
            return everything
        }
        var out: [JSONValue] = []
        for term in terms {
            var term = withoutId(term)
            if var cards = term["RateCards"]?.arrayValue {
                for (c, card) in cards.enumerated() {
                    guard var items = card["RateCard"]?.arrayValue else { continue }
                    for (i, item) in items.enumerated() {
                        guard let new = price(for: item["DimensionKey"]?.stringValue) else { continue }
                        items[i]["Price"] = .string(new)
                        changed += 1
                    }
                    cards[c]["RateCard"] = .array(items)
                }
                term["RateCards"] = .array(cards)
            }
            if term["Price"] != nil {
                let grants = (term["Grants"]?.arrayValue ?? []).compactMap { $0["DimensionKey"]?.stringValue }
                let new = grants.lazy.compactMap { keyed[$0] }.first ?? everything
                if let new {
                    grants.filter { keyed[$0] != nil }.forEach { used.insert($0) }
                    term["Price"] = .string(new)
                    changed += 1
                }
            }
            out.append(term)
        }
        let known = dimensionKeys(terms)
        let unknown = keyed.keys.filter { !used.contains($0) }.sorted()
        if !unknown.isEmpty {
            let list = known.isEmpty ? "none" : known.joined(separator: ", ")
            return .failure(ApplyProblem(
                code: "UNKNOWN_DIMENSION", column: ExportColumn.newPrice.name,
                message: "NewPrice names \(unknown.joined(separator: ", ")), which the current pricing does not price (it prices: \(list)); use those keys, or one price for all"))
        }
        guard changed > 0 else {
            return .failure(ApplyProblem(code: "NO_PRICING", column: ExportColumn.newPrice.name,
                                         message: "NewPrice: the current pricing has no price to change (free trial or BYOL terms only)"))
        }
        return .success(out)
    }
}

/// Why one marked row is not sent, found while checking or building it: the results file's
/// `ErrorCode` and `ErrorMessage` (and the column concerned, when there is one).
struct ApplyProblem: Error, Sendable, Hashable {
    /// `ErrorCode`: e.g. `INCOMPATIBLE_STATUS`, `UNKNOWN_DIMENSION`.
    var code: String
    /// The sheet column concerned, if any.
    var column: String?
    /// `ErrorMessage`.
    var message: String
}
