/// The input of `DescribeEntity` (GET /DescribeEntity?catalog=…&entityId=…).
///
/// Every member is bound to the query string: its Codable encoding is `{}`.
public struct DescribeEntityRequest: CatalogRequest, Hashable {
    /// The response shape.
    public typealias Response = DescribeEntityResponse
    /// `DescribeEntity`.
    public static var operation: CatalogOperation { .describeEntity }

    /// `Catalog` (query `catalog`): `AWSMarketplace`.
    public var catalog: String
    /// `EntityId` (query `entityId`).
    public var entityId: String

    /// Creates a request.
    public init(catalog: String = "AWSMarketplace", entityId: String) {
        self.catalog = catalog
        self.entityId = entityId
    }

    /// `catalog`, `entityId`.
    public var queryItems: [(name: String, value: String)] {
        [(name: "catalog", value: catalog), (name: "entityId", value: entityId)]
    }

    /// Reads `catalog` and `entityId`; throws a validation ``CatalogError`` when one is missing.
    public init(queryItems: [(name: String, value: String)]) throws {
        let reader = QueryItemReader(items: queryItems, operation: Self.operation)
        self.init(catalog: try reader.required("catalog"), entityId: try reader.required("entityId"))
    }

    /// Encodes no body members.
    public func encode(to encoder: any Encoder) throws { try EmptyBody().encode(to: encoder) }

    /// Always throws: this request has no body; use ``init(queryItems:)``.
    public init(from decoder: any Decoder) throws { throw DecodingError.queryBound(Self.self, decoder) }
}

/// The output of `DescribeEntity`.
public struct DescribeEntityResponse: Codable, Sendable, Hashable {
    /// `EntityType`, e.g. `ResaleAuthorization@1.0`.
    public var entityType: String?
    /// `EntityIdentifier`: the id with its revision, e.g. `resaleauthz-…@1`.
    public var entityIdentifier: String?
    /// `EntityArn`.
    public var entityArn: String?
    /// `LastModifiedDate`: ISO 8601 UTC.
    public var lastModifiedDate: String?
    /// `Details`: the entity as a JSON string.
    public var details: String?
    /// `DetailsDocument`: the entity as JSON.
    public var detailsDocument: JSONValue?

    /// Creates a response.
    public init(
        entityType: String? = nil,
        entityIdentifier: String? = nil,
        entityArn: String? = nil,
        lastModifiedDate: String? = nil,
        details: String? = nil,
        detailsDocument: JSONValue? = nil
    ) {
        self.entityType = entityType
        self.entityIdentifier = entityIdentifier
        self.entityArn = entityArn
        self.lastModifiedDate = lastModifiedDate
        self.details = details
        self.detailsDocument = detailsDocument
    }

    enum CodingKeys: String, CodingKey {
        case entityType = "EntityType"
        case entityIdentifier = "EntityIdentifier"
        case entityArn = "EntityArn"
        case lastModifiedDate = "LastModifiedDate"
        case details = "Details"
        case detailsDocument = "DetailsDocument"
    }
}
