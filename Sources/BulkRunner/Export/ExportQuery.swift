import CatalogModels
import Foundation

/// Which entities an export lists: ListEntities' typed filters (`ResaleAuthorizationFilters`,
/// `OfferFilters`; botocore model marketplace-catalog 2018-09-17) in the terms a person
/// types, plus the sort.
///
/// Every filter is optional; the ones set must all match (the API's AND). Some apply to one
/// kind only — ``validate()`` says so rather than silently ignoring them:
///
/// | filter | resale authorizations | offers |
/// | --- | --- | --- |
/// | ``entityIds`` | `EntityId` | `EntityId` |
/// | ``names`` | `Name` (values or contains) | `Name` (values or contains) |
/// | ``productIds`` | `ProductId` (values or contains) | `ProductId` (values only) |
/// | ``productNames`` | `ProductName` | — |
/// | ``resellerAccountIds`` | `ResellerAccountID` (values only: the API's wildcard takes exactly 12 digits) | — |
/// | ``resellerLegalNames`` | `ResellerLegalName` | — |
/// | ``statuses`` | `Status` (Draft, Active, Restricted) | `State` (Draft, Released) |
/// | ``offerExtendedStatuses`` | `OfferExtendedStatus` | — |
/// | ``resaleAuthorizationIds`` | — | `ResaleAuthorizationId` |
/// | ``buyerAccount`` | — | `BuyerAccounts` (contains) |
/// | ``targeting`` | — | `Targeting` (BuyerAccounts, ParticipatingPrograms, CountryCodes, None) |
/// | ``createdDate`` | `CreatedDate` | — |
/// | ``releaseDate`` | — | `ReleaseDate` |
/// | ``availabilityEndDate`` | `AvailabilityEndDate` | `AvailabilityEndDate` |
/// | ``lastModifiedDate`` | `LastModifiedDate` | `LastModifiedDate` |
///
/// API limits checked here: 1–10 values per list, at most 8 filters and at most one
/// wildcard ("contains") filter per request.
public struct ExportQuery: Sendable, Hashable {
    /// A text filter: exact values (`ValueList`, 1–10) or a partial value (`WildCardValue`).
    public enum TextMatch: Sendable, Hashable {
        /// Any of these exact values.
        case anyOf([String])
        /// Values containing this text (the API's `WildCardValue`).
        case contains(String)

        /// Reads command-line values: one value with `*` is a partial match (`*Acme*`,
        /// `Acme*`: the stars are dropped); otherwise the values are exact.
        ///
        /// - Throws: ``BulkRunnerError`` (``BulkRunnerError/Code/invalidOption``) for a `*`
        ///   value given with others, or a value of only stars.
        public static func parse(_ values: [String], field: String) throws(BulkRunnerError) -> TextMatch? {
            let cleaned = values.map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
            guard !cleaned.isEmpty else { return nil }
            guard cleaned.contains(where: { $0.contains("*") }) else { return .anyOf(cleaned) }
            guard cleaned.count == 1 else {
                throw BulkRunnerError(code: .invalidOption, field: field, reason: "a partial value (with *) cannot be combined with other values",
                                      hint: "give exact values, or one value with * such as '*Acme*'")
            }
            let text = cleaned[0].replacingOccurrences(of: "*", with: "")
            guard !text.isEmpty else {
                throw BulkRunnerError(code: .invalidOption, field: field, reason: "'\(cleaned[0])' matches everything",
                                      hint: "leave the filter out to export everything")
            }
            return .contains(text)
        }
    }

    /// A date-time range (`DateRange`): on or after ``after``, on or before ``before``;
    /// either may be open. Values are `DateTimeISO8601` (`2030-01-31T00:00:00Z`).
    public struct DateBounds: Sendable, Hashable {
        /// `AfterValue`.
        public var after: String?
        /// `BeforeValue`.
        public var before: String?

        /// Creates bounds from timestamps the API takes.
        public init(after: String? = nil, before: String? = nil) {
            self.after = after
            self.before = before
        }

        /// Reads command-line bounds: a date `YYYY-MM-DD` (the start of the day for `after`,
        /// its last second for `before`) or a date-time `YYYY-MM-DDTHH:MM:SSZ`; `nil` when
        /// both are absent.
        ///
        /// - Throws: ``BulkRunnerError`` (``BulkRunnerError/Code/invalidOption``) naming
        ///   `field` for an unreadable value or `after` later than `before`.
        public static func parse(after: String?, before: String?, field: String) throws(BulkRunnerError) -> DateBounds? {
            func timestamp(_ text: String?, end: Bool, _ name: String) throws(BulkRunnerError) -> String? {
                guard let raw = text?.trimmingCharacters(in: .whitespaces), !raw.isEmpty else { return nil }
                if let day = CalendarDay(raw) { return end ? day.endTimestamp : day.startTimestamp }
                if case .valid(let value) = ValueChecks.dateTime(raw), value.count == 20 { return value }
                if case .valid(let value) = ValueChecks.dateTime(raw) { return String(value.prefix(19)) + "Z" }
                let day = try CalendarDay.parse(raw, field: name)
                return end ? day.endTimestamp : day.startTimestamp
            }
            let a = try timestamp(after, end: false, field + "-after")
            let b = try timestamp(before, end: true, field + "-before")
            if a == nil && b == nil { return nil }
            if let a, let b, a > b {
                throw BulkRunnerError(code: .invalidOption, field: field, reason: "the range starts (\(a)) after it ends (\(b))",
                                      hint: "swap the dates")
            }
            return DateBounds(after: a, before: b)
        }

        var filter: DateFilter { DateFilter(dateRange: DateRange(afterValue: after, beforeValue: before)) }
    }

    /// The sort: a field the API sorts by and a direction.
    public struct Ordering: Sendable, Hashable {
        /// `SortBy`, e.g. `EntityId`, `Name`, `ResellerAccountID`, `LastModifiedDate`.
        public var field: String
        /// Whether `DESCENDING`.
        public var descending: Bool

        /// Creates a sort.
        public init(field: String, descending: Bool = false) {
            self.field = field
            self.descending = descending
        }

        /// Reads `FIELD` or `FIELD:desc` / `FIELD:asc` (field names as the API spells them,
        /// case-insensitive).
        public static func parse(_ text: String, kind: ExportKind) throws(BulkRunnerError) -> Ordering {
            let parts = text.split(separator: ":", maxSplits: 1).map { $0.trimmingCharacters(in: .whitespaces) }
            let fields = ExportQuery.sortFields(kind)
            guard let name = parts.first, let field = fields.first(where: { $0.lowercased() == name.lowercased() }) else {
                throw BulkRunnerError(code: .invalidOption, field: "--sort", reason: "'\(text)' is not a sort field of \(kind)",
                                      hint: "use one of " + fields.joined(separator: ", ") + ", optionally with :desc")
            }
            var descending = false
            if parts.count == 2 {
                switch parts[1].lowercased() {
                case "desc", "descending": descending = true
                case "asc", "ascending": descending = false
                default:
                    throw BulkRunnerError(code: .invalidOption, field: "--sort", reason: "'\(parts[1])' is not asc or desc",
                                          hint: "e.g. --sort \(field):desc")
                }
            }
            return Ordering(field: field, descending: descending)
        }
    }

    /// Resale authorizations or offers.
    public var kind: ExportKind
    /// `EntityId`: these ids only (1–10).
    public var entityIds: [String] = []
    /// `Name`.
    public var names: TextMatch?
    /// `ProductId` (offers: exact values only).
    public var productIds: TextMatch?
    /// `ProductName` (resale authorizations).
    public var productNames: TextMatch?
    /// `ResellerAccountID` (resale authorizations; exact 12-digit ids).
    public var resellerAccountIds: [String] = []
    /// `ResellerLegalName` (resale authorizations).
    public var resellerLegalNames: TextMatch?
    /// `Status` of resale authorizations or `State` of offers.
    public var statuses: [String] = []
    /// `OfferExtendedStatus` (resale authorizations).
    public var offerExtendedStatuses: [String] = []
    /// `ResaleAuthorizationId` (offers).
    public var resaleAuthorizationIds: [String] = []
    /// `BuyerAccounts` containing this text (offers).
    public var buyerAccount: String?
    /// `Targeting` (offers).
    public var targeting: [String] = []
    /// `CreatedDate` (resale authorizations).
    public var createdDate: DateBounds?
    /// `ReleaseDate` (offers).
    public var releaseDate: DateBounds?
    /// `AvailabilityEndDate`.
    public var availabilityEndDate: DateBounds?
    /// `LastModifiedDate`.
    public var lastModifiedDate: DateBounds?
    /// The order of the rows; ``defaultSort`` when `nil`.
    public var sort: Ordering?

    /// A query for every entity of `kind`.
    public init(kind: ExportKind) {
        self.kind = kind
    }

    /// `EntityId` ascending: ids never change, so pages stay stable while entities are
    /// modified during the export (a mutable sort key such as `LastModifiedDate` can move an
    /// entity between pages; the exporter drops repeats either way).
    public static let defaultSort = Ordering(field: "EntityId")

    /// The fields the API sorts `kind` by (botocore `ResaleAuthorizationSortBy`, `OfferSortBy`).
    public static func sortFields(_ kind: ExportKind) -> [String] {
        switch kind {
        case .resaleAuthorizations:
            ["EntityId", "Name", "ProductId", "ProductName", "ManufacturerAccountId", "ManufacturerLegalName",
             "ResellerAccountID", "ResellerLegalName", "Status", "OfferExtendedStatus", "CreatedDate",
             "AvailabilityEndDate", "LastModifiedDate"]
        case .offers:
            ["EntityId", "Name", "ProductId", "ResaleAuthorizationId", "ReleaseDate", "AvailabilityEndDate",
             "BuyerAccounts", "State", "Targeting", "LastModifiedDate", "OfferSetId"]
        }
    }

    /// Checks the query against the API's rules and its kind.
    ///
    /// - Throws: ``BulkRunnerError`` (``BulkRunnerError/Code/invalidOption``, the filter as
    ///   the field) for a filter the kind does not have, more than 10 values, a status the
    ///   API does not list, a malformed account id, more than 8 filters or more than one
    ///   partial ("contains") filter.
    public func validate() throws(BulkRunnerError) {
        func fail(_ field: String, _ reason: String, _ hint: String) -> BulkRunnerError {
            BulkRunnerError(code: .invalidOption, field: field, reason: reason, hint: hint)
        }
        func only(_ applies: ExportKind, _ field: String, _ isSet: Bool) throws(BulkRunnerError) {
            guard isSet, kind != applies else { return }
            throw fail(field, "filters \(applies) only, not \(kind)", "leave it out, or export \(applies.rawValue)")
        }
        try only(.resaleAuthorizations, "product-name", productNames != nil)
        try only(.resaleAuthorizations, "reseller-account-id", !resellerAccountIds.isEmpty)
        try only(.resaleAuthorizations, "reseller-legal-name", resellerLegalNames != nil)
        try only(.resaleAuthorizations, "offer-extended-status", !offerExtendedStatuses.isEmpty)
        try only(.resaleAuthorizations, "created", createdDate != nil)
        try only(.offers, "resale-authorization-id", !resaleAuthorizationIds.isEmpty)
        try only(.offers, "buyer-account", buyerAccount != nil)
        try only(.offers, "targeting", !targeting.isEmpty)
        try only(.offers, "released", releaseDate != nil)
        if kind == .offers, case .contains? = productIds {
            throw fail("product-id", "offers can be filtered by exact product ids only", "give whole ids such as prod-1111111111111")
        }

        func count(_ field: String, _ values: [String]) throws(BulkRunnerError) {
            guard values.count <= 10 else {
                throw fail(field, "at most 10 values per filter, got \(values.count)", "split the export, or filter on something else")
            }
        }
        try count("entity-id", entityIds)
        try count("reseller-account-id", resellerAccountIds)
        try count("status", statuses)
        try count("offer-extended-status", offerExtendedStatuses)
        try count("resale-authorization-id", resaleAuthorizationIds)
        try count("targeting", targeting)
        for (field, match) in [("name", names), ("product-id", productIds), ("product-name", productNames),
                               ("reseller-legal-name", resellerLegalNames)] {
            if case .anyOf(let values)? = match { try count(field, values) }
        }
        for value in statuses where !kind.statuses.contains(value) {
            throw fail("status", "'\(value)' is not a \(kind == .offers ? "state" : "status") of \(kind)",
                       "use " + kind.statuses.joined(separator: ", ") + " (as written)")
        }
        let targetingValues = ["BuyerAccounts", "ParticipatingPrograms", "CountryCodes", "None"]
        for value in targeting where !targetingValues.contains(value) {
            throw fail("targeting", "'\(value)' is not a targeting of offers", "use " + targetingValues.joined(separator: ", "))
        }
        for id in resellerAccountIds {
            if case .invalid(let problem) = ValueChecks.accountId(id) {
                throw fail("reseller-account-id", problem.message, problem.hint + (problem.suggestion.map { "; did you mean \($0)?" } ?? ""))
            }
        }
        let contains = [names, productIds, productNames, resellerLegalNames].filter {
            if case .contains? = $0 { return true }
            return false
        }.count + (buyerAccount == nil ? 0 : 1)
        guard contains <= 1 else {
            throw fail("filters", "the API takes at most one partial (*) filter per listing, got \(contains)",
                       "keep one partial filter and make the others exact")
        }
        guard filterCount <= 8 else {
            throw fail("filters", "the API takes at most 8 filters per listing, got \(filterCount)", "drop some filters")
        }
        if let sort, !Self.sortFields(kind).contains(sort.field) {
            throw fail("--sort", "'\(sort.field)' is not a sort field of \(kind)", "use one of " + Self.sortFields(kind).joined(separator: ", "))
        }
    }

    /// How many API filters the query sets.
    public var filterCount: Int {
        let lists = [entityIds, resellerAccountIds, statuses, offerExtendedStatuses, resaleAuthorizationIds, targeting]
            .filter { !$0.isEmpty }.count
        let texts = [names, productIds, productNames, resellerLegalNames].compactMap { $0 }.count
        let dates = [createdDate, releaseDate, availabilityEndDate, lastModifiedDate].compactMap { $0 }.count
        return lists + texts + dates + (buyerAccount == nil ? 0 : 1)
    }

    /// The ListEntities request for one page.
    public func listRequest(maxResults: Int, nextToken: String?) -> ListEntitiesRequest {
        let order = sort ?? Self.defaultSort
        let apiSort = Sort(sortBy: order.field, sortOrder: order.descending ? .descending : .ascending)
        return ListEntitiesRequest(
            entityType: kind.entityType, nextToken: nextToken, maxResults: maxResults,
            entityTypeFilters: filterCount == 0 ? nil : entityTypeFilters,
            entityTypeSort: kind == .offers ? .offer(apiSort) : .resaleAuthorization(apiSort))
    }

    /// The typed filters (`ResaleAuthorizationFilters` or `OfferFilters`).
    public var entityTypeFilters: EntityTypeFilters {
        func values(_ list: [String]) -> ValueListFilter? { list.isEmpty ? nil : ValueListFilter(valueList: list) }
        func wildcard(_ match: TextMatch?) -> WildcardFilter? {
            switch match {
            case .anyOf(let list)?: return WildcardFilter(valueList: list)
            case .contains(let text)?: return WildcardFilter(wildCardValue: text)
            case nil: return nil
            }
        }
        switch kind {
        case .resaleAuthorizations:
            return .resaleAuthorization(ResaleAuthorizationFilters(
                entityId: values(entityIds), name: wildcard(names), productId: wildcard(productIds),
                createdDate: createdDate?.filter, availabilityEndDate: availabilityEndDate?.filter,
                productName: wildcard(productNames), resellerAccountID: resellerAccountIds.isEmpty ? nil : WildcardFilter(valueList: resellerAccountIds),
                resellerLegalName: wildcard(resellerLegalNames), status: values(statuses),
                offerExtendedStatus: values(offerExtendedStatuses), lastModifiedDate: lastModifiedDate?.filter))
        case .offers:
            var product: ValueListFilter?
            if case .anyOf(let list)? = productIds { product = ValueListFilter(valueList: list) }
            return .offer(OfferFilters(
                entityId: values(entityIds), name: wildcard(names), productId: product,
                resaleAuthorizationId: values(resaleAuthorizationIds), releaseDate: releaseDate?.filter,
                availabilityEndDate: availabilityEndDate?.filter,
                buyerAccounts: buyerAccount.map { WildcardFilter(wildCardValue: $0) }, state: values(statuses),
                targeting: values(targeting), lastModifiedDate: lastModifiedDate?.filter))
        }
    }
}
