/// One change set in a ListChangeSets page (botocore shape `ChangeSetSummaryListItem`).
public struct ChangeSetSummaryListItem: Codable, Sendable, Hashable {
    /// `ChangeSetId`.
    public var changeSetId: String?
    /// `ChangeSetArn`.
    public var changeSetArn: String?
    /// `ChangeSetName`.
    public var changeSetName: String?
    /// `StartTime`: ISO 8601 UTC.
    public var startTime: String?
    /// `EndTime`: ISO 8601 UTC.
    public var endTime: String?
    /// `Status`.
    public var status: ChangeStatus?
    /// `EntityIdList`: the entities the set touches.
    public var entityIdList: [String]?
    /// `FailureCode`.
    public var failureCode: FailureCode?

    /// Creates a summary.
    public init(
        changeSetId: String? = nil,
        changeSetArn: String? = nil,
        changeSetName: String? = nil,
        startTime: String? = nil,
        endTime: String? = nil,
        status: ChangeStatus? = nil,
        entityIdList: [String]? = nil,
        failureCode: FailureCode? = nil
    ) {
        self.changeSetId = changeSetId
        self.changeSetArn = changeSetArn
        self.changeSetName = changeSetName
        self.startTime = startTime
        self.endTime = endTime
        self.status = status
        self.entityIdList = entityIdList
        self.failureCode = failureCode
    }

    enum CodingKeys: String, CodingKey {
        case changeSetId = "ChangeSetId"
        case changeSetArn = "ChangeSetArn"
        case changeSetName = "ChangeSetName"
        case startTime = "StartTime"
        case endTime = "EndTime"
        case status = "Status"
        case entityIdList = "EntityIdList"
        case failureCode = "FailureCode"
    }
}
