import CatalogModels

/// Each template change precompiled into pretty-printed byte chunks with holes for what a
/// row fills in (values, references, names, conditional array elements): writing a change
/// of a row is then a few `memcpy`s and the row's own values. Built once per plan.
///
/// The output is exactly `JSONBytes.write(…, style: .pretty(indent: 2))` of the built change
/// at its place in the body (`{ "ChangeSet": [ {change} ] }`: level 2); tests compare them.
final class PrettyProgram: Sendable {
    /// One step of a change's program.
    enum Op: Sendable {
        /// Bytes to copy.
        case bytes([UInt8])
        /// A site's value, pretty at `level`.
        case site(Int, level: Int)
        /// `"$<name of change>.Entity.Identifier"`.
        case reference(Int)
        /// `,` newline `"ChangeName": "<name>"` when the change is named in this row.
        case changeName(Int)
        /// `,` newline `"EntityTags": [...]` from a computed tag list (rare).
        case entityTags(Node)
        /// An array whose elements may drop out or splice in lists.
        case array(level: Int, elements: [Element])
    }

    /// One element of a computed array.
    struct Element: Sendable {
        let conditions: [Condition]
        /// A list site spliced item by item.
        let splice: Int?
        /// The element's value, preceded by its newline and indent.
        let ops: [Op]
    }

    /// Per template change: its program.
    let changes: [[Op]]
    /// Per template change: whether it is named in every row (the template names it, or it
    /// creates an entity); other changes are named only in sets of several rows.
    let alwaysNamed: [Bool]

    init(template: Template) {
        changes = template.changes.map { Self.compile(change: $0, template: template) }
        alwaysNamed = template.changes.map { $0.templateName != nil || $0.isCreate }
    }

    // MARK: - Compiling

    static let style = JSONBytes.Style.pretty(indent: 2)

    /// Appends bytes, merging with a preceding `.bytes`.
    static func emit(_ bytes: [UInt8], _ ops: inout [Op]) {
        guard !bytes.isEmpty else { return }
        if case .bytes(let previous)? = ops.last {
            ops[ops.count - 1] = .bytes(previous + bytes)
        } else {
            ops.append(.bytes(bytes))
        }
    }

    static func newline(_ level: Int) -> [UInt8] {
        var out: [UInt8] = []
        JSONBytes.newline(style, level, &out)
        return out
    }

    static func key(_ key: String, level: Int, first: Bool) -> [UInt8] {
        var out: [UInt8] = first ? [] : [0x2C]
        out += newline(level)
        JSONBytes.member(key, style, &out)
        return out
    }

    static func literal(_ value: JSONValue, level: Int) -> [UInt8] {
        var out: [UInt8] = []
        JSONBytes.write(value, style: style, level: level, into: &out)
        return out
    }

    static func compile(change: TemplateChange, template: Template) -> [Op] {
        var ops: [Op] = []
        emit([0x7B] + key("ChangeType", level: 3, first: true) + literal(.string(change.changeType), level: 3), &ops)
        emit(key("Entity", level: 3, first: false) + [0x7B] + key("Type", level: 4, first: true), &ops)
        compile(change.entityType, level: 4, template: template, into: &ops)
        if let identifier = change.identifier {
            emit(key("Identifier", level: 4, first: false), &ops)
            compile(identifier, level: 4, template: template, into: &ops)
        }
        emit(newline(3) + [0x7D], &ops)
        if let tags = change.entityTags { ops.append(.entityTags(tags)) }
        if let details = change.details {
            emit(key("DetailsDocument", level: 3, first: false), &ops)
            compile(details, level: 3, template: template, into: &ops)
        }
        ops.append(.changeName(change.index))
        emit(newline(2) + [0x7D], &ops)
        return ops
    }

    static func compile(_ node: Node, level: Int, template: Template, into ops: inout [Op]) {
        switch node {
        case .literal(let value):
            emit(literal(value, level: level), &ops)
        case .site(let index):
            ops.append(.site(index, level: level))
        case .reference(let target):
            ops.append(.reference(target))
        case .object(let object):
            emit([0x7B], &ops)
            for (i, member) in object.members.enumerated() {
                emit(key(member.key, level: level + 1, first: i == 0), &ops)
                compile(member.node, level: level + 1, template: template, into: &ops)
            }
            emit(newline(level) + [0x7D], &ops)
        case .array(let elements):
            let compiled = elements.map { element -> Element in
                if case .site(let index) = element.node, template.sites[index].kind == .list {
                    return Element(conditions: element.conditions, splice: index, ops: [])
                }
                var inner: [Op] = []
                emit(newline(level + 1), &inner)
                compile(element.node, level: level + 1, template: template, into: &inner)
                return Element(conditions: element.conditions, splice: nil, ops: inner)
            }
            ops.append(.array(level: level, elements: compiled))
        }
    }
}

extension RenderedChangeSet {
    /// Writes `"<base><suffix>"` (a ChangeName) or `"$<base><suffix>.Entity.Identifier"`:
    /// names are letters and digits, so no escaping.
    func writeName(_ change: Int, _ suffix: [UInt8], reference: Bool, _ out: inout [UInt8]) {
        out.append(0x22)
        if reference { out.append(0x24) }
        out.append(contentsOf: baseBytes[change])
        out.append(contentsOf: suffix)
        if reference { out.append(contentsOf: PrettyProgram.referenceSuffix) }
        out.append(0x22)
    }

    /// Runs a change's program for `row` (`suffix`: `R` and the row's line).
    func run(_ ops: [Op], _ row: RenderedRow, _ suffix: [UInt8], _ out: inout [UInt8]) {
        for op in ops {
            switch op {
            case .bytes(let bytes):
                out.append(contentsOf: bytes)
            case .site(let index, let level):
                if case .string(let text)? = row.result.siteValues[index] {
                    JSONBytes.writeString(text, into: &out)
                } else {
                    JSONBytes.write(row.result.siteValues[index] ?? .null, style: PrettyProgram.style, level: level, into: &out)
                }
            case .reference(let target):
                writeName(target, suffix, reference: true, &out)
            case .changeName(let index):
                if multiRow || program.alwaysNamed[index] {
                    out.append(contentsOf: PrettyProgram.changeNameKey)
                    writeName(index, suffix, reference: false, &out)
                }
            case .entityTags(let node):
                if let tags = tags(value(node, row, names(row))) {
                    out.append(contentsOf: PrettyProgram.key("EntityTags", level: 3, first: false))
                    JSONBytes.write(.array(tags.map(RequestJSON.tag)), style: PrettyProgram.style, level: 3, into: &out)
                }
            case .array(let level, let elements):
                var any = false
                for element in elements where holds(element.conditions, row) {
                    if let index = element.splice {
                        guard case .array(let items)? = row.result.siteValues[index] else { continue }
                        for item in items {
                            out.append(any ? 0x2C : 0x5B)
                            any = true
                            JSONBytes.newline(PrettyProgram.style, level + 1, &out)
                            JSONBytes.write(item, style: PrettyProgram.style, level: level + 1, into: &out)
                        }
                        continue
                    }
                    out.append(any ? 0x2C : 0x5B)
                    any = true
                    run(element.ops, row, suffix, &out)
                }
                if any {
                    JSONBytes.newline(PrettyProgram.style, level, &out)
                    out.append(0x5D)
                } else {
                    out.append(contentsOf: [0x5B, 0x5D])
                }
            }
        }
    }

    typealias Op = PrettyProgram.Op
}

extension PrettyProgram {
    /// `,` newline `"ChangeName": ` at a change's member level.
    static let changeNameKey: [UInt8] = key("ChangeName", level: 3, first: false)
    static let referenceSuffix: [UInt8] = Array(ChangeReference.suffix.utf8)
}
