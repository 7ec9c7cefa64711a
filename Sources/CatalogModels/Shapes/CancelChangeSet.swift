/// The input of `CancelChangeSet` (PATCH /CancelChangeSet?catalog=…&changeSetId=…).
///
/// Every member is bound to the query string: its Codable encoding is `{}`.
public struct CancelChangeSetRequest: CatalogRequest, Hashable {
    /// The response shape.
    public typealias Response = CancelChangeSetResponse
    /// `CancelChangeSet`.
    public static var operation: CatalogOperation { .cancelChangeSet }

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

/// The output of `CancelChangeSet`.
public struct CancelChangeSetResponse: Codable, Sendable, Hashable {
    /// `ChangeSetId`.
    public var changeSetId: String?
    /// `ChangeSetArn`.
    public var changeSetArn: String?

    /// Creates a response.
    public init(changeSetId: String? = nil, changeSetArn: String? = nil) {
        self.changeSetId = changeSetId
        self.changeSetArn = changeSetArn
    }

    enum CodingKeys: String, CodingKey {
        case changeSetId = "ChangeSetId"
        case changeSetArn = "ChangeSetArn"
    }
}
