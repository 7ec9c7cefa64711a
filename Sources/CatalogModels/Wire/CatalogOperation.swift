/// The seven Catalog API operations BulkRunner uses, with their HTTP binding from the
/// botocore model (`marketplace-catalog` 2018-09-17, each operation's `http` section).
public enum CatalogOperation: String, Sendable, Hashable, CaseIterable, CustomStringConvertible {
    /// `StartChangeSet`: POST /StartChangeSet, JSON body.
    case startChangeSet = "StartChangeSet"
    /// `DescribeChangeSet`: GET /DescribeChangeSet?catalog=…&changeSetId=…, no body.
    case describeChangeSet = "DescribeChangeSet"
    /// `ListChangeSets`: POST /ListChangeSets, JSON body.
    case listChangeSets = "ListChangeSets"
    /// `CancelChangeSet`: PATCH /CancelChangeSet?catalog=…&changeSetId=…, no body.
    case cancelChangeSet = "CancelChangeSet"
    /// `DescribeEntity`: GET /DescribeEntity?catalog=…&entityId=…, no body.
    case describeEntity = "DescribeEntity"
    /// `ListEntities`: POST /ListEntities, JSON body.
    case listEntities = "ListEntities"
    /// `BatchDescribeEntities`: POST /BatchDescribeEntities, JSON body.
    case batchDescribeEntities = "BatchDescribeEntities"

    /// The operation name, e.g. `"StartChangeSet"`.
    public var name: String { rawValue }

    /// The HTTP method: `GET`, `POST` or `PATCH`.
    public var httpMethod: String {
        switch self {
        case .describeChangeSet, .describeEntity: return "GET"
        case .cancelChangeSet: return "PATCH"
        case .startChangeSet, .listChangeSets, .listEntities, .batchDescribeEntities: return "POST"
        }
    }

    /// The request path, e.g. `"/StartChangeSet"` (the model's `requestUri`).
    public var path: String { "/" + rawValue }

    /// Whether the request carries a JSON body. When `false` every member is bound to the
    /// query string and the request is sent with an empty body.
    public var hasBody: Bool { httpMethod == "POST" }

    /// The query-string member names, in model order (`location: querystring`).
    public var queryMemberNames: [String] {
        switch self {
        case .describeChangeSet, .cancelChangeSet: return ["catalog", "changeSetId"]
        case .describeEntity: return ["catalog", "entityId"]
        default: return []
        }
    }

    /// The published per-account rate quota in requests per second ("Service quotas for AWS
    /// Marketplace Catalog API"); `nil` for BatchDescribeEntities, which has none published.
    public var documentedRateLimit: Double? {
        switch self {
        case .startChangeSet, .listChangeSets, .cancelChangeSet: return 5
        case .describeChangeSet, .listEntities: return 10
        case .describeEntity: return 20
        case .batchDescribeEntities: return nil
        }
    }

    /// The operation for a method and path (`"GET"`, `"/DescribeChangeSet"`); `nil` when
    /// none matches. The path may carry a query string or a trailing slash.
    public init?(method: String, path: String) {
        var bare = Substring(path)
        if let q = bare.firstIndex(of: "?") { bare = bare[..<q] }
        while bare.count > 1, bare.hasSuffix("/") { bare = bare.dropLast() }
        guard let match = CatalogOperation.allCases.first(where: {
            $0.path == bare && $0.httpMethod == method.uppercased()
        }) else { return nil }
        self = match
    }

    /// The name.
    public var description: String { rawValue }
}
