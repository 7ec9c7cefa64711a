/// A filter of ListChangeSets and ListEntities (botocore shape `Filter`): a name and 1–10 values.
public struct Filter: Codable, Sendable, Hashable {
    /// `Name`, e.g. `ChangeSetName`, `Status`, `EntityId`, `AfterStartTime`.
    public var name: String?
    /// `ValueList`: 1–10 values.
    public var valueList: [String]?

    /// Creates a filter.
    public init(name: String? = nil, valueList: [String]? = nil) {
        self.name = name
        self.valueList = valueList
    }

    enum CodingKeys: String, CodingKey {
        case name = "Name"
        case valueList = "ValueList"
    }
}
