/// A sort key and direction (botocore shape `Sort`; also the shape of every member of
/// `EntityTypeSort`, e.g. `ResaleAuthorizationSort`).
public struct Sort: Codable, Sendable, Hashable {
    /// `SortBy`, e.g. `StartTime`, `LastModifiedDate`.
    public var sortBy: String?
    /// `SortOrder`.
    public var sortOrder: Order?

    /// Creates a sort.
    public init(sortBy: String? = nil, sortOrder: Order? = nil) {
        self.sortBy = sortBy
        self.sortOrder = sortOrder
    }

    enum CodingKeys: String, CodingKey {
        case sortBy = "SortBy"
        case sortOrder = "SortOrder"
    }
}
