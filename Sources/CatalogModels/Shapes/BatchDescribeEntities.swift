/// The input of `BatchDescribeEntities` (POST /BatchDescribeEntities, JSON body).
public struct BatchDescribeEntitiesRequest: CatalogRequest, Hashable {
    /// The response shape.
    public typealias Response = BatchDescribeEntitiesResponse
    /// `BatchDescribeEntities`.
    public static var operation: CatalogOperation { .batchDescribeEntities }

    /// `EntityRequestList`: 1–20 entities.
    public var entityRequestList: [EntityRequest]

    /// Creates a request.
    public init(entityRequestList: [EntityRequest]) {
        self.entityRequestList = entityRequestList
    }

    enum CodingKeys: String, CodingKey {
        case entityRequestList = "EntityRequestList"
    }
}

/// One entity to describe (botocore shape `EntityRequest`).
public struct EntityRequest: Codable, Sendable, Hashable {
    /// `Catalog`: `AWSMarketplace`.
    public var catalog: String
    /// `EntityId`.
    public var entityId: String

    /// Creates an entry.
    public init(catalog: String = "AWSMarketplace", entityId: String) {
        self.catalog = catalog
        self.entityId = entityId
    }

    enum CodingKeys: String, CodingKey {
        case catalog = "Catalog"
        case entityId = "EntityId"
    }
}

/// The output of `BatchDescribeEntities`: details and errors, each keyed by entity id.
public struct BatchDescribeEntitiesResponse: Codable, Sendable, Hashable {
    /// `EntityDetails`: the entities found.
    public var entityDetails: [String: EntityDetail]?
    /// `Errors`: why the others were not described.
    public var errors: [String: BatchDescribeErrorDetail]?

    /// Creates a response.
    public init(entityDetails: [String: EntityDetail]? = nil, errors: [String: BatchDescribeErrorDetail]? = nil) {
        self.entityDetails = entityDetails
        self.errors = errors
    }

    enum CodingKeys: String, CodingKey {
        case entityDetails = "EntityDetails"
        case errors = "Errors"
    }
}

/// One described entity (botocore shape `EntityDetail`).
public struct EntityDetail: Codable, Sendable, Hashable {
    /// `EntityType`.
    public var entityType: String?
    /// `EntityArn`.
    public var entityArn: String?
    /// `EntityIdentifier`: the id with its revision.
    public var entityIdentifier: String?
    /// `LastModifiedDate`: ISO 8601 UTC.
    public var lastModifiedDate: String?
    /// `DetailsDocument`.
    public var detailsDocument: JSONValue?

    /// Creates a detail.
    public init(
        entityType: String? = nil,
        entityArn: String? = nil,
        entityIdentifier: String? = nil,
        lastModifiedDate: String? = nil,
        detailsDocument: JSONValue? = nil
    ) {
        self.entityType = entityType
        self.entityArn = entityArn
        self.entityIdentifier = entityIdentifier
        self.lastModifiedDate = lastModifiedDate
        self.detailsDocument = detailsDocument
    }

    enum CodingKeys: String, CodingKey {
        case entityType = "EntityType"
        case entityArn = "EntityArn"
        case entityIdentifier = "EntityIdentifier"
        case lastModifiedDate = "LastModifiedDate"
        case detailsDocument = "DetailsDocument"
    }
}

/// Why one entity could not be described (botocore shape `BatchDescribeErrorDetail`).
public struct BatchDescribeErrorDetail: Codable, Sendable, Hashable {
    /// `ErrorCode`, e.g. `ResourceNotFoundException`.
    public var errorCode: String?
    /// `ErrorMessage`.
    public var errorMessage: String?

    /// Creates an error detail.
    public init(errorCode: String? = nil, errorMessage: String? = nil) {
        self.errorCode = errorCode
        self.errorMessage = errorMessage
    }

    enum CodingKeys: String, CodingKey {
        case errorCode = "ErrorCode"
        case errorMessage = "ErrorMessage"
    }
}
