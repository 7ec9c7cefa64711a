/// The input of `DescribeChangeSet` (GET /DescribeChangeSet?catalog=…&changeSetId=…).
///
/// Every member is bound to the query string: its Codable encoding is `{}`.
public struct DescribeChangeSetRequest: CatalogRequest, Hashable {
    /// The response shape.
    public typealias Response = DescribeChangeSetResponse
    /// `DescribeChangeSet`.
    public static var operation: CatalogOperation { .describeChangeSet }

    /// `Catalog` (query `catalog`): `AWSMarketplace`.
    public var catalog: String
    /// `ChangeSetId` (query `changeSetId`).
    public var changeSetId: String

    /// Creates a request.
    public init(catalog: String = "AWSMarketplace", changeSetId: String) {
        self.catalog = catalog
        self.changeSetId = changeSetId
    }

    /// `catalog`, `changeSetId`.
    public var queryItems: [(name: String, value: String)] {
        [(name: "catalog", value: catalog), (name: "changeSetId", value: changeSetId)]
    }

    /// Reads `catalog` and `changeSetId`; throws a validation ``CatalogError`` when one is missing.
    public init(queryItems: [(name: String, value: String)]) throws {
        let reader = QueryItemReader(items: queryItems, operation: Self.operation)
        self.init(catalog: try reader.required("catalog"), changeSetId: try reader.required("changeSetId"))
    }

    /// Encodes no body members.
    public func encode(to encoder: any Encoder) throws { try EmptyBody().encode(to: encoder) }

    /// Always throws: this request has no body; use ``init(queryItems:)``.
    public init(from decoder: any Decoder) throws { throw DecodingError.queryBound(Self.self, decoder) }
}

/// The output of `DescribeChangeSet`.
public struct DescribeChangeSetResponse: Codable, Sendable, Hashable {
    /// `ChangeSetId`.
    public var changeSetId: String?
    /// `ChangeSetArn`.
    public var changeSetArn: String?
    /// `ChangeSetName`.
    public var changeSetName: String?
    /// `Intent`.
    public var intent: Intent?
    /// `StartTime`: ISO 8601 UTC, e.g. `2018-09-20T19:45:03.115Z` (milliseconds may appear).
    public var startTime: String?
    /// `EndTime`: ISO 8601 UTC; absent until the set is final.
    public var endTime: String?
    /// `Status`.
    public var status: ChangeStatus?
    /// `FailureCode`: set when FAILED.
    public var failureCode: FailureCode?
    /// `FailureDescription`.
    public var failureDescription: String?
    /// `ChangeSet`: every change, with its errors.
    public var changeSet: [ChangeSummary]?

    /// Creates a response.
    public init(
        changeSetId: String? = nil,
        changeSetArn: String? = nil,
        changeSetName: String? = nil,
        intent: Intent? = nil,
        startTime: String? = nil,
        endTime: String? = nil,
        status: ChangeStatus? = nil,
        failureCode: FailureCode? = nil,
        failureDescription: String? = nil,
        changeSet: [ChangeSummary]? = nil
    ) {
        self.changeSetId = changeSetId
        self.changeSetArn = changeSetArn
        self.changeSetName = changeSetName
        self.intent = intent
        self.startTime = startTime
        self.endTime = endTime
        self.status = status
        self.failureCode = failureCode
        self.failureDescription = failureDescription
        self.changeSet = changeSet
    }

    enum CodingKeys: String, CodingKey {
        case changeSetId = "ChangeSetId"
        case changeSetArn = "ChangeSetArn"
        case changeSetName = "ChangeSetName"
        case intent = "Intent"
        case startTime = "StartTime"
        case endTime = "EndTime"
        case status = "Status"
        case failureCode = "FailureCode"
        case failureDescription = "FailureDescription"
        case changeSet = "ChangeSet"
    }
}
