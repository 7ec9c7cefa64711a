import CatalogModels
import Foundation
import Hashing

/// A bulk-job template: a StartChangeSet request body in JSON (as in the public AWS samples)
/// whose string values hold `{{Name}}` placeholders, filled in from each CSV row.
///
/// **Shape.** The body of StartChangeSet (Catalog API reference): `Catalog` and `ChangeSet`
/// (also spelled `catalog`/`changeSet`, as the AWS blog posts do), optional `ChangeSetTags`
/// and `Intent`. Each change has `ChangeType`, `Entity` (`Type`, and `Identifier` except for
/// creates), `DetailsDocument` (or `Details` as a JSON string, parsed and treated as a
/// DetailsDocument), optional `ChangeName` and `EntityTags`. `ChangeSetName` and
/// `ClientRequestToken` are replaced by BulkRunner's own (a note says so).
///
/// **Placeholders** (inside string values only):
/// - `{{Name}}` — the `--set Name=value` constant, else the CSV column `Name`, matched
///   ignoring case, spaces, `_` and `-` (`{{RESELLER_ID}}` finds `Reseller Id`). Inserted as
///   JSON: quotes, backslashes, line breaks and `{{` in a cell are text, never syntax.
/// - `{{Name:type}}` — a whole value of another JSON type: `list` (the cell split on `;`,
///   `,`, spaces and line breaks — or on `;` and line breaks only for text items — into an
///   array of strings), `number`, `integer`, `boolean`, `json` (the cell is parsed as JSON),
///   `string`. Whole-value placeholders are typed automatically under keys the API defines
///   as arrays or numbers: `BuyerAccounts`, `CountryCodes`, `Types`, … → list; `RateCard`,
///   `Terms`, `Documents`, a whole `DetailsDocument` … → json; `OffersMaxQuantity`,
///   `MaxQuantity` → integer.
/// - `{{Name?}}` — optional: when the value is blank, the change holding it is left out of
///   that row (no expiry date → no UpdateAvailability).
/// - `{{Name|default}}` — the default text when the value is blank or there is no column.
///
/// **Conditions** (removed before sending): `"BulkRunnerIf": "COLUMN"` (also
/// `"BulkRunnerOptionalOn"`) on a change keeps it only when the column is not blank;
/// `"BulkRunnerUnless": "COLUMN"` only when it is blank. On an object inside an array they
/// keep or drop that element (a custom EULA document when `CUSTOM_EULA_URL` is given, the
/// standard one otherwise). A blank cell for a placeholder that is neither optional nor
/// defaulted nor under such a condition makes the row INVALID.
///
/// **Checked at load**, with file, line and column: JSON syntax, the shape above, placeholder
/// syntax, `$ChangeName.Entity.Identifier` references (to existing ChangeNames, and never
/// to a change that can be left out unless the referring change is left out with it), at
/// most 20 changes that every row needs, no change type twice on one entity.
public struct Template: Sendable {
    /// The compiled template, shared by every copy (a value type whose copies cost one retain).
    final class Storage: Sendable {
        let name: String
        let file: String
        let source: String
        let summary: String
        let notes: [TemplateNote]
        let catalog: String
        let changes: [TemplateChange]
        let baseNames: [String]
        let sites: [Site]
        let slots: [Slot]
        let literalChecks: [LiteralCheck]
        let changeSetTags: [Tag]?
        let intent: Intent?
        let sourceDigest: [UInt8]

        init(name: String, file: String, source: String, summary: String, output: TemplateCompiler.Output) {
            self.name = name
            self.file = file
            self.source = source
            self.summary = summary
            notes = output.notes
            catalog = output.catalog
            changes = output.changes
            baseNames = output.baseNames
            sites = output.sites
            slots = output.slots
            literalChecks = output.literalChecks
            changeSetTags = output.changeSetTags
            intent = output.intent
            sourceDigest = SHA256.hash(Array(source.utf8))
        }
    }

    let storage: Storage

    /// The template's name: a built-in's name (`grant`) or the file's path.
    public var name: String { storage.name }
    /// The file name used in messages: the path, or `builtin:grant`.
    public var file: String { storage.file }
    /// The JSON text.
    public var source: String { storage.source }
    /// One line saying what it does (built-ins), or empty.
    public var summary: String { storage.summary }
    /// Things worth knowing that do not stop anything (ignored keys, missing details).
    public var notes: [TemplateNote] { storage.notes }

    var catalog: String { storage.catalog }
    var changes: [TemplateChange] { storage.changes }
    /// Per change: the ChangeName it gets in each row before the row suffix.
    var baseNames: [String] { storage.baseNames }
    var sites: [Site] { storage.sites }
    var slots: [Slot] { storage.slots }
    var literalChecks: [LiteralCheck] { storage.literalChecks }
    var changeSetTags: [Tag]? { storage.changeSetTags }
    var intent: Intent? { storage.intent }
    /// SHA-256 of ``source``: part of every token derived from this template.
    var sourceDigest: [UInt8] { storage.sourceDigest }

    /// Compiles a template from its JSON text.
    ///
    /// - Parameters:
    ///   - json: the template text.
    ///   - file: the name to cite in messages (a path, `builtin:NAME`).
    ///   - name: the template's name; `file` when `nil`.
    ///   - summary: a one-line description.
    /// - Throws: ``BulkRunnerError`` with ``BulkRunnerError/Code/malformedTemplate``.
    public init(json: String, file: String, name: String? = nil, summary: String = "") throws(BulkRunnerError) {
        var compiler = TemplateCompiler(file: file)
        let output = try compiler.compile(source: json)
        storage = Storage(name: name ?? file, file: file, source: json, summary: summary, output: output)
    }

    /// Loads a template file.
    ///
    /// - Throws: ``BulkRunnerError``: ``BulkRunnerError/Code/cannotRead`` when the file cannot
    ///   be read or is not UTF-8, ``BulkRunnerError/Code/malformedTemplate`` otherwise.
    public init(contentsOf url: URL) throws(BulkRunnerError) {
        let data: Data
        do {
            data = try Data(contentsOf: url)
        } catch {
            throw BulkRunnerError(code: .cannotRead, file: url.path, reason: "cannot read the template: \(error.localizedDescription)",
                                  hint: "check the path and the file's permissions")
        }
        guard let text = String(data: data, encoding: .utf8) else {
            throw BulkRunnerError(code: .cannotRead, file: url.path, reason: "the template is not UTF-8 text",
                                  hint: "save the template as UTF-8")
        }
        try self.init(json: text, file: url.path, name: url.path)
    }

    /// The template a command-line argument names: a built-in template's name (see
    /// ``builtIns``), else a file path (relative to `directory`, the current directory by
    /// default). A built-in name wins over a file of the same name; write `./grant` for the file.
    ///
    /// - Throws: ``BulkRunnerError``: ``BulkRunnerError/Code/unknownTemplate`` (listing the
    ///   built-ins) when it is neither, or the errors of ``init(contentsOf:)``.
    public static func load(_ argument: String, relativeTo directory: URL? = nil) throws(BulkRunnerError) -> Template {
        if let builtIn = BuiltInTemplate.named(argument) { return try builtIn.template() }
        let base = directory ?? URL(fileURLWithPath: FileManager.default.currentDirectoryPath, isDirectory: true)
        let url = argument.hasPrefix("/") ? URL(fileURLWithPath: argument) : base.appendingPathComponent(argument)
        var isDirectory: ObjCBool = false
        if FileManager.default.fileExists(atPath: url.path, isDirectory: &isDirectory), !isDirectory.boolValue {
            return try Template(contentsOf: url)
        }
        let names = BuiltInTemplate.all.map(\.name)
        let looksLikePath = argument.contains("/") || argument.hasSuffix(".json")
        throw BulkRunnerError(
            code: looksLikePath ? .cannotRead : .unknownTemplate, file: argument,
            reason: looksLikePath ? "no such template file" : "unknown template \"\(argument)\": not a built-in template and no such file",
            hint: "the built-in templates are \(names.joined(separator: ", "))" + Suggest.didYouMean(argument, among: names)
                + "; `bulkrunner templates` lists them, or give the path of a template file")
    }

    /// The number of changes in the template (before optional ones are left out).
    public var changeCount: Int { changes.count }

    /// Whether some change creates an entity (`Create…`): sending a row twice would make two.
    public var createsEntities: Bool { changes.contains { $0.isCreate } }

    /// The number of changes every row has (those without conditions).
    public var requiredChangeCount: Int { changes.filter { $0.conditions.isEmpty }.count }

    /// The columns (or `--set` constants) the template reads, in order of first use.
    public var columns: [TemplateColumn] {
        slots.map { slot in
            let checks = slot.checks.filter { $0 != .none }
            let kinds = Set(slot.kinds)
            return TemplateColumn(
                name: slot.name, isRequired: slot.required,
                requiredWhen: slot.required ? [] : slot.requiredWhen.map(conditionText),
                defaultValue: slot.defaults.first,
                leavesOutChange: slot.optional || slot.usedInChangeCondition,
                switchesElements: slot.usedInCondition && !slot.usedInChangeCondition, fields: slot.fields,
                type: kinds.count == 1 ? kinds.first!.rawValue : (kinds.isEmpty ? "condition" : "string"),
                expects: checks.first?.expectation ?? (slot.kinds.contains(.json) ? "JSON" : "text"))
        }
    }

    /// `END_DATE is filled and EULA_URL is blank`: when a set of conditions holds, for people.
    func conditionText(_ conditions: [Condition]) -> String {
        conditions.map { "\(slots[$0.slot].name) is \($0.whenPresent ? "filled" : "blank")" }.joined(separator: " and ")
    }

    /// Warnings about literal values in the template that fail the check of their field
    /// (an AvailabilityEndDate in the past, a malformed account id), as of `today`.
    public func literalValueNotes(today: Date, allowedCurrencies: Set<String>? = ValueChecks.marketplaceCurrencyCodes) -> [TemplateNote] {
        let context = CheckContext(today: today, allowedCurrencies: allowedCurrencies)
        return literalChecks.compactMap { check in
            guard case .invalid(let problem) = check.check.run(check.value.trimmingSpaces, context: context) else { return nil }
            return TemplateNote(file: file, line: check.location.line, column: check.location.column,
                                message: "\(check.field): \(problem.message) — the service will likely reject it (\(problem.hint))")
        }
    }
}

/// A note about a template: something worth knowing that does not stop the run.
public struct TemplateNote: Sendable, Hashable, CustomStringConvertible {
    /// The template file (`builtin:NAME` for built-ins).
    public let file: String
    /// The line, from 1 (0 when unknown).
    public let line: Int
    /// The column, from 1 (0 when unknown).
    public let column: Int
    /// What to know.
    public let message: String

    /// Creates a note.
    public init(file: String, line: Int, column: Int, message: String) {
        self.file = file
        self.line = line
        self.column = column
        self.message = message
    }

    /// `FILE:LINE:COLUMN: note: message`.
    public var description: String {
        let location = line > 0 ? "\(file):\(line):\(column)" : file
        return "\(location): note: \(message)"
    }
}

/// A column (or `--set` constant) a template reads, as `bulkrunner templates show` lists it.
public struct TemplateColumn: Sendable, Hashable {
    /// The placeholder name as written (`RESELLER_ACCOUNT_ID`).
    public let name: String
    /// Whether every row needs a value (a blank cell makes the row INVALID).
    public let isRequired: Bool
    /// For a column used only in parts of the template that are left out on a condition
    /// (a change with `{{X?}}`, an element with `BulkRunnerIf`/`BulkRunnerUnless`): when a
    /// row needs it, such as `END_DATE is filled` or `CUSTOM_EULA_URL is blank` (any one of
    /// them). Empty for a required column and for one no row needs.
    public let requiredWhen: [String]
    /// The default used when the value is blank or the column is absent.
    public let defaultValue: String?
    /// Whether a blank value leaves a change out of the row (`{{NAME?}}`, `BulkRunnerIf` on a change).
    public let leavesOutChange: Bool
    /// Whether the value chooses between parts of the template (`BulkRunnerIf`/`Unless` on
    /// array elements, such as a custom or the standard EULA).
    public let switchesElements: Bool
    /// Where its value lands (`DetailsDocument.ResellerAccountId`).
    public let fields: [String]
    /// How the value is inserted: string, list, number, integer, boolean, json.
    public let type: String
    /// What the value must look like (`12-digit AWS account id`).
    public let expects: String
}
