import CatalogModels

// The compiled form of a template: what rendering a row walks. Built once by
// `TemplateCompiler`, shared by every row.

/// A 1-based line and column in a template file.
struct SourceLocation: Sendable, Hashable {
    let line: Int
    let column: Int
}

/// How a whole-value placeholder's cell becomes JSON.
enum ValueKind: String, Sendable, Hashable, CaseIterable {
    /// A JSON string (the default).
    case string
    /// A JSON array of strings: the cell split on `;` `,` whitespace and line breaks (ids) or
    /// on `;` and line breaks (text items).
    case list
    /// A JSON number, exactly as written in the cell.
    case number
    /// A JSON number that is a whole number.
    case integer
    /// `true` or `false` (also yes/no, 1/0).
    case boolean
    /// Any JSON: the cell is parsed as a JSON text.
    case json

    /// The names accepted after `:` in `{{Name:type}}`.
    static func named(_ name: String) -> ValueKind? {
        switch name.lowercased() {
        case "string", "text": return .string
        case "list", "array": return .list
        case "number", "decimal": return .number
        case "integer", "int": return .integer
        case "boolean", "bool": return .boolean
        case "json": return .json
        default: return nil
        }
    }
}

/// One occurrence of a placeholder in a template string.
struct PlaceholderRef: Sendable, Hashable {
    /// Index into the template's slots (one per distinct normalised name).
    let slot: Int
    /// `{{Name?}}`: the enclosing change is left out when the value is blank.
    let optional: Bool
    /// `{{Name|default}}`: the text used when the value is blank or the column is absent.
    let defaultValue: String?
    /// `{{Name:type}}`, when given.
    let declaredKind: ValueKind?
    /// Where it is.
    let location: SourceLocation
}

/// A piece of a template string.
enum TextPart: Sendable, Hashable {
    case literal(String)
    case placeholder(PlaceholderRef)
}

/// Include something only when a column's value is present (non-blank) or absent.
struct Condition: Sendable, Hashable {
    let slot: Int
    let whenPresent: Bool
}

/// A template string that holds placeholders: evaluated per row, checked, inserted.
/// A class so that reading one per row costs a retain, not a copy of every field.
final class Site: Sendable {
    /// The change it belongs to.
    let change: Int
    let location: SourceLocation
    /// `DetailsDocument.Terms[0].Price`-style path, for messages.
    let path: String
    /// The JSON key it sits under (`Price`), the field name in messages.
    let field: String
    let parts: [TextPart]
    /// The placeholder when the string is exactly one placeholder.
    let whole: PlaceholderRef?
    /// How the value becomes JSON.
    let kind: ValueKind
    /// The check of the value (of each item, for lists).
    let check: FieldCheck
    /// Conditions of the array elements around it (not the change's).
    let conditions: [Condition]

    init(change: Int, location: SourceLocation, path: String, field: String, parts: [TextPart],
         whole: PlaceholderRef?, kind: ValueKind, check: FieldCheck, conditions: [Condition]) {
        self.change = change
        self.location = location
        self.path = path
        self.field = field
        self.parts = parts
        self.whole = whole
        self.kind = kind
        self.check = check
        self.conditions = conditions
    }
}

/// A template value with its placeholders compiled.
indirect enum Node: Sendable {
    /// A value with no placeholders or references, used as is.
    case literal(JSONValue)
    /// An object whose members are compiled (annotations removed); see ``ObjectNode``.
    case object(ObjectNode)
    /// An array whose elements are compiled; conditional elements may drop out, list
    /// placeholders standing alone as an element are spliced in.
    case array([Element])
    /// A string holding placeholders: `sites[index]`.
    case site(Int)
    /// `$ChangeName.Entity.Identifier` of change `index` (rewritten per row).
    case reference(Int)

    struct Member: Sendable {
        let key: String
        let node: Node
    }

    /// A compiled object: `base` holds every key in order with the literal members' values
    /// (and `null` where a member is computed), `computed` lists the computed members, and
    /// `members` all of them in order (literal ones as `.literal`). Rendering a value copies
    /// `base` and sets the computed keys (one copy, order kept); writing JSON walks `members`.
    final class ObjectNode: Sendable {
        let base: JSONObject
        let computed: [Member]
        let members: [Member]

        init(base: JSONObject, computed: [Member], members: [Member]) {
            self.base = base
            self.computed = computed
            self.members = members
        }
    }

    struct Element: Sendable {
        let node: Node
        let conditions: [Condition]
    }

    var literalValue: JSONValue? {
        if case .literal(let value) = self { return value }
        return nil
    }
}

/// A compiled change of the template. A class so that reading one per row costs a retain.
final class TemplateChange: Sendable {
    let index: Int
    let location: SourceLocation
    let changeType: String
    /// `Entity.Type`: a literal string or a site.
    let entityType: Node
    /// `Entity.Identifier`: literal, reference or site; `nil` for creates.
    let identifier: Node?
    /// `DetailsDocument` (or `Details` parsed), compiled.
    let details: Node?
    /// `EntityTags`, compiled.
    let entityTags: Node?
    /// The template's `ChangeName`, if any.
    let templateName: String?
    /// The change is included in a row only when all of these hold (`{{X?}}`, `BulkRunnerIf`,
    /// `BulkRunnerUnless`).
    let conditions: [Condition]
    /// `Create…`: makes a new entity (no Identifier).
    let isCreate: Bool
    /// The indices of this change's sites.
    let sites: Range<Int>
    /// Changes it refers to with `$Name.Entity.Identifier`.
    let references: Set<Int>

    init(index: Int, location: SourceLocation, changeType: String, entityType: Node,
         identifier: Node?, details: Node?, entityTags: Node?, templateName: String?, conditions: [Condition],
         isCreate: Bool, sites: Range<Int>, references: Set<Int>) {
        self.index = index
        self.location = location
        self.changeType = changeType
        self.entityType = entityType
        self.identifier = identifier
        self.details = details
        self.entityTags = entityTags
        self.templateName = templateName
        self.conditions = conditions
        self.isCreate = isCreate
        self.sites = sites
        self.references = references
    }
}

/// A placeholder name, resolved per run to a constant, a column or nothing.
struct Slot: Sendable {
    /// The name as first written in the template.
    let name: String
    /// ``ColumnName/normalize(_:)`` of the name.
    let key: String
    /// Where it first appears.
    let location: SourceLocation
    /// Some occurrence needs a value on every row: not optional, no default, and not in a
    /// part of the template that is left out on a condition (`{{X?}}` in its change,
    /// `BulkRunnerIf`/`BulkRunnerUnless`).
    var required: Bool
    /// The conditions under which an occurrence in such a part needs a value (each list holds
    /// together); empty when there is none. A slot only in such parts is not ``required``:
    /// a row needs it only where the conditions hold.
    var requiredWhen: [[Condition]] = []
    /// Every default written for it, in order.
    var defaults: [String]
    /// Whether some occurrence is optional (`?`).
    var optional: Bool
    /// It appears in a `BulkRunnerIf`/`BulkRunnerUnless`/`BulkRunnerOptionalOn`.
    var usedInCondition: Bool
    /// It appears in such a condition on a whole change.
    var usedInChangeCondition: Bool
    /// Where it lands: the fields (keys) and the checks of the values.
    var fields: [String]
    var checks: [FieldCheck]
    var kinds: [ValueKind]
}

/// A literal template value that a check applies to (a warning when it fails).
struct LiteralCheck: Sendable {
    let location: SourceLocation
    let path: String
    let field: String
    let value: String
    let check: FieldCheck
}
