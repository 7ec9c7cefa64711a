import CatalogModels
import Foundation
import Hashing

/// One evaluated row on its way into a change set.
struct RenderedRow: Sendable {
    let rowIndex: Int
    let line: Int
    let result: RowEvaluator.Result
}

/// Builds a ``PlannedChangeSet`` from the evaluated rows of one planned set: row bookkeeping,
/// token and name now; the request itself later, on demand (``RenderedChangeSet``).
struct SetBuilder {
    let plan: Plan
    let template: Template
    /// Per change: its base ChangeName cut to leave room for the row suffix.
    let bases: [String]
    /// The template's changes precompiled for writing JSON.
    let program: PrettyProgram

    init(plan: Plan) {
        self.plan = plan
        template = plan.template
        bases = Self.bases(plan.template.baseNames, room: 72 - 1 - plan.lineDigits)
        program = PrettyProgram(template: plan.template)
    }

    func build(index: Int, rows: [RenderedRow]) -> PlannedChangeSet {
        let sequence = index + 1
        let name = Self.changeSetName(runIdentity: plan.runIdentity, sequence: sequence)
        let token = self.token(sequence: sequence, rows: rows)
        let rendered = RenderedChangeSet(template: template, bases: bases, program: program, lineDigits: plan.lineDigits,
                                         rows: rows, changeSetName: name, token: token)
        var plannedRows: [PlannedRow] = []
        plannedRows.reserveCapacity(rows.count)
        var next = 0
        var targets = Set<String>()
        for row in rows {
            var indices: [Int] = []
            var rowTargets: [String] = []
            for change in template.changes where row.result.included[change.index] {
                indices.append(next)
                next += 1
                if let target = row.result.targets[change.index] { rowTargets.append(target) }
            }
            rowTargets = Array(Set(rowTargets)).sorted()
            targets.formUnion(rowTargets)
            plannedRows.append(PlannedRow(rowIndex: row.rowIndex, line: row.line, changeIndices: indices,
                                          targetEntityIds: rowTargets, rendered: rendered))
        }
        let start = Int(plan.dependencyStart[index]), end = Int(plan.dependencyStart[index + 1])
        let dependencies = plan.dependencyList[start..<end].map { Int($0) + 1 }
        return PlannedChangeSet(sequenceNumber: sequence, clientRequestToken: token, changeSetName: name,
                                rendered: rendered, rows: plannedRows, targetEntityIds: targets.sorted(),
                                dependencies: dependencies, wave: Int(plan.setWave[index]))
    }

    /// Base names cut to `room` characters, still unique (a name that would clash after the
    /// cut ends in its change's number instead).
    static func bases(_ names: [String], room: Int) -> [String] {
        var used = Set<String>()
        return names.enumerated().map { index, name in
            var base = String(name.prefix(room))
            if used.contains(base) {
                let tag = "C\(index + 1)"
                base = String(name.prefix(room - tag.count)) + tag
            }
            used.insert(base)
            return base
        }
    }

    /// `bulkrunner <run identity> 000017`.
    static func changeSetName(runIdentity: RunIdentity, sequence: Int) -> String {
        "bulkrunner \(runIdentity.value) \(padded(sequence, 6))"
    }

    static func padded(_ number: Int, _ digits: Int) -> String {
        let text = String(number)
        return text.count >= digits ? text : String(repeating: "0", count: digits - text.count) + text
    }

    /// The set's ClientRequestToken (see ``RequestToken``): SHA-256 of the derivation version,
    /// the run identity, the template's digest, the line-number width, the set's number, and
    /// per row its line, the blank/non-blank state of every placeholder, and every rendered
    /// value (length-prefixed canonical JSON; absent values marked).
    func token(sequence: Int, rows: [RenderedRow]) -> String {
        var bytes: [UInt8] = []
        bytes.reserveCapacity(256 + rows.count * 512)
        func int(_ value: Int) {
            withUnsafeBytes(of: UInt64(truncatingIfNeeded: value).bigEndian) { bytes.append(contentsOf: $0) }
        }
        func text(_ value: String) {
            var value = value
            value.withUTF8 { utf8 in
                int(utf8.count)
                bytes.append(contentsOf: utf8)
            }
        }
        text(RequestToken.derivationVersion)
        text(plan.runIdentity.value)
        bytes.append(contentsOf: template.sourceDigest)
        int(plan.lineDigits)
        int(sequence)
        int(rows.count)
        for row in rows {
            int(row.line)
            for value in row.result.values { bytes.append(value == nil ? 0 : 1) }
            for value in row.result.siteValues {
                guard let value else {
                    bytes.append(0)
                    continue
                }
                if case .string(let string) = value {
                    bytes.append(0x73)  // "s": length and the text
                    var string = string
                    string.withUTF8 { utf8 in
                        let n = UInt32(truncatingIfNeeded: utf8.count)
                        bytes.append(contentsOf: [UInt8(truncatingIfNeeded: n >> 24), UInt8(truncatingIfNeeded: n >> 16),
                                                  UInt8(truncatingIfNeeded: n >> 8), UInt8(truncatingIfNeeded: n)])
                        bytes.append(contentsOf: utf8)
                    }
                    continue
                }
                bytes.append(0x6A)  // "j": length and canonical JSON
                let lengthAt = bytes.count
                bytes.append(contentsOf: [0, 0, 0, 0])
                JSONBytes.write(value, style: .canonical, into: &bytes)
                let length = UInt32(truncatingIfNeeded: bytes.count - lengthAt - 4)
                bytes[lengthAt] = UInt8(truncatingIfNeeded: length >> 24)
                bytes[lengthAt + 1] = UInt8(truncatingIfNeeded: length >> 16)
                bytes[lengthAt + 2] = UInt8(truncatingIfNeeded: length >> 8)
                bytes[lengthAt + 3] = UInt8(truncatingIfNeeded: length)
            }
        }
        return RequestToken.encode(SHA256.hash(bytes))
    }
}

/// A planned change set kept as the template plus its rows' values: the request is built
/// only when asked for (``request()``), and the dry run writes its JSON straight from here
/// (``writePretty(into:)``) without building it — byte for byte what the built request
/// prints (tests compare them).
///
/// Naming: every change gets a ChangeName when the template names it, when it creates an
/// entity (DescribeChangeSet then maps the new entity id to its row), or when the set holds
/// several rows (per-change errors then map to rows); names are the template's name (or the
/// change type) + `R` + the row's line, e.g. `ResaleAuthorizationR000017`, and references
/// `$ResaleAuthorization.Entity.Identifier` are rewritten to match.
final class RenderedChangeSet: @unchecked Sendable {
    let template: Template
    let bases: [String]
    /// ``bases`` as UTF-8.
    let baseBytes: [[UInt8]]
    let program: PrettyProgram
    let lineDigits: Int
    let rows: [RenderedRow]
    let multiRow: Bool
    let changeSetName: String
    let token: String
    /// The request once built (guarded by `lock`; the class is otherwise immutable).
    private var cached: StartChangeSetRequest?
    private let lock = NSLock()

    /// The request, built on first use and kept.
    func cachedRequest() -> StartChangeSetRequest {
        lock.lock()
        defer { lock.unlock() }
        if let cached { return cached }
        let built = request()
        cached = built
        return built
    }

    init(template: Template, bases: [String], program: PrettyProgram, lineDigits: Int, rows: [RenderedRow],
         changeSetName: String, token: String) {
        self.template = template
        self.bases = bases
        self.baseBytes = bases.map { Array($0.utf8) }
        self.program = program
        self.lineDigits = lineDigits
        self.rows = rows
        self.multiRow = rows.count > 1
        self.changeSetName = changeSetName
        self.token = token
    }

    /// A capacity for the pretty JSON that is rarely too small: ~600 bytes per change.
    var estimatedPrettySize: Int {
        rows.reduce(512) { $0 + $1.result.changeCount * 640 }
    }

    /// The ChangeName of every change of a row (`nil` where the change gets none).
    func names(_ row: RenderedRow) -> [String?] {
        let suffix = "R" + SetBuilder.padded(row.line, lineDigits)
        return template.changes.map { change in
            let needed = change.templateName != nil || change.isCreate || multiRow
            return needed && row.result.included[change.index] ? bases[change.index] + suffix : nil
        }
    }

    func holds(_ conditions: [Condition], _ row: RenderedRow) -> Bool {
        for condition in conditions where (row.result.values[condition.slot] != nil) != condition.whenPresent { return false }
        return true
    }

    // MARK: - The request

    /// Builds the StartChangeSet request (token and name set).
    func request() -> StartChangeSetRequest {
        var changes: [Change] = []
        for row in rows {
            let names = self.names(row)
            for change in template.changes where row.result.included[change.index] {
                let entityType = value(change.entityType, row, names)?.stringValue ?? ""
                var identifier: String?
                if let node = change.identifier { identifier = value(node, row, names)?.stringValue }
                changes.append(Change(
                    changeType: change.changeType, entity: Entity(type: entityType, identifier: identifier),
                    entityTags: change.entityTags.flatMap { tags(value($0, row, names)) },
                    detailsDocument: change.details.flatMap { value($0, row, names) },
                    changeName: names[change.index]))
            }
        }
        return StartChangeSetRequest(catalog: template.catalog, changeSet: changes, changeSetName: changeSetName,
                                     clientRequestToken: token, changeSetTags: template.changeSetTags,
                                     intent: template.intent)
    }

    func tags(_ value: JSONValue?) -> [Tag]? {
        guard case .array(let elements)? = value else { return nil }
        return elements.compactMap { element in
            guard let key = element["Key"]?.stringValue, let value = element["Value"]?.stringValue else { return nil }
            return Tag(key: key, value: value)
        }
    }

    func value(_ node: Node, _ row: RenderedRow, _ names: [String?]) -> JSONValue? {
        switch node {
        case .literal(let value):
            return value
        case .site(let index):
            return row.result.siteValues[index]
        case .reference(let target):
            return .string(ChangeReference.make(names[target] ?? template.baseNames[target]))
        case .object(let object):
            var result = object.base
            for member in object.computed { result[member.key] = value(member.node, row, names) ?? .null }
            return .object(result)
        case .array(let elements):
            var out: [JSONValue] = []
            for element in elements where holds(element.conditions, row) {
                guard let value = value(element.node, row, names) else { continue }
                if case .site(let index) = element.node, template.sites[index].kind == .list, case .array(let items) = value {
                    out.append(contentsOf: items)
                } else {
                    out.append(value)
                }
            }
            return .array(out)
        }
    }

    // MARK: - Pretty JSON, straight from the template

    /// Writes the request body as `JSONBytes.write(request:includeToken: true, style: .pretty(indent: 2))`
    /// would, without building the request.
    func writePretty(into out: inout [UInt8]) {
        let style = JSONBytes.Style.pretty(indent: 2)
        out.append(0x7B)
        key("Catalog", first: true, level: 1, &out)
        JSONBytes.writeString(template.catalog, into: &out)
        key("ChangeSet", first: false, level: 1, &out)
        var any = false
        out.append(0x5B)
        for row in rows {
            let suffix = Array(("R" + SetBuilder.padded(row.line, lineDigits)).utf8)
            for change in template.changes where row.result.included[change.index] {
                if any { out.append(0x2C) }
                any = true
                JSONBytes.newline(style, 2, &out)
                run(program.changes[change.index], row, suffix, &out)
            }
        }
        if any { JSONBytes.newline(style, 1, &out) }
        out.append(0x5D)
        key("ChangeSetName", first: false, level: 1, &out)
        JSONBytes.writeString(changeSetName, into: &out)
        key("ClientRequestToken", first: false, level: 1, &out)
        JSONBytes.writeString(token, into: &out)
        if let tags = template.changeSetTags {
            key("ChangeSetTags", first: false, level: 1, &out)
            JSONBytes.write(.array(tags.map(RequestJSON.tag)), style: style, level: 1, into: &out)
        }
        if let intent = template.intent {
            key("Intent", first: false, level: 1, &out)
            JSONBytes.writeString(intent.rawValue, into: &out)
        }
        JSONBytes.newline(style, 0, &out)
        out.append(0x7D)
    }

    private func key(_ key: StaticString, first: Bool, level: Int, _ out: inout [UInt8]) {
        if !first { out.append(0x2C) }
        JSONBytes.newline(.pretty(indent: 2), level, &out)
        out.append(0x22)
        key.withUTF8Buffer { out.append(contentsOf: $0) }
        out.append(contentsOf: [0x22, 0x3A, 0x20])
    }
}
