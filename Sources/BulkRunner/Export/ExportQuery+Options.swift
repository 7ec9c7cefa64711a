import Foundation

extension ExportQuery {
    /// One command-line filter of `bulkrunner export KIND`.
    public struct Option: Sendable, Hashable {
        /// The long name without dashes, e.g. `reseller-account-id`.
        public var name: String
        /// The value's placeholder in help, e.g. `ID`.
        public var valueName: String
        /// Whether it may be given several times.
        public var isRepeated: Bool
        /// One line of help.
        public var help: String
    }

    /// The filter options of `kind`, in help order: what the CLI offers and
    /// ``init(kind:options:)`` reads. Values of repeatable id and status options may also be
    /// comma-separated (`--status Active,Draft`).
    public static func options(for kind: ExportKind) -> [Option] {
        func option(_ name: String, _ valueName: String, repeated: Bool = true, _ help: String) -> Option {
            Option(name: name, valueName: valueName, isRepeated: repeated, help: help)
        }
        var list = [
            option("entity-id", "ID", "Only these \(kind == .offers ? "offer" : "resale authorization") ids (up to 10)."),
            option("name", "NAME", "Names equal to NAME (repeat for several); one value with * matches part of the name: --name '*Acme*'."),
        ]
        switch kind {
        case .resaleAuthorizations:
            list += [
                option("product-id", "ID", "For these products (prod-…); one value with * matches part of the id."),
                option("product-name", "NAME", "Product titles equal to NAME; one value with * matches part of it."),
                option("reseller-account-id", "ID", "For these channel partners (12-digit account ids, up to 10)."),
                option("reseller-name", "NAME", "Reseller legal names equal to NAME; one value with * matches part of it."),
                option("status", "STATUS", "Draft, Active or Restricted (repeat or comma-separate for several)."),
                option("offer-extended-status", "STATUS", "The OfferExtendedStatus as the API reports it."),
                option("created-after", "DATE", repeated: false, "Created on or after DATE (YYYY-MM-DD or YYYY-MM-DDTHH:MM:SSZ)."),
                option("created-before", "DATE", repeated: false, "Created on or before DATE."),
            ]
        case .offers:
            list += [
                option("product-id", "ID", "For these products (prod-…, exact ids, up to 10)."),
                option("resale-authorization-id", "ID", "Channel-partner offers made from these resale authorizations."),
                option("buyer-account", "DIGITS", repeated: false, "Offers whose targeted buyer accounts contain DIGITS."),
                option("state", "STATE", "Draft or Released."),
                option("targeting", "KIND", "BuyerAccounts, ParticipatingPrograms, CountryCodes or None."),
                option("released-after", "DATE", repeated: false, "Released on or after DATE."),
                option("released-before", "DATE", repeated: false, "Released on or before DATE."),
            ]
        }
        list += [
            option("expires-after", "DATE", repeated: false, "AvailabilityEndDate on or after DATE."),
            option("expires-before", "DATE", repeated: false, "AvailabilityEndDate on or before DATE (e.g. everything expiring this quarter)."),
            option("modified-after", "DATE", repeated: false, "Last modified on or after DATE."),
            option("modified-before", "DATE", repeated: false, "Last modified on or before DATE."),
            option("sort", "FIELD[:desc]", repeated: false,
                   "Row order: " + sortFields(kind).joined(separator: ", ") + " (default EntityId, ascending)."),
        ]
        return list
    }

    /// A query from command-line option values (long name without dashes → values in the
    /// order given); names that are not filters of `kind` are ignored. Statuses and
    /// targeting are matched ignoring case (`active` → `Active`).
    ///
    /// - Throws: ``BulkRunnerError`` (``BulkRunnerError/Code/invalidOption``) for an
    ///   unreadable value, then whatever ``validate()`` finds.
    public init(kind: ExportKind, options values: [String: [String]]) throws(BulkRunnerError) {
        self.init(kind: kind)
        let known = Set(Self.options(for: kind).map(\.name))
        func all(_ name: String) -> [String] {
            guard known.contains(name) else { return [] }
            return (values[name] ?? []).map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
        }
        func list(_ name: String) -> [String] {
            all(name).flatMap { $0.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) } }.filter { !$0.isEmpty }
        }
        func one(_ name: String) -> String? { all(name).last }
        func canonical(_ items: [String], among allowed: [String]) -> [String] {
            items.map { item in allowed.first { $0.lowercased() == item.lowercased() } ?? item }
        }
        entityIds = list("entity-id")
        names = try TextMatch.parse(all("name"), field: "name")
        switch kind {
        case .resaleAuthorizations:
            productIds = try TextMatch.parse(all("product-id"), field: "product-id")
            productNames = try TextMatch.parse(all("product-name"), field: "product-name")
            resellerAccountIds = list("reseller-account-id")
            resellerLegalNames = try TextMatch.parse(all("reseller-name"), field: "reseller-name")
            statuses = canonical(list("status"), among: kind.statuses)
            offerExtendedStatuses = list("offer-extended-status")
            createdDate = try DateBounds.parse(after: one("created-after"), before: one("created-before"), field: "created")
        case .offers:
            let products = list("product-id")
            if products.contains(where: { $0.contains("*") }) {
                productIds = try TextMatch.parse(products, field: "product-id")
            } else if !products.isEmpty {
                productIds = .anyOf(products)
            }
            resaleAuthorizationIds = list("resale-authorization-id")
            buyerAccount = one("buyer-account").map { $0.replacingOccurrences(of: "*", with: "") }
            statuses = canonical(list("state"), among: kind.statuses)
            targeting = canonical(list("targeting"), among: ["BuyerAccounts", "ParticipatingPrograms", "CountryCodes", "None"])
            releaseDate = try DateBounds.parse(after: one("released-after"), before: one("released-before"), field: "released")
        }
        availabilityEndDate = try DateBounds.parse(after: one("expires-after"), before: one("expires-before"), field: "expires")
        lastModifiedDate = try DateBounds.parse(after: one("modified-after"), before: one("modified-before"), field: "modified")
        if let text = one("sort") { sort = try Ordering.parse(text, kind: kind) }
        try validate()
    }
}
