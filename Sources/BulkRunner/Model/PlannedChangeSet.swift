import CatalogModels

/// One change set the planner built: the exact StartChangeSet request to send (token and
/// name set), which input rows it carries and which of its changes belong to each row,
/// what it locks, and what must be final before it may be sent.
///
/// The planner hands these out one at a time (``PlanIterator``); nothing holds them all.
/// For the runner:
/// - send ``request`` as is; the token makes StartChangeSet idempotent (Catalog API
///   reference, StartChangeSet `ClientRequestToken`), the name finds the set again in
///   ListChangeSets (`ChangeSetName` filter) after a crash;
/// - wait until every set in ``dependencies`` is final (SUCCEEDED, FAILED or CANCELLED)
///   before sending: they touch the same existing entities, and the service locks every
///   entity of an open change set (a second set gets ResourceInUseException, 423);
/// - when a set fails, ``subset(rows:)`` rebuilds it from some of its rows (to isolate the
///   row that failed it), with a new deterministic token;
/// - before re-sending a create from a FAILED or unknown set, look the entity up with
///   ``creations`` (``CreationKey/listEntitiesRequest``): whether a FAILED set applied
///   nothing is not documented.
public struct PlannedChangeSet: Sendable, Hashable {
    /// The request itself, or the template and row values to build it from (the planner's
    /// sets: building every request of a million-row dry run would cost more than planning).
    enum Body: Sendable {
        case request(StartChangeSetRequest)
        case rendered(RenderedChangeSet)
    }

    /// The set's number in the plan, from 1, in input order. Subsets keep their parent's.
    public let sequenceNumber: Int
    /// The `ClientRequestToken` (also in ``request``): 36 characters of `[A-Za-z0-9_-]`,
    /// derived from the request and the run identity.
    public let clientRequestToken: String
    /// The `ChangeSetName` (also in ``request``), `bulkrunner <run identity> <number>`:
    /// ≤ 100 characters of the model's `^[\w\s+=.:@-]+$`.
    public let changeSetName: String
    let body: Body
    /// The rows the set carries, in input order, each with the indices of its changes in
    /// `request.changeSet`.
    public let rows: [PlannedRow]
    /// The existing entities the set's changes target (`Entity.Identifier` values that are
    /// ids, without `@revision`), sorted: lock them in this order to avoid deadlocks.
    public let targetEntityIds: [String]
    /// Sequence numbers of earlier sets that must be final before this one is sent (they
    /// target some of the same existing entities); empty when it may go at once.
    public let dependencies: [Int]
    /// The set's wave: 0 when it has no dependencies, else one more than the highest wave
    /// among them. Sets of one wave never target a common entity.
    public let wave: Int
    /// For a subset made by ``subset(rows:)``: the token of the set it was cut from.
    public let parentToken: String?

    /// Creates a planned change set. The planner builds these; tests and the runner may too.
    /// `request` should already hold `clientRequestToken` and `changeSetName`.
    public init(sequenceNumber: Int, clientRequestToken: String, changeSetName: String,
                request: StartChangeSetRequest, rows: [PlannedRow], targetEntityIds: [String],
                dependencies: [Int], wave: Int, parentToken: String? = nil) {
        self.sequenceNumber = sequenceNumber
        self.clientRequestToken = clientRequestToken
        self.changeSetName = changeSetName
        self.body = .request(request)
        self.rows = rows
        self.targetEntityIds = targetEntityIds
        self.dependencies = dependencies
        self.wave = wave
        self.parentToken = parentToken
    }

    /// A set the planner rendered: the request is built when asked for.
    init(sequenceNumber: Int, clientRequestToken: String, changeSetName: String, rendered: RenderedChangeSet,
         rows: [PlannedRow], targetEntityIds: [String], dependencies: [Int], wave: Int) {
        self.sequenceNumber = sequenceNumber
        self.clientRequestToken = clientRequestToken
        self.changeSetName = changeSetName
        self.body = .rendered(rendered)
        self.rows = rows
        self.targetEntityIds = targetEntityIds
        self.dependencies = dependencies
        self.wave = wave
        self.parentToken = nil
    }

    /// The StartChangeSet request, with ``clientRequestToken`` and ``changeSetName`` set.
    ///
    /// For a planned set it is built from the template and the rows' values on first access
    /// and kept (the dry run never builds it).
    public var request: StartChangeSetRequest {
        switch body {
        case .request(let request): return request
        case .rendered(let rendered): return rendered.cachedRequest()
        }
    }

    /// Equal when every field and the request are equal.
    public static func == (lhs: PlannedChangeSet, rhs: PlannedChangeSet) -> Bool {
        lhs.sequenceNumber == rhs.sequenceNumber && lhs.clientRequestToken == rhs.clientRequestToken
            && lhs.changeSetName == rhs.changeSetName && lhs.rows == rhs.rows
            && lhs.targetEntityIds == rhs.targetEntityIds && lhs.dependencies == rhs.dependencies
            && lhs.wave == rhs.wave && lhs.parentToken == rhs.parentToken && lhs.request == rhs.request
    }

    /// Hashes the token and number (equal sets have equal tokens).
    public func hash(into hasher: inout Hasher) {
        hasher.combine(sequenceNumber)
        hasher.combine(clientRequestToken)
    }

    /// The row indices (0-based data rows of the input) the set carries.
    public var rowIndices: [Int] { rows.map(\.rowIndex) }

    /// The creation keys of every create change in the set, in change order.
    public var creations: [CreationKey] { rows.flatMap(\.creations) }

    /// The StartChangeSet body as JSON, members in the API's order (what the HTTP client
    /// sends, through `CatalogJSON`).
    public var bodyJSON: JSONValue { RequestJSON.body(of: request) }

    /// The body pretty-printed with two-space indents and a final newline: what a dry run
    /// writes to `changeset-000001.json`.
    public var prettyJSON: String { String(decoding: prettyJSONBytes(), as: UTF8.self) }

    /// ``prettyJSON`` as UTF-8 bytes, for writing to a file without making a String.
    public func prettyJSONBytes() -> [UInt8] {
        var bytes: [UInt8] = []
        switch body {
        case .request(let request):
            bytes.reserveCapacity(1024 * request.changeSet.count + 512)
            JSONBytes.write(request: request, includeToken: true, style: .pretty(indent: 2), into: &bytes)
        case .rendered(let rendered):
            bytes.reserveCapacity(rendered.estimatedPrettySize)
            rendered.writePretty(into: &bytes)
        }
        bytes.append(0x0A)
        return bytes
    }

    /// The body as compact JSON on one line, without a line feed: what a dry run prints on
    /// standard output, one set per line (JSON Lines), exactly as it would be sent.
    public var compactJSON: String {
        var bytes: [UInt8] = []
        bytes.reserveCapacity(512 * request.changeSet.count + 256)
        JSONBytes.write(request: request, includeToken: true, style: .compact, into: &bytes)
        return String(decoding: bytes, as: UTF8.self)
    }

    /// The canonical JSON of the body without its token (keys sorted, as
    /// `JSONValue.canonicalString`): what the token is derived from, and what the runner can
    /// compare to tell whether a token would now carry a different request.
    public var canonicalBodyWithoutToken: String {
        String(decoding: RequestToken.canonicalBytes(of: request), as: UTF8.self)
    }
}

/// One input row inside a ``PlannedChangeSet``.
public struct PlannedRow: Sendable, Hashable {
    /// The row's 0-based index among the input's data records (header excluded): the key
    /// for merging outcomes into the results file.
    public let rowIndex: Int
    /// The physical line the row starts on in the input (what error messages cite).
    public let line: Int
    /// The indices, in `request.changeSet`, of the changes rendered from this row.
    public let changeIndices: [Int]
    /// The existing entities this row's changes target, sorted (see
    /// ``PlannedChangeSet/targetEntityIds``).
    public let targetEntityIds: [String]
    let creationSource: CreationSource

    /// Where a row's creation keys come from: given, or derived from its set's request when
    /// first asked for (the planner's rows: a dry run never needs them).
    enum CreationSource: Sendable {
        case keys([CreationKey])
        case deferred(RenderedChangeSet)
    }

    /// The creation keys of this row's create changes (indices into `request.changeSet`),
    /// in change order; empty when the row creates nothing.
    public var creations: [CreationKey] {
        switch creationSource {
        case .keys(let keys): return keys
        case .deferred(let rendered):
            return CreationKeys.keys(in: rendered.cachedRequest(), changeIndices: changeIndices)
        }
    }

    /// Creates a planned row.
    public init(rowIndex: Int, line: Int, changeIndices: [Int], targetEntityIds: [String],
                creations: [CreationKey]) {
        self.rowIndex = rowIndex
        self.line = line
        self.changeIndices = changeIndices
        self.targetEntityIds = targetEntityIds
        self.creationSource = .keys(creations)
    }

    /// A planner's row: creation keys derived from `rendered` when asked for.
    init(rowIndex: Int, line: Int, changeIndices: [Int], targetEntityIds: [String], rendered: RenderedChangeSet) {
        self.rowIndex = rowIndex
        self.line = line
        self.changeIndices = changeIndices
        self.targetEntityIds = targetEntityIds
        self.creationSource = .deferred(rendered)
    }

    /// Equal when index, line, changes, targets and creation keys are equal.
    public static func == (lhs: PlannedRow, rhs: PlannedRow) -> Bool {
        lhs.rowIndex == rhs.rowIndex && lhs.line == rhs.line && lhs.changeIndices == rhs.changeIndices
            && lhs.targetEntityIds == rhs.targetEntityIds && lhs.creations == rhs.creations
    }

    /// Hashes index, line and changes.
    public func hash(into hasher: inout Hasher) {
        hasher.combine(rowIndex)
        hasher.combine(line)
        hasher.combine(changeIndices)
    }
}

/// Builds the StartChangeSet body as a ``JSONValue`` directly (the same members and order
/// as `CatalogJSON.encodeValue`, without the Codable machinery, which matters at a million
/// rows).
enum RequestJSON {
    static func body(of request: StartChangeSetRequest, includeToken: Bool = true) -> JSONValue {
        var object = JSONObject()
        object["Catalog"] = .string(request.catalog)
        object["ChangeSet"] = .array(request.changeSet.map(change))
        if let name = request.changeSetName { object["ChangeSetName"] = .string(name) }
        if includeToken, let token = request.clientRequestToken { object["ClientRequestToken"] = .string(token) }
        if let tags = request.changeSetTags { object["ChangeSetTags"] = .array(tags.map(tag)) }
        if let intent = request.intent { object["Intent"] = .string(intent.rawValue) }
        return .object(object)
    }

    static func change(_ change: Change) -> JSONValue {
        var object = JSONObject()
        object["ChangeType"] = .string(change.changeType)
        var entity = JSONObject()
        entity["Type"] = .string(change.entity.type)
        if let identifier = change.entity.identifier { entity["Identifier"] = .string(identifier) }
        object["Entity"] = .object(entity)
        if let tags = change.entityTags { object["EntityTags"] = .array(tags.map(tag)) }
        if let details = change.details { object["Details"] = .string(details) }
        if let document = change.detailsDocument { object["DetailsDocument"] = document }
        if let name = change.changeName { object["ChangeName"] = .string(name) }
        return .object(object)
    }

    static func tag(_ tag: Tag) -> JSONValue {
        .object(["Key": .string(tag.key), "Value": .string(tag.value)])
    }
}
