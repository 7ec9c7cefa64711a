import Foundation
import CSVKit
import CatalogModels

/// Where each placeholder's value comes from in one run: a `--set` constant, a CSV column,
/// or nowhere (blank on every row). Built once from the CSV header, before any row.
struct TemplateBindings: Sendable {
    enum Source: Sendable, Hashable {
        case constant(String)
        case column(Int)
        case absent
    }

    /// Per slot.
    let sources: [Source]
    /// Per slot: the column's name as the input spells it, `--set NAME`, or the placeholder name.
    let labels: [String]
    /// Notes for absent optional columns.
    let notes: [TemplateNote]

    /// Binds `template`'s placeholders to `constants` (first) and the input's columns.
    ///
    /// - Throws: ``BulkRunnerError/Code/unknownConstant`` for a constant no placeholder
    ///   uses, ``BulkRunnerError/Code/malformedInput`` for two columns matching one
    ///   placeholder, ``BulkRunnerError/Code/unresolvedPlaceholder`` for a placeholder that
    ///   needs a value and has none.
    static func bind(_ template: Template, columns: [String], constants: [String: String],
                     inputFile: String) throws(BulkRunnerError) -> TemplateBindings {
        var constantByKey: [String: (name: String, value: String)] = [:]
        for (name, value) in constants.sorted(by: { $0.key < $1.key }) {
            let key = ColumnName.normalize(name)
            if let other = constantByKey[key] {
                throw BulkRunnerError(code: .invalidOption, field: "--set \(name)",
                                      reason: "--set \(other.name) and --set \(name) name the same placeholder",
                                      hint: "give each constant once")
            }
            constantByKey[key] = (name, value)
        }
        let slotKeys = Set(template.slots.map(\.key))
        for (key, constant) in constantByKey.sorted(by: { $0.key < $1.key }) where !slotKeys.contains(key) {
            let names = template.slots.map(\.name)
            throw BulkRunnerError(
                code: .unknownConstant, file: template.file, field: "--set \(constant.name)",
                reason: "the template has no placeholder {{\(constant.name)}}",
                hint: (names.isEmpty ? "this template has no placeholders" : "its placeholders are \(names.joined(separator: ", "))")
                    + Suggest.didYouMean(constant.name, among: names))
        }
        var columnsByKey: [String: [Int]] = [:]
        for (index, name) in columns.enumerated() {
            columnsByKey[ColumnName.normalize(name), default: []].append(index)
        }

        var sources: [Source] = []
        var labels: [String] = []
        var notes: [TemplateNote] = []
        var unresolved: [Slot] = []
        for slot in template.slots {
            if let constant = constantByKey[slot.key] {
                sources.append(.constant(constant.value))
                labels.append("--set \(constant.name)")
                continue
            }
            if let indices = columnsByKey[slot.key] {
                if indices.count > 1 {
                    let names = indices.map { "\"\(columns[$0])\"" }.joined(separator: " and ")
                    throw BulkRunnerError(
                        code: .malformedInput, file: inputFile, line: 1, field: "{{\(slot.name)}}",
                        reason: "columns \(names) both match the placeholder {{\(slot.name)}}",
                        hint: "column names are compared ignoring case, spaces, _ and -; rename or remove one of them")
                }
                sources.append(.column(indices[0]))
                labels.append(columns[indices[0]])
                continue
            }
            sources.append(.absent)
            labels.append(slot.name)
            if slot.required {
                unresolved.append(slot)
            } else if slot.defaults.isEmpty {
                var message = "no column or --set for \(slot.name): it is blank on every row"
                if slot.optional || slot.usedInCondition { message += ", so what depends on it is left out" }
                if !slot.requiredWhen.isEmpty {
                    message += (slot.optional || slot.usedInCondition ? "; " : ", so ")
                        + "a row is INVALID where it is needed (when "
                        + slot.requiredWhen.map(template.conditionText).joined(separator: " or ") + ")"
                }
                notes.append(TemplateNote(file: template.file, line: slot.location.line, column: slot.location.column,
                                          message: message))
            }
        }
        // A column the template does not use, named like a placeholder that then takes its default
        // or stays blank (EXPIRATION_DATE for {{EXPIRY_DATE}}, CURENCY for {{CURRENCY}}), is a typo
        // that would publish the wrong terms without a word: stop before anything is sent.
        let used = Set(sources.compactMap { source -> Int? in if case .column(let index) = source { index } else { nil } })
        let unused = columns.indices.filter { !used.contains($0) && !RowResult.isResultColumn(columns[$0]) }
        var lookalikes: [(column: Int, slot: Slot)] = []
        for (slot, source) in zip(template.slots, sources) where source == .absent && !slot.required {
            if let index = unused.first(where: { Suggest.resembles(columns[$0], slot.name) }) { lookalikes.append((index, slot)) }
        }
        if let (index, slot) = lookalikes.min(by: { $0.column < $1.column }) {
            let what = slot.defaults.isEmpty ? "is blank on every row" : "takes its default on every row"
            var hint = "if the column is meant for {{\(slot.name)}}, rename it \(slot.name); if it is something else, rename it so it does not look like \(slot.name)"
            let others = lookalikes.sorted { $0.column < $1.column }.dropFirst()
            if !others.isEmpty {
                hint += "\nlikewise: " + others.map { "column \"\(columns[$0.column])\" for {{\($0.slot.name)}}" }.joined(separator: ", ")
            }
            throw BulkRunnerError(
                code: .unresolvedPlaceholder, file: inputFile, line: 1, column: index + 1, field: columns[index],
                reason: "column \"\(columns[index])\" is not used by the template, and its placeholder {{\(slot.name)}} \(what)",
                hint: hint)
        }
        if let first = unresolved.first {
            let shown = columns.filter { !RowResult.isResultColumn($0) }
            var hint = shown.isEmpty ? "the input has no columns" : "the input's columns are: \(shown.joined(separator: ", "))"
            hint += Suggest.didYouMean(first.name, among: shown)
            hint += "; add the column, or give --set \(first.name)=VALUE, or a default {{\(first.name)|VALUE}}"
            if unresolved.count > 1 {
                hint += "\nalso unresolved: " + unresolved.dropFirst().map { "{{\($0.name)}}" }.joined(separator: ", ")
            }
            throw BulkRunnerError(
                code: .unresolvedPlaceholder, file: template.file, line: first.location.line, column: first.location.column,
                field: "{{\(first.name)}}",
                reason: "placeholder {{\(first.name)}} matches no --set constant and no column of \(inputFile)",
                hint: hint)
        }
        return TemplateBindings(sources: sources, labels: labels, notes: notes)
    }
}
