import CatalogModels

/// One entity as the export sees it: its ListEntities summary and, when BatchDescribeEntities
/// described it, its details (`DetailsDocument`). ``value(of:)`` reads each export column
/// from the details first and the summary second, so a row is as complete as the API allows
/// even when a description failed.
///
/// Detail shapes (AWS Marketplace Catalog API reference, "Working with resale
/// authorizations" / "Working with private offers"): resale authorizations carry `Name`,
/// `Status`, `ProductId`, `ProductName`, `ResellerAccountId`, `ResellerLegalName`,
/// `CreatedDate`, `Terms`, `Rules` (`AvailabilityRule` with `AvailabilityEndDate` and
/// `OffersMaxQuantity`; `PartnerTargetingRule`) and `OfferDetails` (`OfferExtendedStatus`,
/// `OfferCreatedCount`); offers carry `Name`, `ProductId`, `ResaleAuthorizationId`, `State`,
/// `ReleaseDate`, `Terms` and `Rules` (`AvailabilityRule.DateAvailability.EndDate`,
/// `TargetingRule.PositiveTargeting.BuyerAccounts`). Both spellings of the availability
/// rule are read for both types.
public struct ExportedEntity: Sendable, Hashable {
    /// Resale authorization or offer.
    public var kind: ExportKind
    /// The ListEntities summary.
    public var summary: EntitySummary
    /// The BatchDescribeEntities detail; `nil` when the entity could not be described.
    public var detail: EntityDetail?
    /// The product's title, looked up separately for offers (whose details lack it).
    public var productName: String?
    /// Why the entity could not be described, when it could not.
    public var describeError: BatchDescribeErrorDetail?

    /// Creates an entity.
    public init(kind: ExportKind, summary: EntitySummary, detail: EntityDetail? = nil, productName: String? = nil,
                describeError: BatchDescribeErrorDetail? = nil) {
        self.kind = kind
        self.summary = summary
        self.detail = detail
        self.productName = productName
        self.describeError = describeError
    }

    /// The entity id (`EntityId`).
    public var entityId: String { summary.entityId ?? baseId(detail?.entityIdentifier) ?? "" }

    /// The DetailsDocument, or `null`.
    public var document: JSONValue { detail?.detailsDocument ?? .null }

    /// The value of `column` for this entity, unprotected (``ExportFormat/cells(for:)`` adds
    /// the spreadsheet protection); empty when unknown. `Action` and `New…` columns are empty.
    public func value(of column: ExportColumn) -> String {
        let doc = document
        let ra = summary.resaleAuthorizationSummary
        let offer = summary.offerSummary
        let text = PricingSummary.text
        switch column {
        case .resaleAuthorizationId where kind == .resaleAuthorizations, .offerId:
            return entityId
        case .offerResaleAuthorizationId where kind == .offers:
            return text(doc["ResaleAuthorizationId"]) ?? offer?.resaleAuthorizationId ?? ""
        case .name:
            return text(doc["Name"]) ?? ra?.name ?? offer?.name ?? summary.name ?? ""
        case .productId:
            return text(doc["ProductId"]) ?? ra?.productId ?? offer?.productId ?? ""
        case .productName:
            return text(doc["ProductName"]) ?? ra?.productName ?? productName ?? ""
        case .resellerAccountId:
            return text(doc["ResellerAccountId"]) ?? ra?.resellerAccountID
                ?? text(rule("PartnerTargetingRule")?["PositiveTargeting"]?["SellerAccounts"]?[0]) ?? ""
        case .resellerLegalName:
            return text(doc["ResellerLegalName"]) ?? ra?.resellerLegalName ?? ""
        case .status:
            return text(doc["Status"]) ?? ra?.status ?? ""
        case .state:
            return text(doc["State"]) ?? offer?.state ?? ""
        case .offerExtendedStatus:
            return text(doc["OfferDetails"]?["OfferExtendedStatus"]) ?? ra?.offerExtendedStatus ?? ""
        case .offerCreatedCount:
            return text(doc["OfferDetails"]?["OfferCreatedCount"]) ?? ""
        case .offersMaxQuantity:
            return text(rule("AvailabilityRule")?["OffersMaxQuantity"]) ?? ""
        case .availabilityEndDate:
            let availability = rule("AvailabilityRule")
            let raw = text(availability?["AvailabilityEndDate"]) ?? text(availability?["DateAvailability"]?["EndDate"])
                ?? text(doc["AvailabilityEndDate"]) ?? ra?.availabilityEndDate ?? offer?.availabilityEndDate ?? ""
            return PricingSummary.dayPart(raw)
        case .buyerAccounts:
            var accounts: [String]
            if kind == .offers {
                accounts = (rule("TargetingRule")?["PositiveTargeting"]?["BuyerAccounts"]?.arrayValue ?? []).compactMap { text($0) }
                if accounts.isEmpty { accounts = offer?.buyerAccounts ?? [] }
            } else {
                accounts = terms.filter { $0["Type"]?.stringValue == "BuyerTargetingTerm" }
                    .flatMap { ($0["PositiveTargeting"]?["BuyerAccounts"]?.arrayValue ?? []).compactMap { text($0) } }
            }
            return accounts.joined(separator: ";")
        case .pricing:
            return detail == nil ? "" : PricingSummary.pricing(terms)
        case .paymentSchedule:
            return detail == nil ? "" : PricingSummary.paymentSchedule(terms)
        case .createdDate:
            return text(doc["CreatedDate"]) ?? ra?.createdDate ?? ""
        case .releaseDate:
            return text(doc["ReleaseDate"]) ?? offer?.releaseDate ?? ""
        case .lastModifiedDate:
            return detail?.lastModifiedDate ?? summary.lastModifiedDate ?? ""
        default:
            return ""
        }
    }

    /// The DetailsDocument's `Terms`.
    public var terms: [JSONValue] { document["Terms"]?.arrayValue ?? [] }

    /// The first rule of `type` in the DetailsDocument's `Rules`.
    func rule(_ type: String) -> JSONValue? {
        (document["Rules"]?.arrayValue ?? []).first { $0["Type"]?.stringValue == type }
    }

    private func baseId(_ identifier: String?) -> String? {
        guard let identifier else { return nil }
        return identifier.split(separator: "@").first.map(String.init)
    }
}
