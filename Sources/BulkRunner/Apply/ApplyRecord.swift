import CatalogModels
import Foundation
import Hashing

/// What the service said about one entity when the sheet was checked.
public enum ApplyFact: Sendable, Hashable {
    /// BatchDescribeEntities described it.
    case described(EntityDetail)
    /// It could not be described: the service's error code (e.g. `ResourceNotFoundException`)
    /// and message.
    case failed(code: String, message: String)
}

/// Everything a run of `apply` decided from, kept beside its results as `RESULTS.csv.apply`
/// before anything is sent: the run identity, the sheet's SHA-256, when it was checked, the
/// options that shape the plan, and the entities as the service described them then.
///
/// The plan is a pure function of the sheet and this record (``ApplyPlan/build(sheet:record:)``),
/// so running the same command again rebuilds exactly the same change sets — with the same
/// tokens — even though the run itself has changed the entities since (their
/// `LastModifiedDate` moved: checked again, every row would now look STALE). That is what
/// makes an interrupted apply resumable without sending anything twice.
public struct ApplyRecord: Sendable, Hashable {
    /// The record's format version.
    public static let version = 1

    /// The run identity of the first wave (the second wave's is derived from it).
    public var identity: RunIdentity
    /// SHA-256 (hex) of the sheet's bytes when it was checked.
    public var sheetDigest: String
    /// When the entities were described (whole seconds): "today" for date checks.
    public var checkedAt: Date
    /// `--force`.
    public var force: Bool
    /// The order of a re-grant's steps.
    public var repriceOrder: RepriceOrder
    /// `--rows-per-change-set`.
    public var rowsPerChangeSet: Int?
    /// Each checked entity, by id.
    public var facts: [String: ApplyFact]

    /// Creates a record.
    public init(identity: RunIdentity, sheetDigest: String, checkedAt: Date, force: Bool, repriceOrder: RepriceOrder,
                rowsPerChangeSet: Int?, facts: [String: ApplyFact]) {
        self.identity = identity
        self.sheetDigest = sheetDigest
        self.checkedAt = checkedAt
        self.force = force
        self.repriceOrder = repriceOrder
        self.rowsPerChangeSet = rowsPerChangeSet
        self.facts = facts
    }

    /// `results.csv` → `results.csv.apply`.
    public static func url(besideResults results: URL) -> URL { URL(fileURLWithPath: results.path + ".apply") }

    /// The record as JSON.
    public var json: JSONValue {
        var entities = JSONObject()
        for id in facts.keys.sorted() {
            switch facts[id]! {
            case .described(let detail):
                entities[id] = ["Detail": (try? CatalogJSON.encodeValue(detail)) ?? .null]
            case .failed(let code, let message):
                entities[id] = ["ErrorCode": .string(code), "ErrorMessage": .string(message)]
            }
        }
        var object = JSONObject()
        object["Version"] = .number(JSONNumber(Self.version))
        object["RunIdentity"] = .string(identity.value)
        object["SheetDigest"] = .string(sheetDigest)
        object["CheckedAt"] = .string(ApplyStepBuilder.timestamp(checkedAt))
        object["Force"] = .bool(force)
        object["RepriceOrder"] = .string(repriceOrder.rawValue)
        object["RowsPerChangeSet"] = rowsPerChangeSet.map { .number(JSONNumber($0)) } ?? .null
        object["Entities"] = .object(entities)
        return .object(object)
    }

    /// Reads a record from its JSON.
    ///
    /// - Throws: ``BulkRunnerError/Code/cannotRead`` when it is not a record this version writes.
    public init(json: JSONValue, file: String = "") throws(BulkRunnerError) {
        func fail(_ what: String) -> BulkRunnerError {
            BulkRunnerError(code: .cannotRead, file: file, reason: "the apply record is damaged: \(what)",
                            hint: "move it and its journals away to start the run afresh (rows already sent may then be sent again), or write the results elsewhere with --output")
        }
        guard json["Version"]?.numberValue?.intValue == Self.version else { throw fail("unknown version") }
        guard let identity = json["RunIdentity"]?.stringValue, let digest = json["SheetDigest"]?.stringValue,
              let checked = json["CheckedAt"]?.stringValue.flatMap(ISOTimestamp.parse),
              let order = json["RepriceOrder"]?.stringValue.flatMap(RepriceOrder.init(rawValue:)),
              let entities = json["Entities"]?.objectValue else { throw fail("a member is missing") }
        var facts: [String: ApplyFact] = [:]
        for (id, value) in entities.entries {
            if let detail = value["Detail"] {
                guard let decoded = try? CatalogJSON.decode(EntityDetail.self, from: detail) else { throw fail("entity \(id)") }
                facts[id] = .described(decoded)
            } else {
                facts[id] = .failed(code: value["ErrorCode"]?.stringValue ?? "", message: value["ErrorMessage"]?.stringValue ?? "")
            }
        }
        self.init(identity: try RunIdentity(identity), sheetDigest: digest, checkedAt: checked,
                  force: json["Force"]?.boolValue ?? false, repriceOrder: order,
                  rowsPerChangeSet: json["RowsPerChangeSet"]?.numberValue?.intValue, facts: facts)
    }

    /// Writes the record to `url` atomically (a temporary file renamed over it).
    ///
    /// - Throws: ``BulkRunnerError/Code/cannotWrite``.
    public func write(to url: URL) throws(BulkRunnerError) {
        do {
            try Data((json.prettyString(indent: 1) + "\n").utf8).write(to: url, options: .atomic)
        } catch {
            throw BulkRunnerError(code: .cannotWrite, file: url.path, reason: "cannot write the apply record: \(error.localizedDescription)",
                                  hint: "check free disk space and permissions; nothing was sent")
        }
    }

    /// The record at `url`, or `nil` when there is none.
    ///
    /// - Throws: ``BulkRunnerError/Code/cannotRead`` for a record that cannot be read.
    public static func read(from url: URL) throws(BulkRunnerError) -> ApplyRecord? {
        guard FileManager.default.fileExists(atPath: url.path) else { return nil }
        guard let data = FileManager.default.contents(atPath: url.path) else {
            throw BulkRunnerError(code: .cannotRead, file: url.path, reason: "cannot read the apply record", hint: "check its permissions")
        }
        let value: JSONValue
        do {
            value = try JSONValue(parsing: Array(data))
        } catch {
            throw BulkRunnerError(code: .cannotRead, file: url.path, reason: "the apply record is not JSON: \(error)",
                                  hint: "move it and its journals away to start afresh, or write the results elsewhere with --output")
        }
        return try ApplyRecord(json: value, file: url.path)
    }

    /// SHA-256 (hex) of `data`.
    static func digest(_ data: Data) -> String {
        SHA256.hash(Array(data)).map { byte in
            let hex = String(byte, radix: 16)
            return hex.count == 1 ? "0" + hex : hex
        }.joined()
    }
}
