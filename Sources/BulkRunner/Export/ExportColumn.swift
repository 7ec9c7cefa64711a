/// One column of an export file (see ``ExportFormat`` for the whole layout).
public struct ExportColumn: Sendable, Hashable, CustomStringConvertible {
    /// What a column is for.
    public enum Role: String, Sendable, Hashable {
        /// What the Catalog API says about the entity, filled by the export.
        case data
        /// `Action`: left empty by the export; the reviewer writes what to do.
        case action
        /// A `New…` column: left empty; the reviewer writes what an action needs.
        case parameter
    }

    /// The header text, e.g. `ResellerAccountId`.
    public let name: String
    /// Data, action or parameter.
    public let role: Role
    /// Whether the column holds 12-digit AWS account ids (one, or several separated by `;`),
    /// written with a leading apostrophe so spreadsheets keep them as text
    /// (``ExportFormat/protect(_:in:)``).
    public let holdsAccountIds: Bool
    /// One line saying what the column holds.
    public let meaning: String

    /// Creates a column.
    public init(_ name: String, role: Role = .data, holdsAccountIds: Bool = false, meaning: String) {
        self.name = name
        self.role = role
        self.holdsAccountIds = holdsAccountIds
        self.meaning = meaning
    }

    /// The header text.
    public var description: String { name }

    /// Whether `header` names this column (ignoring case, spaces, `_` and `-`, as every
    /// BulkRunner column lookup does).
    public func matches(_ header: String) -> Bool {
        ColumnName.normalize(header) == ColumnName.normalize(name)
    }

    // MARK: Identity

    /// `ResaleAuthorizationId`: the entity id, `resaleauthz-…` (ListEntities `EntityId`).
    public static let resaleAuthorizationId = ExportColumn(
        "ResaleAuthorizationId", meaning: "the resale authorization's id (resaleauthz-…); do not edit")
    /// `OfferId`: the entity id, `offer-…`.
    public static let offerId = ExportColumn("OfferId", meaning: "the offer's id (offer-…); do not edit")
    /// `Name`.
    public static let name = ExportColumn("Name", meaning: "the entity's name")
    /// `ProductId`: `prod-…`; empty for a resale authorization covering all the seller's products.
    public static let productId = ExportColumn(
        "ProductId", meaning: "the product's id (prod-…); for a resale authorization, empty means every product of the seller")
    /// `ProductName`: the product's title.
    public static let productName = ExportColumn("ProductName", meaning: "the product's title")
    /// `ResellerAccountId`: the channel partner's 12-digit account id.
    public static let resellerAccountId = ExportColumn(
        "ResellerAccountId", holdsAccountIds: true, meaning: "the channel partner's 12-digit AWS account id")
    /// `ResellerLegalName`.
    public static let resellerLegalName = ExportColumn("ResellerLegalName", meaning: "the channel partner's legal name")
    /// `ResaleAuthorizationId` on an offer row: the authorization a channel-partner offer was made from.
    public static let offerResaleAuthorizationId = ExportColumn(
        "ResaleAuthorizationId", meaning: "for a channel-partner offer, the resale authorization it was made from; empty otherwise")

    // MARK: State and use

    /// `Status`: Draft, Active or Restricted.
    public static let status = ExportColumn("Status", meaning: "Draft, Active or Restricted")
    /// `State`: Draft or Released.
    public static let state = ExportColumn("State", meaning: "Draft or Released")
    /// `OfferExtendedStatus`: whether the partner has made offers from the authorization.
    public static let offerExtendedStatus = ExportColumn(
        "OfferExtendedStatus", meaning: "whether the partner has made offers from it (as the API reports it)")
    /// `OfferCreatedCount`: how many offers the partner has made from the authorization.
    public static let offerCreatedCount = ExportColumn(
        "OfferCreatedCount", meaning: "how many offers the partner has made from it")
    /// `OffersMaxQuantity`: 1 for a one-time authorization; empty for multi-use.
    public static let offersMaxQuantity = ExportColumn(
        "OffersMaxQuantity", meaning: "1 for a one-time authorization; empty for multi-use")
    /// `AvailabilityEndDate`: `YYYY-MM-DD`; empty when it does not expire.
    public static let availabilityEndDate = ExportColumn(
        "AvailabilityEndDate", meaning: "when it expires (YYYY-MM-DD, UTC); empty: no expiry")
    /// `BuyerAccounts`: the targeted buyers, `;`-separated.
    public static let buyerAccounts = ExportColumn(
        "BuyerAccounts", holdsAccountIds: true, meaning: "the targeted buyers' 12-digit account ids, separated by ;")
    /// `Pricing`: a readable summary of the pricing terms.
    public static let pricing = ExportColumn(
        "Pricing", meaning: "the pricing terms in short, e.g. Contract USD: P12M t2.small=150, t2.large=300; — when none")
    /// `PaymentSchedule`: the flexible payment schedule in short.
    public static let paymentSchedule = ExportColumn(
        "PaymentSchedule", meaning: "the payment schedule in short, e.g. USD: 2027-01-01=3000.00, 2027-04-01=3000.00; — when none")
    /// `CreatedDate`: ISO 8601 UTC.
    public static let createdDate = ExportColumn("CreatedDate", meaning: "when it was created (ISO 8601 UTC)")
    /// `ReleaseDate`: ISO 8601 UTC; empty for a Draft.
    public static let releaseDate = ExportColumn("ReleaseDate", meaning: "when it was released (ISO 8601 UTC); empty for a Draft")
    /// `LastModifiedDate`: ISO 8601 UTC, exactly as the API gave it.
    public static let lastModifiedDate = ExportColumn(
        "LastModifiedDate", meaning: "when it last changed (ISO 8601 UTC, as the API gave it); apply skips the row as STALE if it changed since; do not edit")

    // MARK: Review

    /// `Action`: what to do with the row (``ExportAction``); empty or `KEEP` for nothing.
    public static let action = ExportColumn(
        "Action", role: .action,
        meaning: "what to do: RESTRICT, RELEASE, EXTEND, REPRICE, RENAME, RETARGET, SCHEDULE (several joined with +); empty or KEEP: nothing")
    /// `NewAvailabilityEndDate`: for EXTEND.
    public static let newAvailabilityEndDate = ExportColumn(
        "NewAvailabilityEndDate", role: .parameter, meaning: "for EXTEND: the new expiry date, YYYY-MM-DD, in the future")
    /// `NewPrice`: for REPRICE.
    public static let newPrice = ExportColumn(
        "NewPrice", role: .parameter,
        meaning: "for REPRICE: one price for every dimension (150.00), or per dimension (t2.small=150;t2.large=300)")
    /// `NewName`: for RENAME.
    public static let newName = ExportColumn("NewName", role: .parameter, meaning: "for RENAME: the new name")
    /// `NewBuyerAccounts`: for RETARGET.
    public static let newBuyerAccounts = ExportColumn(
        "NewBuyerAccounts", role: .parameter, holdsAccountIds: true,
        meaning: "for RETARGET: the buyers' 12-digit account ids, separated by ; (at most 25)")
    /// `NewPaymentSchedule`: for SCHEDULE, a payment schedule spec.
    public static let newPaymentSchedule = ExportColumn(
        "NewPaymentSchedule", role: .parameter,
        meaning: "for SCHEDULE: a schedule spec, e.g. total=12000;first=2027-01-01;every=90;count=4")
}
