/// ListEntities' typed sort (botocore union `EntityTypeSort`): set exactly one member, the
/// one for the request's `EntityType`. Every member has the ``Sort`` shape; `SortBy` takes
/// that type's field names (e.g. `LastModifiedDate`, `CreatedDate`, `ResellerAccountID`).
public struct EntityTypeSort: Codable, Sendable, Hashable {
    /// `DataProductSort`.
    public var dataProductSort: Sort?
    /// `SaaSProductSort`.
    public var saaSProductSort: Sort?
    /// `AmiProductSort`.
    public var amiProductSort: Sort?
    /// `OfferSort`.
    public var offerSort: Sort?
    /// `ContainerProductSort`.
    public var containerProductSort: Sort?
    /// `ResaleAuthorizationSort`.
    public var resaleAuthorizationSort: Sort?
    /// `MachineLearningProductSort`.
    public var machineLearningProductSort: Sort?
    /// `OfferSetSort`.
    public var offerSetSort: Sort?

    /// Creates a sort; prefer ``resaleAuthorization(_:)`` or ``offer(_:)``.
    public init(
        dataProductSort: Sort? = nil,
        saaSProductSort: Sort? = nil,
        amiProductSort: Sort? = nil,
        offerSort: Sort? = nil,
        containerProductSort: Sort? = nil,
        resaleAuthorizationSort: Sort? = nil,
        machineLearningProductSort: Sort? = nil,
        offerSetSort: Sort? = nil
    ) {
        self.dataProductSort = dataProductSort
        self.saaSProductSort = saaSProductSort
        self.amiProductSort = amiProductSort
        self.offerSort = offerSort
        self.containerProductSort = containerProductSort
        self.resaleAuthorizationSort = resaleAuthorizationSort
        self.machineLearningProductSort = machineLearningProductSort
        self.offerSetSort = offerSetSort
    }

    /// Sort for `ResaleAuthorization` entities.
    public static func resaleAuthorization(_ sort: Sort) -> EntityTypeSort { EntityTypeSort(resaleAuthorizationSort: sort) }

    /// Sort for `Offer` entities.
    public static func offer(_ sort: Sort) -> EntityTypeSort { EntityTypeSort(offerSort: sort) }

    enum CodingKeys: String, CodingKey {
        case dataProductSort = "DataProductSort"
        case saaSProductSort = "SaaSProductSort"
        case amiProductSort = "AmiProductSort"
        case offerSort = "OfferSort"
        case containerProductSort = "ContainerProductSort"
        case resaleAuthorizationSort = "ResaleAuthorizationSort"
        case machineLearningProductSort = "MachineLearningProductSort"
        case offerSetSort = "OfferSetSort"
    }
}
