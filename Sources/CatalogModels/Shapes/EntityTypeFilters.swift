/// ListEntities' typed filters (botocore union `EntityTypeFilters`): set exactly one member,
/// the one for the request's `EntityType`.
public struct EntityTypeFilters: Codable, Sendable, Hashable {
    /// `DataProductFilters`.
    public var dataProductFilters: ProductFilters?
    /// `SaaSProductFilters`.
    public var saaSProductFilters: ProductFilters?
    /// `AmiProductFilters`.
    public var amiProductFilters: ProductFilters?
    /// `OfferFilters`.
    public var offerFilters: OfferFilters?
    /// `ContainerProductFilters`.
    public var containerProductFilters: ProductFilters?
    /// `ResaleAuthorizationFilters`.
    public var resaleAuthorizationFilters: ResaleAuthorizationFilters?
    /// `MachineLearningProductFilters`.
    public var machineLearningProductFilters: ProductFilters?
    /// `OfferSetFilters`.
    public var offerSetFilters: OfferSetFilters?

    /// Creates filters; prefer the one-member factories such as ``resaleAuthorization(_:)``.
    public init(
        dataProductFilters: ProductFilters? = nil,
        saaSProductFilters: ProductFilters? = nil,
        amiProductFilters: ProductFilters? = nil,
        offerFilters: OfferFilters? = nil,
        containerProductFilters: ProductFilters? = nil,
        resaleAuthorizationFilters: ResaleAuthorizationFilters? = nil,
        machineLearningProductFilters: ProductFilters? = nil,
        offerSetFilters: OfferSetFilters? = nil
    ) {
        self.dataProductFilters = dataProductFilters
        self.saaSProductFilters = saaSProductFilters
        self.amiProductFilters = amiProductFilters
        self.offerFilters = offerFilters
        self.containerProductFilters = containerProductFilters
        self.resaleAuthorizationFilters = resaleAuthorizationFilters
        self.machineLearningProductFilters = machineLearningProductFilters
        self.offerSetFilters = offerSetFilters
    }

    /// Filters for `ResaleAuthorization` entities.
    public static func resaleAuthorization(_ filters: ResaleAuthorizationFilters) -> EntityTypeFilters {
        EntityTypeFilters(resaleAuthorizationFilters: filters)
    }

    /// Filters for `Offer` entities.
    public static func offer(_ filters: OfferFilters) -> EntityTypeFilters {
        EntityTypeFilters(offerFilters: filters)
    }

    enum CodingKeys: String, CodingKey {
        case dataProductFilters = "DataProductFilters"
        case saaSProductFilters = "SaaSProductFilters"
        case amiProductFilters = "AmiProductFilters"
        case offerFilters = "OfferFilters"
        case containerProductFilters = "ContainerProductFilters"
        case resaleAuthorizationFilters = "ResaleAuthorizationFilters"
        case machineLearningProductFilters = "MachineLearningProductFilters"
        case offerSetFilters = "OfferSetFilters"
    }
}

/// A filter on exact values (botocore `…EntityIdFilter`, `…StatusFilter`, `…StateFilter`,
/// `…VisibilityFilter`, `OfferProductIdFilter` …): `ValueList` of 1–10 values.
public struct ValueListFilter: Codable, Sendable, Hashable {
    /// `ValueList`.
    public var valueList: [String]?

    /// Creates a filter.
    public init(valueList: [String]? = nil) {
        self.valueList = valueList
    }

    enum CodingKeys: String, CodingKey {
        case valueList = "ValueList"
    }
}

/// A filter on exact values or a wildcard (botocore `…NameFilter`, `…ProductTitleFilter`,
/// `ResaleAuthorizationResellerAccountIDFilter`, `OfferBuyerAccountsFilter` …).
public struct WildcardFilter: Codable, Sendable, Hashable {
    /// `ValueList`: 1–10 exact values.
    public var valueList: [String]?
    /// `WildCardValue`: a partial value.
    public var wildCardValue: String?

    /// Creates a filter.
    public init(valueList: [String]? = nil, wildCardValue: String? = nil) {
        self.valueList = valueList
        self.wildCardValue = wildCardValue
    }

    enum CodingKeys: String, CodingKey {
        case valueList = "ValueList"
        case wildCardValue = "WildCardValue"
    }
}

/// A filter on a date (botocore `…LastModifiedDateFilter`, `…CreatedDateFilter`,
/// `…AvailabilityEndDateFilter`, `…ReleaseDateFilter`): a range, or (for resale
/// authorizations' CreatedDate and AvailabilityEndDate) exact values.
public struct DateFilter: Codable, Sendable, Hashable {
    /// `DateRange`.
    public var dateRange: DateRange?
    /// `ValueList`: 1–10 ISO 8601 date-times.
    public var valueList: [String]?

    /// Creates a filter.
    public init(dateRange: DateRange? = nil, valueList: [String]? = nil) {
        self.dateRange = dateRange
        self.valueList = valueList
    }

    enum CodingKeys: String, CodingKey {
        case dateRange = "DateRange"
        case valueList = "ValueList"
    }
}

/// A date range (botocore `…DateFilterDateRange`): ISO 8601 date-times, either end optional.
public struct DateRange: Codable, Sendable, Hashable {
    /// `AfterValue`.
    public var afterValue: String?
    /// `BeforeValue`.
    public var beforeValue: String?

    /// Creates a range.
    public init(afterValue: String? = nil, beforeValue: String? = nil) {
        self.afterValue = afterValue
        self.beforeValue = beforeValue
    }

    enum CodingKeys: String, CodingKey {
        case afterValue = "AfterValue"
        case beforeValue = "BeforeValue"
    }
}

/// Filters for resale authorizations (botocore shape `ResaleAuthorizationFilters`).
public struct ResaleAuthorizationFilters: Codable, Sendable, Hashable {
    /// `EntityId`.
    public var entityId: ValueListFilter?
    /// `Name`.
    public var name: WildcardFilter?
    /// `ProductId`.
    public var productId: WildcardFilter?
    /// `CreatedDate`.
    public var createdDate: DateFilter?
    /// `AvailabilityEndDate`.
    public var availabilityEndDate: DateFilter?
    /// `ManufacturerAccountId`: 12-digit account ids.
    public var manufacturerAccountId: WildcardFilter?
    /// `ProductName`.
    public var productName: WildcardFilter?
    /// `ManufacturerLegalName`.
    public var manufacturerLegalName: WildcardFilter?
    /// `ResellerAccountID` (spelled with `ID` on the wire): 12-digit account ids.
    public var resellerAccountID: WildcardFilter?
    /// `ResellerLegalName`.
    public var resellerLegalName: WildcardFilter?
    /// `Status`: `Draft`, `Active`, `Restricted`.
    public var status: ValueListFilter?
    /// `OfferExtendedStatus`.
    public var offerExtendedStatus: ValueListFilter?
    /// `LastModifiedDate`.
    public var lastModifiedDate: DateFilter?

    /// Creates filters.
    public init(
        entityId: ValueListFilter? = nil,
        name: WildcardFilter? = nil,
        productId: WildcardFilter? = nil,
        createdDate: DateFilter? = nil,
        availabilityEndDate: DateFilter? = nil,
        manufacturerAccountId: WildcardFilter? = nil,
        productName: WildcardFilter? = nil,
        manufacturerLegalName: WildcardFilter? = nil,
        resellerAccountID: WildcardFilter? = nil,
        resellerLegalName: WildcardFilter? = nil,
        status: ValueListFilter? = nil,
        offerExtendedStatus: ValueListFilter? = nil,
        lastModifiedDate: DateFilter? = nil
    ) {
        self.entityId = entityId
        self.name = name
        self.productId = productId
        self.createdDate = createdDate
        self.availabilityEndDate = availabilityEndDate
        self.manufacturerAccountId = manufacturerAccountId
        self.productName = productName
        self.manufacturerLegalName = manufacturerLegalName
        self.resellerAccountID = resellerAccountID
        self.resellerLegalName = resellerLegalName
        self.status = status
        self.offerExtendedStatus = offerExtendedStatus
        self.lastModifiedDate = lastModifiedDate
    }

    enum CodingKeys: String, CodingKey {
        case entityId = "EntityId"
        case name = "Name"
        case productId = "ProductId"
        case createdDate = "CreatedDate"
        case availabilityEndDate = "AvailabilityEndDate"
        case manufacturerAccountId = "ManufacturerAccountId"
        case productName = "ProductName"
        case manufacturerLegalName = "ManufacturerLegalName"
        case resellerAccountID = "ResellerAccountID"
        case resellerLegalName = "ResellerLegalName"
        case status = "Status"
        case offerExtendedStatus = "OfferExtendedStatus"
        case lastModifiedDate = "LastModifiedDate"
    }
}

/// Filters for offers (botocore shape `OfferFilters`).
public struct OfferFilters: Codable, Sendable, Hashable {
    /// `EntityId`.
    public var entityId: ValueListFilter?
    /// `Name`.
    public var name: WildcardFilter?
    /// `ProductId`.
    public var productId: ValueListFilter?
    /// `ResaleAuthorizationId`.
    public var resaleAuthorizationId: ValueListFilter?
    /// `ReleaseDate`.
    public var releaseDate: DateFilter?
    /// `AvailabilityEndDate`.
    public var availabilityEndDate: DateFilter?
    /// `BuyerAccounts`: `WildCardValue` only.
    public var buyerAccounts: WildcardFilter?
    /// `State`: `Draft`, `Released`.
    public var state: ValueListFilter?
    /// `Targeting`: `BuyerAccounts`, `ParticipatingPrograms`, `CountryCodes`, `None`.
    public var targeting: ValueListFilter?
    /// `LastModifiedDate`.
    public var lastModifiedDate: DateFilter?
    /// `OfferSetId`.
    public var offerSetId: ValueListFilter?

    /// Creates filters.
    public init(
        entityId: ValueListFilter? = nil,
        name: WildcardFilter? = nil,
        productId: ValueListFilter? = nil,
        resaleAuthorizationId: ValueListFilter? = nil,
        releaseDate: DateFilter? = nil,
        availabilityEndDate: DateFilter? = nil,
        buyerAccounts: WildcardFilter? = nil,
        state: ValueListFilter? = nil,
        targeting: ValueListFilter? = nil,
        lastModifiedDate: DateFilter? = nil,
        offerSetId: ValueListFilter? = nil
    ) {
        self.entityId = entityId
        self.name = name
        self.productId = productId
        self.resaleAuthorizationId = resaleAuthorizationId
        self.releaseDate = releaseDate
        self.availabilityEndDate = availabilityEndDate
        self.buyerAccounts = buyerAccounts
        self.state = state
        self.targeting = targeting
        self.lastModifiedDate = lastModifiedDate
        self.offerSetId = offerSetId
    }

    enum CodingKeys: String, CodingKey {
        case entityId = "EntityId"
        case name = "Name"
        case productId = "ProductId"
        case resaleAuthorizationId = "ResaleAuthorizationId"
        case releaseDate = "ReleaseDate"
        case availabilityEndDate = "AvailabilityEndDate"
        case buyerAccounts = "BuyerAccounts"
        case state = "State"
        case targeting = "Targeting"
        case lastModifiedDate = "LastModifiedDate"
        case offerSetId = "OfferSetId"
    }
}

/// Filters for products (botocore `AmiProductFilters`, `ContainerProductFilters`,
/// `SaaSProductFilters`, `DataProductFilters`, `MachineLearningProductFilters`: one shape).
public struct ProductFilters: Codable, Sendable, Hashable {
    /// `EntityId`.
    public var entityId: ValueListFilter?
    /// `ProductTitle`.
    public var productTitle: WildcardFilter?
    /// `Visibility`: `Limited`, `Public`, `Restricted`, `Draft` (`Unavailable` for data products).
    public var visibility: ValueListFilter?
    /// `LastModifiedDate`.
    public var lastModifiedDate: DateFilter?

    /// Creates filters.
    public init(
        entityId: ValueListFilter? = nil,
        productTitle: WildcardFilter? = nil,
        visibility: ValueListFilter? = nil,
        lastModifiedDate: DateFilter? = nil
    ) {
        self.entityId = entityId
        self.productTitle = productTitle
        self.visibility = visibility
        self.lastModifiedDate = lastModifiedDate
    }

    enum CodingKeys: String, CodingKey {
        case entityId = "EntityId"
        case productTitle = "ProductTitle"
        case visibility = "Visibility"
        case lastModifiedDate = "LastModifiedDate"
    }
}

/// Filters for offer sets (botocore shape `OfferSetFilters`).
public struct OfferSetFilters: Codable, Sendable, Hashable {
    /// `EntityId`.
    public var entityId: ValueListFilter?
    /// `Name`.
    public var name: ValueListFilter?
    /// `State`: `Draft`, `Released`.
    public var state: ValueListFilter?
    /// `ReleaseDate`.
    public var releaseDate: DateFilter?
    /// `AssociatedOfferIds`.
    public var associatedOfferIds: ValueListFilter?
    /// `SolutionId`.
    public var solutionId: ValueListFilter?
    /// `LastModifiedDate`.
    public var lastModifiedDate: DateFilter?

    /// Creates filters.
    public init(
        entityId: ValueListFilter? = nil,
        name: ValueListFilter? = nil,
        state: ValueListFilter? = nil,
        releaseDate: DateFilter? = nil,
        associatedOfferIds: ValueListFilter? = nil,
        solutionId: ValueListFilter? = nil,
        lastModifiedDate: DateFilter? = nil
    ) {
        self.entityId = entityId
        self.name = name
        self.state = state
        self.releaseDate = releaseDate
        self.associatedOfferIds = associatedOfferIds
        self.solutionId = solutionId
        self.lastModifiedDate = lastModifiedDate
    }

    enum CodingKeys: String, CodingKey {
        case entityId = "EntityId"
        case name = "Name"
        case state = "State"
        case releaseDate = "ReleaseDate"
        case associatedOfferIds = "AssociatedOfferIds"
        case solutionId = "SolutionId"
        case lastModifiedDate = "LastModifiedDate"
    }
}
