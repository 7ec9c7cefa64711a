/// The input of `ListChangeSets` (POST /ListChangeSets, JSON body).
public struct ListChangeSetsRequest: CatalogRequest, Hashable {
    /// The response shape.
    public typealias Response = ListChangeSetsResponse
    /// `ListChangeSets`.
    public static var operation: CatalogOperation { .listChangeSets }

    /// `Catalog`: `AWSMarketplace`.
    public var catalog: String
    /// `FilterList`: 1–8 filters (`ChangeSetName`, `Status`, `EntityId`, `BeforeStartTime`,
    /// `AfterStartTime`, `BeforeEndTime`, `AfterEndTime`), each with 1–10 values.
    public var filterList: [Filter]?
    /// `Sort`: by `ChangeSetId`, `ChangeSetName`, `StartTime` or `EndTime`.
    public var sort: Sort?
    /// `MaxResults`: 1–20.
    public var maxResults: Int?
    /// `NextToken`: from the previous page.
    public var nextToken: String?

    /// Creates a request.
    public init(
        catalog: String = "AWSMarketplace",
        filterList: [Filter]? = nil,
        sort: Sort? = nil,
        maxResults: Int? = nil,
        nextToken: String? = nil
    ) {
        self.catalog = catalog
        self.filterList = filterList
        self.sort = sort
        self.maxResults = maxResults
        self.nextToken = nextToken
    }

    enum CodingKeys: String, CodingKey {
        case catalog = "Catalog"
        case filterList = "FilterList"
        case sort = "Sort"
        case maxResults = "MaxResults"
        case nextToken = "NextToken"
    }
}

/// The output of `ListChangeSets`.
public struct ListChangeSetsResponse: Codable, Sendable, Hashable {
    /// `ChangeSetSummaryList`.
    public var changeSetSummaryList: [ChangeSetSummaryListItem]?
    /// `NextToken`: present when there are more pages.
    public var nextToken: String?

    /// Creates a response.
    public init(changeSetSummaryList: [ChangeSetSummaryListItem]? = nil, nextToken: String? = nil) {
        self.changeSetSummaryList = changeSetSummaryList
        self.nextToken = nextToken
    }

    enum CodingKeys: String, CodingKey {
        case changeSetSummaryList = "ChangeSetSummaryList"
        case nextToken = "NextToken"
    }
}
