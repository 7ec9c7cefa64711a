/// The input of `StartChangeSet` (POST /StartChangeSet, JSON body).
public struct StartChangeSetRequest: CatalogRequest, Hashable {
    /// The response shape.
    public typealias Response = StartChangeSetResponse
    /// `StartChangeSet`.
    public static var operation: CatalogOperation { .startChangeSet }

    /// `Catalog`: always `AWSMarketplace`.
    public var catalog: String
    /// `ChangeSet`: 1–20 changes.
    public var changeSet: [Change]
    /// `ChangeSetName`: 1–100 of letters, digits, spaces and `_+=.:@-`; BulkRunner finds
    /// its change sets again by this name.
    public var changeSetName: String?
    /// `ClientRequestToken`: makes the call idempotent (1–64 printable ASCII).
    public var clientRequestToken: String?
    /// `ChangeSetTags`: tags for the change set (1–200).
    public var changeSetTags: [Tag]?
    /// `Intent`: APPLY (default) or VALIDATE.
    public var intent: Intent?

    /// Creates a request.
    public init(
        catalog: String = "AWSMarketplace",
        changeSet: [Change],
        changeSetName: String? = nil,
        clientRequestToken: String? = nil,
        changeSetTags: [Tag]? = nil,
        intent: Intent? = nil
    ) {
        self.catalog = catalog
        self.changeSet = changeSet
        self.changeSetName = changeSetName
        self.clientRequestToken = clientRequestToken
        self.changeSetTags = changeSetTags
        self.intent = intent
    }

    enum CodingKeys: String, CodingKey {
        case catalog = "Catalog"
        case changeSet = "ChangeSet"
        case changeSetName = "ChangeSetName"
        case clientRequestToken = "ClientRequestToken"
        case changeSetTags = "ChangeSetTags"
        case intent = "Intent"
    }
}

/// The output of `StartChangeSet`.
public struct StartChangeSetResponse: Codable, Sendable, Hashable {
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
