/// One change as DescribeChangeSet reports it (botocore shape `ChangeSummary`).
public struct ChangeSummary: Codable, Sendable, Hashable {
    /// `ChangeType`.
    public var changeType: String?
    /// `Entity`: after success, `Identifier` holds the entity's id (the new id for a create).
    public var entity: Entity?
    /// `Details`: the change's details as a JSON string.
    public var details: String?
    /// `DetailsDocument`: the change's details as JSON.
    public var detailsDocument: JSONValue?
    /// `ErrorDetailList`: why this change failed.
    public var errorDetailList: [ErrorDetail]?
    /// `ChangeName`.
    public var changeName: String?

    /// Creates a change summary.
    public init(
        changeType: String? = nil,
        entity: Entity? = nil,
        details: String? = nil,
        detailsDocument: JSONValue? = nil,
        errorDetailList: [ErrorDetail]? = nil,
        changeName: String? = nil
    ) {
        self.changeType = changeType
        self.entity = entity
        self.details = details
        self.detailsDocument = detailsDocument
        self.errorDetailList = errorDetailList
        self.changeName = changeName
    }

    enum CodingKeys: String, CodingKey {
        case changeType = "ChangeType"
        case entity = "Entity"
        case details = "Details"
        case detailsDocument = "DetailsDocument"
        case errorDetailList = "ErrorDetailList"
        case changeName = "ChangeName"
    }
}

/// One reason a change failed (botocore shape `ErrorDetail`), e.g.
/// `INVALID_RESELLER_ACCOUNT`, `INCOMPATIBLE_STATUS`, `MISSING_MANDATORY_TERMS`.
public struct ErrorDetail: Codable, Sendable, Hashable {
    /// `ErrorCode`.
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
