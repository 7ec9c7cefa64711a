import Foundation
import CatalogModels

/// Evaluates one CSV row against the compiled template: resolves every placeholder,
/// decides which changes and elements are included, converts and checks every value, and
/// (for rendering) keeps the JSON of each evaluated site.
///
/// Used by both passes: pass 1 to validate and fingerprint every row, pass 2 to render the
/// rows of a change set. Deterministic: the same row gives the same result.
///
/// A class: it is read a million times, and a struct holding the template would be copied
/// (every field retained) at each call.
final class RowEvaluator: Sendable {
    let template: Template
    let bindings: TemplateBindings
    let context: CheckContext
    /// Whether values are checked. Pass 2 turns checks off: pass 1 checked the same rows,
    /// and the fingerprint comparison catches any row that changed in between.
    let checking: Bool
    let changes: [TemplateChange]
    let sites: [Site]
    let slotCount: Int

    init(template: Template, bindings: TemplateBindings, context: CheckContext, checking: Bool = true) {
        self.template = template
        self.bindings = bindings
        self.context = context
        self.checking = checking
        changes = template.changes
        sites = template.sites
        slotCount = template.slots.count
    }

    /// The same evaluator without value checks (pass 2).
    func withoutChecks() -> RowEvaluator {
        RowEvaluator(template: template, bindings: bindings, context: context, checking: false)
    }

    /// What one row evaluates to.
    struct Result {
        /// Per slot: the trimmed value, `nil` when blank or absent.
        var values: [String?]
        /// Per change: whether the row includes it.
        var included: [Bool]
        /// Per site: its JSON, when evaluated without a problem.
        var siteValues: [JSONValue?]
        /// Everything wrong with the row.
        var problems: [RowProblem]
        /// The number of changes included.
        var changeCount: Int
        /// The existing entities targeted (Entity.Identifier values that are ids, without
        /// `@revision`), per included change (nil for creates and references).
        var targets: [String?]
        /// A fingerprint of everything the row renders (for duplicate detection and for
        /// checking that pass 2 reads what pass 1 read).
        var fingerprint: Int

        var isValid: Bool { problems.isEmpty }
    }

    /// Evaluates a row from its fields (in the input's column order).
    func evaluate(_ fields: [String]) -> Result {
        var values = [String?](repeating: nil, count: slotCount)
        for slot in 0..<slotCount {
            switch bindings.sources[slot] {
            case .constant(let value): values[slot] = nonBlank(value)
            case .column(let index): values[slot] = index < fields.count ? nonBlank(fields[index]) : nil
            case .absent: values[slot] = nil
            }
        }
        var included = [Bool](repeating: false, count: changes.count)
        var siteValues = [JSONValue?](repeating: nil, count: sites.count)
        var problems: [RowProblem] = []
        var targets = [String?](repeating: nil, count: changes.count)
        var hasher = Hasher()
        var changeCount = 0
        for change in changes {
            guard holds(change.conditions, values) else {
                hasher.combine(false)
                continue
            }
            included[change.index] = true
            hasher.combine(true)
            changeCount += 1
            for siteIndex in change.sites {
                let site = sites[siteIndex]
                guard holds(site.conditions, values) else {
                    hasher.combine(0 as UInt8)
                    continue
                }
                switch evaluate(site, values) {
                case .success(let value):
                    siteValues[siteIndex] = value
                    hasher.combine(value)
                case .failure(let problem):
                    problems.append(contentsOf: problem.problems)
                }
            }
            if let identifier = change.identifier {
                switch identifier {
                case .literal(let value):
                    if let text = value.stringValue { targets[change.index] = Self.entityKey(text) }
                case .site(let index):
                    if let text = siteValues[index]?.stringValue { targets[change.index] = Self.entityKey(text) }
                default:
                    break
                }
            }
        }
        if changeCount == 0 {
            problems.append(RowProblem(
                code: .noChanges, column: nil, field: "ChangeSet",
                message: "the row makes no change: every change of the template is left out because its columns are blank — fill in the columns, or delete the row"))
        }
        if changeCount > ChangeSetLimits.maximumChanges {
            problems.append(RowProblem(
                code: .tooManyChanges, column: nil, field: "ChangeSet",
                message: "the row makes \(changeCount) changes; a change set holds at most \(ChangeSetLimits.maximumChanges) — leave some optional columns blank, or split the template in two"))
        }
        // The same change type twice on one entity (two columns holding the same id).
        var seen: [String: Int] = [:]
        for change in changes where included[change.index] {
            guard let target = targets[change.index] else { continue }
            let key = change.changeType + "|" + target
            if let first = seen[key] {
                problems.append(RowProblem(
                    code: .conflictingChanges, column: nil, field: "Entity.Identifier",
                    message: "changes \(first + 1) and \(change.index + 1) are both \(change.changeType) on \(target) — the service refuses the same change type twice for one entity in a change set; give them different ids"))
            }
            seen[key] = change.index
        }
        return Result(values: values, included: included, siteValues: siteValues, problems: problems,
                      changeCount: changeCount, targets: targets, fingerprint: hasher.finalize())
    }

    /// The lock key of an entity id: trimmed, without `@revision`.
    static func entityKey(_ id: String) -> String? {
        let trimmed = id.trimmingSpaces
        guard !trimmed.isEmpty, !trimmed.hasPrefix("$") else { return nil }
        if let at = trimmed.firstIndex(of: "@") { return String(trimmed[..<at]) }
        return trimmed
    }

    func holds(_ conditions: [Condition], _ values: [String?]) -> Bool {
        for condition in conditions where (values[condition.slot] != nil) != condition.whenPresent { return false }
        return true
    }

    func nonBlank(_ text: String) -> String? {
        let trimmed = text.trimmingSpaces
        return trimmed.isEmpty ? nil : trimmed
    }

    /// Buyer targeting holds at most 25 accounts (catalog-api.md: UpdateTargeting,
    /// UpdateBuyerTargetingTerms).
    static let maximumBuyerAccounts = 25

    struct SiteFailure: Error {
        var problems: [RowProblem]
    }

    // MARK: - Sites

    /// The value of one placeholder occurrence: the slot's value, else its default.
    func value(of ref: PlaceholderRef, _ values: [String?]) -> String? {
        values[ref.slot] ?? ref.defaultValue.flatMap(nonBlank)
    }

    /// The label of a site's value in messages: the column (and the field, when the names
    /// differ), or `field (--set NAME)`.
    func label(_ site: Site, item: Int? = nil) -> (label: String, column: String?) {
        var field = site.field
        if let item { field += " item \(item + 1)" }
        let refs = site.parts.compactMap { part -> PlaceholderRef? in
            if case .placeholder(let ref) = part { return ref }
            return nil
        }
        guard refs.count == 1, let ref = refs.first else { return (field, nil) }
        let column = bindings.labels[ref.slot]
        if case .constant = bindings.sources[ref.slot] { return ("\(field) (\(column))", column) }
        if case .absent = bindings.sources[ref.slot] { return ("\(field) (default of {{\(template.slots[ref.slot].name)}})", nil) }
        if ColumnName.normalize(column) == ColumnName.normalize(site.field) { return (field, column) }
        return ("\(column) → \(field)", column)
    }

    func blankProblem(_ site: Site, _ ref: PlaceholderRef) -> RowProblem {
        let column = bindings.labels[ref.slot]
        var what = site.kind == .list ? "one or more values" : "a value"
        if site.check != .none { what += " (\(site.check.expectation))" }
        let source: String
        switch bindings.sources[ref.slot] {
        case .constant: source = "\(column) is blank"
        case .column: source = "column \"\(column)\" is blank"
        case .absent: source = "there is no column \(column)"
        }
        return RowProblem(code: .blankValue, column: column, field: site.field,
                          message: "\(source) — \(site.field) needs \(what); fill it in")
    }

    func evaluate(_ site: Site, _ values: [String?]) -> Swift.Result<JSONValue, SiteFailure> {
        if let whole = site.whole {
            guard let text = value(of: whole, values) else {
                return .failure(SiteFailure(problems: [blankProblem(site, whole)]))
            }
            return convert(text, site)
        }
        var text = ""
        for part in site.parts {
            switch part {
            case .literal(let literal): text += literal
            case .placeholder(let ref):
                guard let value = value(of: ref, values) else {
                    return .failure(SiteFailure(problems: [blankProblem(site, ref)]))
                }
                text += value
            }
        }
        return checkString(text, site, item: nil).map { .string($0) }
    }

    func checkString(_ text: String, _ site: Site, item: Int?) -> Swift.Result<String, SiteFailure> {
        if !checking { return .success(site.check.uncheckedValue(text)) }
        if site.check.isFastValid(text, context: context), text.utf8.first != 0x24 { return .success(text) }
        if ChangeReference.looksLikeReference(text) {
            let (label, column) = label(site, item: item)
            return .failure(SiteFailure(problems: [RowProblem(
                code: .invalidValue, column: column, field: site.field,
                message: "\(label): \"\(text)\" looks like a reference to another change — a cell cannot refer to changes; enter the entity id itself")]))
        }
        switch site.check.run(text, context: context) {
        case .valid(let normalized): return .success(normalized)
        case .invalid(let problem):
            let (label, column) = label(site, item: item)
            return .failure(SiteFailure(problems: [RowProblem.value(problem, label: label, column: column, field: site.field)]))
        }
    }

    func invalid(_ site: Site, _ message: String) -> Swift.Result<JSONValue, SiteFailure> {
        let (label, column) = label(site)
        return .failure(SiteFailure(problems: [RowProblem(code: .invalidValue, column: column, field: site.field,
                                                          message: "\(label): \(message)")]))
    }

    /// Converts a whole-value placeholder's text to its JSON type and checks it.
    func convert(_ text: String, _ site: Site) -> Swift.Result<JSONValue, SiteFailure> {
        switch site.kind {
        case .string:
            return checkString(text, site, item: nil).map { .string($0) }
        case .list:
            let items = Self.split(text, ids: !TemplateCompiler.textListKeys.contains(site.field))
            guard !items.isEmpty else { return invalid(site, "the list is empty — enter one or more values separated by ;") }
            var out: [JSONValue] = []
            var problems: [RowProblem] = []
            for (index, item) in items.enumerated() {
                switch checkString(item, site, item: items.count > 1 ? index : nil) {
                case .success(let value): out.append(.string(value))
                case .failure(let failure): problems.append(contentsOf: failure.problems)
                }
            }
            if checking && site.field == "BuyerAccounts" && out.count > Self.maximumBuyerAccounts {
                problems.append(RowProblem(code: .invalidValue, column: label(site).column, field: site.field,
                                           message: "\(label(site).label): \(out.count) buyer accounts — an offer or resale authorization targets at most \(Self.maximumBuyerAccounts); split the row"))
            }
            if checking && (site.field == "BuyerAccounts" || site.field == "CountryCodes") {
                var seen = Set<String>()
                for case .string(let value) in out where !seen.insert(value).inserted {
                    problems.append(RowProblem(code: .invalidValue, column: label(site).column, field: site.field,
                                               message: "\(label(site).label): \(value) is listed twice — list each value once"))
                }
            }
            return problems.isEmpty ? .success(.array(out)) : .failure(SiteFailure(problems: problems))
        case .number:
            if let number = JSONNumber(text: text) { return .success(.number(number)) }
            let cleaned = text.replacingOccurrences(of: ",", with: "").replacingOccurrences(of: " ", with: "")
            if let number = JSONNumber(text: cleaned) {
                return invalid(site, "\"\(text)\" has separators — enter a plain number; did you mean \"\(number.text)\"?")
            }
            return invalid(site, "\"\(text)\" is not a number — enter a plain number such as 10 or 2.5")
        case .integer:
            if text.allSatisfy({ $0.isASCII && $0.isNumber }), let value = Int(text) { return .success(.number(JSONNumber(value))) }
            if text.hasPrefix("-"), let value = Int(text) { return .success(.number(JSONNumber(value))) }
            if let double = Double(text), double.rounded() == double, abs(double) < 1e15 {
                return invalid(site, "\"\(text)\" is not a whole number — enter it without decimals; did you mean \"\(Int(double))\"?")
            }
            return invalid(site, "\"\(text)\" is not a whole number — enter digits only, such as 1")
        case .boolean:
            switch text.lowercased() {
            case "true", "yes", "y", "1": return .success(.bool(true))
            case "false", "no", "n", "0": return .success(.bool(false))
            default: return invalid(site, "\"\(text)\" is not true or false — enter true or false")
            }
        case .json:
            let parsed: JSONValue
            do {
                parsed = try JSONValue(parsing: text)
            } catch {
                return invalid(site, "the cell is not valid JSON (at character \(error.column) of its line \(error.line): \(error.message)) — enter JSON such as \(Self.jsonExample(site.field))")
            }
            var problems: [RowProblem] = []
            if checking { checkJSON(parsed, key: site.field, siblings: nil, path: site.field, site: site, into: &problems) }
            return problems.isEmpty ? .success(parsed) : .failure(SiteFailure(problems: problems))
        }
    }

    /// Checks the strings inside a JSON cell by their keys (Price, CurrencyCode, …).
    func checkJSON(_ value: JSONValue, key: String, siblings: JSONObject?, path: String, site: Site,
                   into problems: inout [RowProblem]) {
        switch value {
        case .string(let text):
            let check = FieldCheck.infer(key: key, siblings: siblings, detailsDepth: 99, entityType: nil)
            guard check != .none, case .invalid(let problem) = check.run(text.trimmingSpaces, context: context) else { return }
            let (label, column) = label(site)
            problems.append(RowProblem.value(problem, label: "\(label) \(path)", column: column, field: site.field))
        case .array(let elements):
            for (index, element) in elements.enumerated() {
                checkJSON(element, key: key, siblings: siblings, path: "\(path)[\(index)]", site: site, into: &problems)
            }
        case .object(let object):
            for (childKey, child) in object {
                checkJSON(child, key: childKey, siblings: object, path: "\(path).\(childKey)", site: site, into: &problems)
            }
        case .null, .bool, .number:
            return
        }
    }

    static func jsonExample(_ field: String) -> String {
        switch field {
        case "RateCard": return "[{\"DimensionKey\": \"Users\", \"Price\": \"10.00\"}]"
        default: return "[…] or {…}"
        }
    }

    /// Splits a list cell: ids on `;` `,` whitespace and line breaks; text items on `;` and
    /// line breaks only. Items are trimmed; empty ones dropped.
    static func split(_ text: String, ids: Bool) -> [String] {
        text.split(whereSeparator: { c in
            c == ";" || c.isNewline || (ids && (c == "," || c.isWhitespace))
        }).map { String($0).trimmingSpaces }.filter { !$0.isEmpty }
    }
}

extension TemplateCompiler {
    /// List keys whose items are free text (split on `;` and line breaks only).
    static let textListKeys: Set<String> = ["Highlights", "SearchKeywords", "Categories"]
}
