import CatalogModels
import Foundation

/// One line of the run journal: a state change of the run, written (and flushed to disk)
/// before anything that depends on it happens.
///
/// The journal is JSON lines beside the results file (`results.csv.journal`), append-only.
/// Every record names the change set it is about by its ClientRequestToken (`"t"`), the
/// key the Catalog API itself uses for idempotency. In the order a change set lives:
///
/// | `"k"` | when | fields |
/// | --- | --- | --- |
/// | `run` | first line | `v` (format 1), `identity`, `started` |
/// | `children` | a set is cut into new sets (split, isolate, resubmit, adapt) — before any of them is sent | `t` (parent), `why`, `sets`: [{`t`, `rows`, `check`, `adapt`}] |
/// | `send` | **before the first StartChangeSet attempt** | `t`, `seq`, `name`, `rows`, `hash` (SHA-256 of the canonical request), `at` |
/// | `accepted` | StartChangeSet answered, or the set was found in the history | `t`, `id`, `arn`, `via` (`response`/`history`), `at` |
/// | `refused` | StartChangeSet refused it (422, 404, 403 …) | `t`, `code`, `message` |
/// | `parked` | the run gave up sending it (fate unknown, resumable) | `t`, `code`, `message` |
/// | `status` | a new open status seen (PREPARING → APPLYING) | `t`, `status` |
/// | `final` | SUCCEEDED, FAILED or CANCELLED seen | `t`, `status`, `failure`, `description` |
/// | `rows` | rows reach their final outcome | `t`, `results`: [{`row`, results columns …}] |
///
/// A record that fails to parse at the very end of the file is a torn write from a crash
/// and is ignored (and cut off before appending); anywhere else it is corruption.
public enum JournalRecord: Sendable, Hashable {
    /// The run's identity (`RunIdentity`), first line.
    case run(identity: String, startedAt: Date)
    /// New change sets cut from `parent`.
    case children(parent: String, reason: SplitReason, sets: [ChildSpec])
    /// About to send: the set's token, plan number, name, rows and request hash.
    case send(token: String, sequence: Int, name: String, rows: [Int], hash: String, at: Date)
    /// The service has the set: its id and ARN.
    case accepted(token: String, changeSetId: String, changeSetArn: String?, viaHistory: Bool, at: Date)
    /// StartChangeSet refused the set (nothing was created).
    case refused(token: String, code: String, message: String)
    /// The run stopped trying to send the set; its fate is unknown until reconciled.
    case parked(token: String, code: String, message: String)
    /// A new open status.
    case status(token: String, status: String)
    /// A final status.
    case final(token: String, status: String, failureCode: String?, description: String?)
    /// Rows that reached their outcome in this set.
    case rows(token: String, results: [RowRecord])

    /// Why a set was cut into new sets.
    public enum SplitReason: String, Sendable, Hashable {
        /// Refused or FAILED and the bad rows are not known: cut in two halves.
        case bisect
        /// FAILED and the bad rows are known: the others go again without them.
        case isolate
        /// FAILED with SERVER_FAULT: the same rows go again with a new token.
        case resubmit
        /// Some rows' entities already exist: their creates are dropped, the rest goes again.
        case adapt
    }

    /// A new set cut from a parent: enough to rebuild it exactly on resume.
    public struct ChildSpec: Sendable, Hashable {
        /// Its ClientRequestToken.
        public var token: String
        /// The parent's rows it keeps (row indices).
        public var rows: [Int]
        /// Rows whose creates must be looked up (ListEntities) before it is sent.
        public var check: [Int]
        /// Creates dropped because the entity exists: (row, change index in the parent, entity id).
        public var adapt: [AdaptedCreate]

        /// Creates a spec.
        public init(token: String, rows: [Int], check: [Int], adapt: [AdaptedCreate] = []) {
            self.token = token
            self.rows = rows
            self.check = check
            self.adapt = adapt
        }
    }

    /// A row's outcome as journaled.
    public struct RowRecord: Sendable, Hashable {
        /// The row index.
        public var row: Int
        /// Its result columns.
        public var result: RowResult

        /// Creates a record.
        public init(row: Int, result: RowResult) {
            self.row = row
            self.result = result
        }
    }

    /// The token the record is about (`nil` for `run`).
    public var token: String? {
        switch self {
        case .run: nil
        case .children(let parent, _, _): parent
        case .send(let token, _, _, _, _, _), .accepted(let token, _, _, _, _), .refused(let token, _, _),
             .parked(let token, _, _), .status(let token, _), .final(let token, _, _, _), .rows(let token, _):
            token
        }
    }
}

/// A create change dropped from a resent set because its entity already exists.
public struct AdaptedCreate: Sendable, Hashable {
    /// The row index.
    public var row: Int
    /// The create's index in the parent set's `request.changeSet`.
    public var changeIndex: Int
    /// The existing entity's id.
    public var entityId: String

    /// Creates an adapted create.
    public init(row: Int, changeIndex: Int, entityId: String) {
        self.row = row
        self.changeIndex = changeIndex
        self.entityId = entityId
    }
}

// MARK: - JSON lines

extension JournalRecord {
    /// The record as one JSON object (compact, without a newline).
    public var json: JSONValue {
        var o = JSONObject()
        func time(_ date: Date) -> JSONValue { .number(JSONNumber(date.timeIntervalSince1970)) }
        func ints(_ values: [Int]) -> JSONValue { .array(values.map { .number(JSONNumber($0)) }) }
        switch self {
        case .run(let identity, let startedAt):
            o["k"] = "run"; o["v"] = 1; o["identity"] = .string(identity); o["started"] = time(startedAt)
        case .children(let parent, let reason, let sets):
            o["k"] = "children"; o["t"] = .string(parent); o["why"] = .string(reason.rawValue)
            o["sets"] = .array(sets.map { spec in
                var s = JSONObject()
                s["t"] = .string(spec.token)
                s["rows"] = ints(spec.rows)
                s["check"] = ints(spec.check)
                if !spec.adapt.isEmpty {
                    s["adapt"] = .array(spec.adapt.map { .array([.number(JSONNumber($0.row)), .number(JSONNumber($0.changeIndex)), .string($0.entityId)]) })
                }
                return .object(s)
            })
        case .send(let token, let sequence, let name, let rows, let hash, let at):
            o["k"] = "send"; o["t"] = .string(token); o["seq"] = .number(JSONNumber(sequence)); o["name"] = .string(name)
            o["rows"] = ints(rows); o["hash"] = .string(hash); o["at"] = time(at)
        case .accepted(let token, let id, let arn, let viaHistory, let at):
            o["k"] = "accepted"; o["t"] = .string(token); o["id"] = .string(id)
            if let arn { o["arn"] = .string(arn) }
            o["via"] = .string(viaHistory ? "history" : "response"); o["at"] = time(at)
        case .refused(let token, let code, let message):
            o["k"] = "refused"; o["t"] = .string(token); o["code"] = .string(code); o["message"] = .string(message)
        case .parked(let token, let code, let message):
            o["k"] = "parked"; o["t"] = .string(token); o["code"] = .string(code); o["message"] = .string(message)
        case .status(let token, let status):
            o["k"] = "status"; o["t"] = .string(token); o["status"] = .string(status)
        case .final(let token, let status, let failure, let description):
            o["k"] = "final"; o["t"] = .string(token); o["status"] = .string(status)
            if let failure { o["failure"] = .string(failure) }
            if let description { o["description"] = .string(description) }
        case .rows(let token, let results):
            o["k"] = "rows"; o["t"] = .string(token)
            o["results"] = .array(results.map { record in
                var r = JSONObject()
                r["row"] = .number(JSONNumber(record.row))
                for (name, cell) in zip(RowResult.columnNames, record.result.cells) where !cell.isEmpty {
                    r[name] = .string(cell)
                }
                return .object(r)
            })
        }
        return .object(o)
    }

    /// The record as one line of text, newline included.
    public var line: String { json.compactString + "\n" }

    /// Reads a record from one parsed line; `nil` when it is not a record this version knows.
    public init?(json value: JSONValue) {
        guard let o = value.objectValue, let kind = o["k"]?.stringValue else { return nil }
        func string(_ key: String) -> String? { o[key]?.stringValue }
        func int(_ key: String) -> Int? { o[key]?.numberValue?.intValue }
        func time(_ key: String) -> Date? { o[key]?.numberValue.map { Date(timeIntervalSince1970: $0.doubleValue) } }
        func ints(_ value: JSONValue?) -> [Int]? {
            guard let array = value?.arrayValue else { return nil }
            let values = array.compactMap { $0.numberValue?.intValue }
            return values.count == array.count ? values : nil
        }
        switch kind {
        case "run":
            guard let identity = string("identity"), let started = time("started") else { return nil }
            self = .run(identity: identity, startedAt: started)
        case "children":
            guard let parent = string("t"), let why = string("why"), let reason = SplitReason(rawValue: why),
                  let sets = o["sets"]?.arrayValue else { return nil }
            var specs: [ChildSpec] = []
            for item in sets {
                guard let s = item.objectValue, let token = s["t"]?.stringValue, let rows = ints(s["rows"]),
                      let check = ints(s["check"]) else { return nil }
                var adapt: [AdaptedCreate] = []
                for entry in s["adapt"]?.arrayValue ?? [] {
                    guard let parts = entry.arrayValue, parts.count == 3, let row = parts[0].numberValue?.intValue,
                          let index = parts[1].numberValue?.intValue, let id = parts[2].stringValue else { return nil }
                    adapt.append(AdaptedCreate(row: row, changeIndex: index, entityId: id))
                }
                specs.append(ChildSpec(token: token, rows: rows, check: check, adapt: adapt))
            }
            self = .children(parent: parent, reason: reason, sets: specs)
        case "send":
            guard let token = string("t"), let seq = int("seq"), let name = string("name"), let rows = ints(o["rows"]),
                  let hash = string("hash"), let at = time("at") else { return nil }
            self = .send(token: token, sequence: seq, name: name, rows: rows, hash: hash, at: at)
        case "accepted":
            guard let token = string("t"), let id = string("id"), let at = time("at") else { return nil }
            self = .accepted(token: token, changeSetId: id, changeSetArn: string("arn"),
                             viaHistory: string("via") == "history", at: at)
        case "refused":
            guard let token = string("t"), let code = string("code"), let message = string("message") else { return nil }
            self = .refused(token: token, code: code, message: message)
        case "parked":
            guard let token = string("t"), let code = string("code"), let message = string("message") else { return nil }
            self = .parked(token: token, code: code, message: message)
        case "status":
            guard let token = string("t"), let status = string("status") else { return nil }
            self = .status(token: token, status: status)
        case "final":
            guard let token = string("t"), let status = string("status") else { return nil }
            self = .final(token: token, status: status, failureCode: string("failure"), description: string("description"))
        case "rows":
            guard let token = string("t"), let items = o["results"]?.arrayValue else { return nil }
            var results: [RowRecord] = []
            for item in items {
                guard let r = item.objectValue, let row = r["row"]?.numberValue?.intValue else { return nil }
                var cells: [String: String] = [:]
                for name in RowResult.columnNames { if let v = r[name]?.stringValue { cells[name] = v } }
                guard let result = RowResult(cells: cells) else { return nil }
                results.append(RowRecord(row: row, result: result))
            }
            self = .rows(token: token, results: results)
        default:
            return nil
        }
    }
}
