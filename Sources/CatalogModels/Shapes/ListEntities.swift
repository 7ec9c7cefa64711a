/// The input of `ListEntities` (POST /ListEntities, JSON body).
public struct ListEntitiesRequest: CatalogRequest, Hashable {
    /// The response shape.
    public typealias Response = ListEntitiesResponse
    /// `ListEntities`.
    public static var operation: CatalogOperation { .listEntities }

    /// `Catalog`: `AWSMarketplace`.
    public var catalog: String
    /// `EntityType` without version, e.g. `ResaleAuthorization`, `Offer`, `SaaSProduct`.
    public var entityType: String
    /// `FilterList`: generic filters (1–8).
    public var filterList: [Filter]?
    /// `Sort`.
    public var sort: Sort?
    /// `NextToken`.
    public var nextToken: String?
    /// `MaxResults`: 1–50.
    public var maxResults: Int?
    /// `OwnershipType`: SELF or SHARED.
    public var ownershipType: OwnershipType?
    /// `EntityTypeFilters`: typed filters for one entity type.
    public var entityTypeFilters: EntityTypeFilters?
    /// `EntityTypeSort`: typed sort for one entity type.
    public var entityTypeSort: EntityTypeSort?

    /// Creates a request.
    public init(
        catalog: String = "AWSMarketplace",
        entityType: String,
        filterList: [Filter]? = nil,
        sort: Sort? = nil,
        nextToken: String? = nil,
        maxResults: Int? = nil,
        ownershipType: OwnershipType? = nil,
        entityTypeFilters: EntityTypeFilters? = nil,
        entityTypeSort: EntityTypeSort? = nil
    ) {
        self.catalog = catalog
        self.entityType = entityType
        self.filterList = filterList
        self.sort = sort
        self.nextToken = nextToken
        self.maxResults = maxResults
        self.ownershipType = ownershipType
        self.entityTypeFilters = entityTypeFilters
        self.entityTypeSort = entityTypeSort
    }

    enum CodingKeys: String, CodingKey {
        case catalog = "Catalog"
        case entityType = "EntityType"
        case filterList = "FilterList"
        case sort = "Sort"
        case nextToken = "NextToken"
        case maxResults = "MaxResults"
        case ownershipType = "OwnershipType"
        case entityTypeFilters = "EntityTypeFilters"
        case entityTypeSort = "EntityTypeSort"
    }
}

/// The output of `ListEntities`.
public struct ListEntitiesResponse: Codable, Sendable, Hashable {
    /// `EntitySummaryList`.
    public var entitySummaryList: [EntitySummary]?
    /// `NextToken`: present when there are more pages.
    public var nextToken: String?

    /// Creates a response.
    public init(entitySummaryList: [EntitySummary]? = nil, nextToken: String? = nil) {
        self.entitySummaryList = entitySummaryList
        self.nextToken = nextToken
    }

    enum CodingKeys: String, CodingKey {
        case entitySummaryList = "EntitySummaryList"
        case nextToken = "NextToken"
    }
}
