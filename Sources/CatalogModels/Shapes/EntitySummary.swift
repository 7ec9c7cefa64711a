/// One entity in a ListEntities page (botocore shape `EntitySummary`); the summary member
/// for the entity's type is set.
public struct EntitySummary: Codable, Sendable, Hashable {
    /// `Name`.
    public var name: String?
    /// `EntityType`, e.g. `ResaleAuthorization`.
    public var entityType: String?
    /// `EntityId`, e.g. `resaleauthz-…`.
    public var entityId: String?
    /// `EntityArn`.
    public var entityArn: String?
    /// `LastModifiedDate`: ISO 8601 UTC.
    public var lastModifiedDate: String?
    /// `Visibility`, e.g. `Public`, `Limited`.
    public var visibility: String?
    /// `AmiProductSummary`.
    public var amiProductSummary: ProductSummary?
    /// `ContainerProductSummary`.
    public var containerProductSummary: ProductSummary?
    /// `DataProductSummary`.
    public var dataProductSummary: ProductSummary?
    /// `SaaSProductSummary`.
    public var saaSProductSummary: ProductSummary?
    /// `OfferSummary`.
    public var offerSummary: OfferSummary?
    /// `ResaleAuthorizationSummary`.
    public var resaleAuthorizationSummary: ResaleAuthorizationSummary?
    /// `MachineLearningProductSummary`.
    public var machineLearningProductSummary: ProductSummary?
    /// `OfferSetSummary`.
    public var offerSetSummary: OfferSetSummary?

    /// Creates a summary.
    public init(
        name: String? = nil,
        entityType: String? = nil,
        entityId: String? = nil,
        entityArn: String? = nil,
        lastModifiedDate: String? = nil,
        visibility: String? = nil,
        amiProductSummary: ProductSummary? = nil,
        containerProductSummary: ProductSummary? = nil,
        dataProductSummary: ProductSummary? = nil,
        saaSProductSummary: ProductSummary? = nil,
        offerSummary: OfferSummary? = nil,
        resaleAuthorizationSummary: ResaleAuthorizationSummary? = nil,
        machineLearningProductSummary: ProductSummary? = nil,
        offerSetSummary: OfferSetSummary? = nil
    ) {
        self.name = name
        self.entityType = entityType
        self.entityId = entityId
        self.entityArn = entityArn
        self.lastModifiedDate = lastModifiedDate
        self.visibility = visibility
        self.amiProductSummary = amiProductSummary
        self.containerProductSummary = containerProductSummary
        self.dataProductSummary = dataProductSummary
        self.saaSProductSummary = saaSProductSummary
        self.offerSummary = offerSummary
        self.resaleAuthorizationSummary = resaleAuthorizationSummary
        self.machineLearningProductSummary = machineLearningProductSummary
        self.offerSetSummary = offerSetSummary
    }

    enum CodingKeys: String, CodingKey {
        case name = "Name"
        case entityType = "EntityType"
        case entityId = "EntityId"
        case entityArn = "EntityArn"
        case lastModifiedDate = "LastModifiedDate"
        case visibility = "Visibility"
        case amiProductSummary = "AmiProductSummary"
        case containerProductSummary = "ContainerProductSummary"
        case dataProductSummary = "DataProductSummary"
        case saaSProductSummary = "SaaSProductSummary"
        case offerSummary = "OfferSummary"
        case resaleAuthorizationSummary = "ResaleAuthorizationSummary"
        case machineLearningProductSummary = "MachineLearningProductSummary"
        case offerSetSummary = "OfferSetSummary"
    }
}

/// A product's summary (botocore `AmiProductSummary`, `ContainerProductSummary`,
/// `DataProductSummary`, `SaaSProductSummary`, `MachineLearningProductSummary`: one shape).
public struct ProductSummary: Codable, Sendable, Hashable {
    /// `ProductTitle`.
    public var productTitle: String?
    /// `Visibility`.
    public var visibility: String?

    /// Creates a summary.
    public init(productTitle: String? = nil, visibility: String? = nil) {
        self.productTitle = productTitle
        self.visibility = visibility
    }

    enum CodingKeys: String, CodingKey {
        case productTitle = "ProductTitle"
        case visibility = "Visibility"
    }
}

/// An offer's summary (botocore shape `OfferSummary`).
public struct OfferSummary: Codable, Sendable, Hashable {
    /// `Name`.
    public var name: String?
    /// `ProductId`.
    public var productId: String?
    /// `ResaleAuthorizationId`: set for channel-partner offers.
    public var resaleAuthorizationId: String?
    /// `ReleaseDate`: ISO 8601 UTC.
    public var releaseDate: String?
    /// `AvailabilityEndDate`: ISO 8601 UTC.
    public var availabilityEndDate: String?
    /// `BuyerAccounts`: targeted 12-digit account ids.
    public var buyerAccounts: [String]?
    /// `State`: `Draft` or `Released`.
    public var state: String?
    /// `Targeting`: `BuyerAccounts`, `ParticipatingPrograms`, `CountryCodes`, `None`.
    public var targeting: [String]?
    /// `OfferSetId`.
    public var offerSetId: String?

    /// Creates a summary.
    public init(
        name: String? = nil,
        productId: String? = nil,
        resaleAuthorizationId: String? = nil,
        releaseDate: String? = nil,
        availabilityEndDate: String? = nil,
        buyerAccounts: [String]? = nil,
        state: String? = nil,
        targeting: [String]? = nil,
        offerSetId: String? = nil
    ) {
        self.name = name
        self.productId = productId
        self.resaleAuthorizationId = resaleAuthorizationId
        self.releaseDate = releaseDate
        self.availabilityEndDate = availabilityEndDate
        self.buyerAccounts = buyerAccounts
        self.state = state
        self.targeting = targeting
        self.offerSetId = offerSetId
    }

    enum CodingKeys: String, CodingKey {
        case name = "Name"
        case productId = "ProductId"
        case resaleAuthorizationId = "ResaleAuthorizationId"
        case releaseDate = "ReleaseDate"
        case availabilityEndDate = "AvailabilityEndDate"
        case buyerAccounts = "BuyerAccounts"
        case state = "State"
        case targeting = "Targeting"
        case offerSetId = "OfferSetId"
    }
}

/// A resale authorization's summary (botocore shape `ResaleAuthorizationSummary`).
public struct ResaleAuthorizationSummary: Codable, Sendable, Hashable {
    /// `Name`.
    public var name: String?
    /// `ProductId`.
    public var productId: String?
    /// `ProductName`.
    public var productName: String?
    /// `ManufacturerAccountId`.
    public var manufacturerAccountId: String?
    /// `ManufacturerLegalName`.
    public var manufacturerLegalName: String?
    /// `ResellerAccountID` (spelled with `ID` on the wire).
    public var resellerAccountID: String?
    /// `ResellerLegalName`.
    public var resellerLegalName: String?
    /// `Status`: `Draft`, `Active` or `Restricted`.
    public var status: String?
    /// `OfferExtendedStatus`.
    public var offerExtendedStatus: String?
    /// `CreatedDate`: ISO 8601 UTC.
    public var createdDate: String?
    /// `AvailabilityEndDate`: ISO 8601 UTC.
    public var availabilityEndDate: String?

    /// Creates a summary.
    public init(
        name: String? = nil,
        productId: String? = nil,
        productName: String? = nil,
        manufacturerAccountId: String? = nil,
        manufacturerLegalName: String? = nil,
        resellerAccountID: String? = nil,
        resellerLegalName: String? = nil,
        status: String? = nil,
        offerExtendedStatus: String? = nil,
        createdDate: String? = nil,
        availabilityEndDate: String? = nil
    ) {
        self.name = name
        self.productId = productId
        self.productName = productName
        self.manufacturerAccountId = manufacturerAccountId
        self.manufacturerLegalName = manufacturerLegalName
        self.resellerAccountID = resellerAccountID
        self.resellerLegalName = resellerLegalName
        self.status = status
        self.offerExtendedStatus = offerExtendedStatus
        self.createdDate = createdDate
        self.availabilityEndDate = availabilityEndDate
    }

    enum CodingKeys: String, CodingKey {
        case name = "Name"
        case productId = "ProductId"
        case productName = "ProductName"
        case manufacturerAccountId = "ManufacturerAccountId"
        case manufacturerLegalName = "ManufacturerLegalName"
        case resellerAccountID = "ResellerAccountID"
        case resellerLegalName = "ResellerLegalName"
        case status = "Status"
        case offerExtendedStatus = "OfferExtendedStatus"
        case createdDate = "CreatedDate"
        case availabilityEndDate = "AvailabilityEndDate"
    }
}

/// An offer set's summary (botocore shape `OfferSetSummary`).
public struct OfferSetSummary: Codable, Sendable, Hashable {
    /// `Name`.
    public var name: String?
    /// `State`: `Draft` or `Released`.
    public var state: String?
    /// `ReleaseDate`: ISO 8601 UTC.
    public var releaseDate: String?
    /// `AssociatedOfferIds`.
    public var associatedOfferIds: [String]?
    /// `SolutionId`.
    public var solutionId: String?

    /// Creates a summary.
    public init(
        name: String? = nil,
        state: String? = nil,
        releaseDate: String? = nil,
        associatedOfferIds: [String]? = nil,
        solutionId: String? = nil
    ) {
        self.name = name
        self.state = state
        self.releaseDate = releaseDate
        self.associatedOfferIds = associatedOfferIds
        self.solutionId = solutionId
    }

    enum CodingKeys: String, CodingKey {
        case name = "Name"
        case state = "State"
        case releaseDate = "ReleaseDate"
        case associatedOfferIds = "AssociatedOfferIds"
        case solutionId = "SolutionId"
    }
}
