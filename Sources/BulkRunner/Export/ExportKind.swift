import Foundation

/// What an export lists: resale authorizations (`ResaleAuthorization@1.0`) or offers
/// (`Offer@1.0`), the two entity types a seller reviews in bulk (AWS Marketplace Catalog
/// API reference, ListEntities `EntityType`).
public enum ExportKind: String, Sendable, Hashable, CaseIterable, CustomStringConvertible {
    /// Resale authorizations: `bulkrunner export resale-authorizations`.
    case resaleAuthorizations = "resale-authorizations"
    /// Offers: `bulkrunner export offers`.
    case offers = "offers"

    /// ListEntities' `EntityType` (without a version): `ResaleAuthorization` or `Offer`.
    public var entityType: String {
        switch self {
        case .resaleAuthorizations: "ResaleAuthorization"
        case .offers: "Offer"
        }
    }

    /// The versioned type change sets use: `ResaleAuthorization@1.0` or `Offer@1.0`.
    public var versionedEntityType: String { entityType + "@1.0" }

    /// The first column, holding the entity id: `ResaleAuthorizationId` or `OfferId` (the
    /// names the built-in templates' `{{RESALE_AUTHORIZATION_ID}}` and `{{OFFER_ID}}` read,
    /// and not `EntityId`, which the results file's outcome columns own).
    public var idColumn: ExportColumn {
        switch self {
        case .resaleAuthorizations: .resaleAuthorizationId
        case .offers: .offerId
        }
    }

    /// The lifecycle column: `Status` (Draft, Active, Restricted) for resale
    /// authorizations, `State` (Draft, Released) for offers.
    public var statusColumn: ExportColumn {
        switch self {
        case .resaleAuthorizations: .status
        case .offers: .state
        }
    }

    /// The values of ``statusColumn`` the API lists (botocore `ResaleAuthorizationStatusString`,
    /// `OfferStateString`).
    public var statuses: [String] {
        switch self {
        case .resaleAuthorizations: ["Draft", "Active", "Restricted"]
        case .offers: ["Draft", "Released"]
        }
    }

    /// The export's columns, in file order (see ``ExportFormat``).
    public var columns: [ExportColumn] {
        switch self {
        case .resaleAuthorizations: ExportFormat.resaleAuthorizationColumns
        case .offers: ExportFormat.offerColumns
        }
    }

    /// A file name for an export made on `day`: `resale-authorizations-20300101.csv`.
    public func defaultFileName(on day: CalendarDay) -> String {
        "\(rawValue)-\(day.description.replacingOccurrences(of: "-", with: "")).csv"
    }

    /// A readable name: `resale authorizations`, `offers`.
    public var description: String {
        switch self {
        case .resaleAuthorizations: "resale authorizations"
        case .offers: "offers"
        }
    }

    /// The kind of an export file from its header: offers when a column is `OfferId`, else
    /// resale authorizations when one is `ResaleAuthorizationId` (an offers export has that
    /// column too, for channel-partner offers); `nil` when neither is. Names are compared as
    /// ``ColumnName`` does.
    public init?(headerNames names: [String]) {
        let normalized = Set(names.map(ColumnName.normalize))
        if normalized.contains(ColumnName.normalize(ExportColumn.offerId.name)) {
            self = .offers
        } else if normalized.contains(ColumnName.normalize(ExportColumn.resaleAuthorizationId.name)) {
            self = .resaleAuthorizations
        } else {
            return nil
        }
    }
}
