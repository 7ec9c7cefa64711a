import CSVKit
import CatalogModels
import Foundation

/// The planner's first pass: reads and checks every row before anything is sent, and
/// decides how the valid rows are packed and ordered.
///
/// **Packing.** Valid rows are packed in input order into change sets of at most 20
/// changes (StartChangeSet's limit): as many whole rows as fit, or at most
/// ``PlanOptions/rowsPerChangeSet``. A row is never split across sets.
///
/// **Ordering.** Rows that target the same existing entity (`Entity.Identifier` ids, such as
/// two restrict rows for one `resaleauthz-…`, or an expiry change and a pricing change to
/// one offer) are never in one set, and the later set lists the earlier one in its
/// ``PlannedChangeSet/dependencies``: the runner sends it only when that one is final, so
/// the two are never open at once (the service locks every entity of an open set). Sets
/// carry a ``PlannedChangeSet/wave`` number as well.
///
/// **Duplicates.** A row that would send exactly the same request as an earlier row (every
/// value equal after trimming) is INVALID, "duplicate of line N", unless
/// ``PlanOptions/allowDuplicateRows``: a row pasted twice would otherwise create a second
/// resale authorization. Rows that merely share an entity are not duplicates; they are ordered.
/// Rows are compared by a 64-bit fingerprint of everything they render (values after
/// trimming, which changes they include): the chance that two different rows of a million
/// share one is about 3 in 100 million.
///
/// **Errors that stop everything** (thrown, nothing planned): a malformed CSV
/// (file:line:column), an unresolved placeholder, a `--set` for no placeholder, a constant
/// that fails its field's check, an option out of range.
extension Plan {
    /// Whether columns are those of a results file this tool wrote (they hold `Outcome`):
    /// its cells went through the formula guard and are read back without it.
    static func isResultsFile(_ columns: [String]) -> Bool {
        columns.contains { RowResult.canonicalColumnName($0) == "Outcome" }
    }
}

public enum Planner {
    /// Reads the whole input once, checking every row, and returns the plan.
    ///
    /// - Parameters:
    ///   - input: the CSV file (first record: header).
    ///   - template: the compiled template.
    ///   - constants: `--set NAME=VALUE` constants; they win over columns of the same name.
    ///   - options: validation, packing and CSV options.
    ///   - runIdentity: the run's identity, part of every token and change-set name.
    /// - Throws: ``BulkRunnerError``; see the type's documentation.
    public static func analyze(input: URL, template: Template, constants: [String: String] = [:],
                               options: PlanOptions, runIdentity: RunIdentity) throws(BulkRunnerError) -> Plan {
        try options.validate()
        let reader: CSVReader
        do {
            reader = try CSVReader(path: input.path, options: options.csv)
        } catch {
            throw BulkRunnerError(csv: error)
        }
        guard let header = reader.header else {
            throw BulkRunnerError(code: .malformedInput, file: input.path, line: 1, column: 1,
                                  reason: "the input is empty: it has no header row",
                                  hint: "the first line names the columns, e.g. RESELLER_ACCOUNT_ID,PRODUCT_ID,NAME,PRICE")
        }
        let columns = header.names
        // A results file fed in again: read its cells as they were before the formula guard.
        reader.undoesFormulaGuard = Plan.isResultsFile(columns)
        let bindings = try TemplateBindings.bind(template, columns: columns, constants: constants, inputFile: input.path)
        let context = CheckContext(today: options.today, allowedCurrencies: options.allowedCurrencies)
        let evaluator = RowEvaluator(template: template, bindings: bindings, context: context)
        try checkConstants(template: template, bindings: bindings, evaluator: evaluator)

        let outcomeColumn = options.skipRowsWithOutcomes.isEmpty
            ? nil : columns.firstIndex { RowResult.canonicalColumnName($0) == "Outcome" }

        var pass = FirstPass(options: options, targetsEntities: template.changes.contains { change in
            guard let identifier = change.identifier else { return false }
            if case .reference = identifier { return false }
            return true
        })
        var rowIndex = 0
        var maxLine = 0
        var estimatedBytes = 0
        var sampleProblems: [RowDiagnostic] = []
        while true {
            let record: CSVRecord?
            do {
                record = try reader.next()
            } catch {
                throw BulkRunnerError(csv: error)
            }
            guard let record else { break }
            maxLine = max(maxLine, record.line)
            if rowIndex < 1000 {
                estimatedBytes += record.fields.reduce(record.fields.count + 1) { $0 + $1.utf8.count }
                if rowIndex == 999 { pass.reserve(estimatedRows: estimatedRowCount(input, bytesPerRow: estimatedBytes / 1000)) }
            }
            // A row whose every cell is blank (a spreadsheet's trailing `,,,,` lines) is nothing to
            // do, not an INVALID row; so is one already done in an earlier run.
            if Self.isBlank(record) || (outcomeColumn.map { column in
                column < record.fields.count && RowOutcome(cell: record.fields[column]).map(options.skipRowsWithOutcomes.contains) == true
            } ?? false) {
                pass.skip()
                rowIndex += 1
                continue
            }
            let result = evaluator.evaluate(record.fields)
            if !result.isValid {
                pass.invalid()
                if sampleProblems.count < options.sampleProblemLimit {
                    sampleProblems.append(RowDiagnostic(file: input.path, line: record.line, rowIndex: rowIndex, problems: result.problems))
                }
            } else if let first = pass.duplicate(result.fingerprint, line: record.line, rowIndex: rowIndex) {
                if sampleProblems.count < options.sampleProblemLimit {
                    sampleProblems.append(RowDiagnostic(file: input.path, line: record.line, rowIndex: rowIndex,
                                                        problems: [Plan.duplicateProblem(line: first)]))
                }
            } else {
                pass.plan(rowIndex: rowIndex, result)
            }
            rowIndex += 1
        }
        pass.finish()

        let stopped = options.strict && pass.invalidCount > 0
        let held = stopped ? pass.plannedCount : 0
        if stopped { pass.dropSets() }
        var notes = template.notes + bindings.notes
        notes += template.literalValueNotes(today: options.today, allowedCurrencies: options.allowedCurrencies)
        let summary = PlanSummary(
            inputFile: input.path, rows: rowIndex, plannedRows: stopped ? 0 : pass.plannedCount,
            invalidRows: pass.invalidCount, duplicateRows: pass.duplicateCount, skippedRows: pass.skippedCount,
            heldRows: held, changeSets: pass.setFirstRow.count, changes: stopped ? 0 : pass.changeCount,
            waves: pass.setWave.isEmpty ? 0 : Int(pass.setWave.max()!) + 1, stoppedByStrict: stopped,
            notes: notes, sampleProblems: sampleProblems)
        return Plan(input: input, template: template, runIdentity: runIdentity, options: options, summary: summary,
                    evaluator: evaluator, headerNames: columns, rowCount: rowIndex, rowStates: pass.states,
                    duplicateOf: pass.duplicateOf, setFirstRow: pass.setFirstRow, setFingerprint: pass.setFingerprint,
                    dependencyStart: pass.dependencyStart, dependencyList: pass.dependencyList, setWave: pass.setWave,
                    lineDigits: max(6, String(maxLine).count))
    }

    /// The input's size divided by the average row size of its first rows.
    static func estimatedRowCount(_ input: URL, bytesPerRow: Int) -> Int {
        guard bytesPerRow > 0,
              let size = (try? FileManager.default.attributesOfItem(atPath: input.path)[.size]) as? NSNumber else { return 0 }
        return Int(size.int64Value / Int64(bytesPerRow))
    }

    /// Sites that take no column (only constants and defaults) are the same on every row:
    /// check them once, and stop when one fails (every row would be INVALID).
    static func checkConstants(template: Template, bindings: TemplateBindings,
                               evaluator: RowEvaluator) throws(BulkRunnerError) {
        var values = [String?](repeating: nil, count: template.slots.count)
        for (slot, source) in bindings.sources.enumerated() {
            if case .constant(let value) = source { values[slot] = evaluator.nonBlank(value) }
        }
        for site in template.sites {
            var usesConstant = false
            var rowIndependent = true
            for case .placeholder(let ref) in site.parts {
                switch bindings.sources[ref.slot] {
                case .constant: usesConstant = true
                case .column: rowIndependent = false
                case .absent: if ref.defaultValue == nil { rowIndependent = false }
                }
            }
            guard rowIndependent else { continue }
            // Only when the site would be included: its change's and its own conditions.
            let change = template.changes[site.change]
            guard evaluator.holds(change.conditions, values), evaluator.holds(site.conditions, values) else { continue }
            guard case .failure(let failure) = evaluator.evaluate(site, values), let problem = failure.problems.first else { continue }
            let isBlank = problem.code == .blankValue
            if isBlank && !usesConstant { continue }
            throw BulkRunnerError(
                code: usesConstant ? .invalidConstant : .malformedTemplate, file: template.file,
                line: site.location.line, column: site.location.column,
                field: problem.column ?? site.field,
                reason: problem.message,
                hint: usesConstant ? "every row would be INVALID; fix the --set value" : "fix the default in the template")
        }
    }
}

/// The state of the first pass: per-row states, duplicate detection, and streaming packing.
struct FirstPass {
    let maximumChanges = ChangeSetLimits.maximumChanges
    let rowsPerSet: Int
    let allowDuplicates: Bool

    var states: [UInt8] = []
    var duplicateOf: [Int32: Int32] = [:]
    var firstLineOf: [Int: Int32] = [:]
    var invalidCount = 0
    var duplicateCount = 0
    var skippedCount = 0
    var plannedCount = 0
    var changeCount = 0

    var setFirstRow: [Int32] = []
    var setFingerprint: [Int] = []
    var dependencyStart: [Int32] = [0]
    var dependencyList: [Int32] = []
    var setWave: [Int32] = []
    var entityLastSet: [Int: Int32] = [:]

    // The open set.
    var open = false
    var openChanges = 0
    var openRows = 0
    var openEntities: Set<Int> = []
    var openDependencies: Set<Int32> = []
    var openHasher = Hasher()

    /// Whether rows target existing entities (then the ordering table fills up too).
    let targetsEntities: Bool

    init(options: PlanOptions, targetsEntities: Bool) {
        rowsPerSet = options.rowsPerChangeSet ?? Int.max
        allowDuplicates = options.allowDuplicateRows
        self.targetsEntities = targetsEntities
    }

    /// Sizes the per-row tables for the whole input at once: growing a hash table by
    /// doubling holds the old and the new table together, the peak memory of the pass.
    mutating func reserve(estimatedRows: Int) {
        guard estimatedRows > 1000, estimatedRows < 200_000_000 else { return }
        let wanted = estimatedRows + estimatedRows / 16
        states.reserveCapacity(wanted)
        if !allowDuplicates { firstLineOf.reserveCapacity(wanted) }
        if targetsEntities { entityLastSet.reserveCapacity(wanted) }
    }

    mutating func skip() {
        states.append(Plan.RowState.skipped.rawValue)
        skippedCount += 1
    }

    mutating func invalid() {
        states.append(Plan.RowState.invalid.rawValue)
        invalidCount += 1
    }

    /// The line of the earlier row this one duplicates (and records it), or `nil`.
    mutating func duplicate(_ fingerprint: Int, line: Int, rowIndex: Int) -> Int? {
        guard !allowDuplicates else { return nil }
        if let first = firstLineOf[fingerprint] {
            states.append(Plan.RowState.duplicate.rawValue)
            duplicateOf[Int32(rowIndex)] = first
            invalidCount += 1
            duplicateCount += 1
            return Int(first)
        }
        firstLineOf[fingerprint] = Int32(truncatingIfNeeded: line)
        return nil
    }

    mutating func plan(rowIndex: Int, _ result: RowEvaluator.Result) {
        states.append(Plan.RowState.planned.rawValue)
        plannedCount += 1
        changeCount += result.changeCount
        var entities: [Int] = []
        for case let target? in result.targets { entities.append(target.hashValue) }
        if open {
            let full = openChanges + result.changeCount > maximumChanges || openRows >= rowsPerSet
            let conflict = entities.contains { openEntities.contains($0) }
            if full || conflict { close() }
        }
        if !open {
            open = true
            setFirstRow.append(Int32(rowIndex))
        }
        let current = Int32(setFirstRow.count - 1)
        openChanges += result.changeCount
        openRows += 1
        openHasher.combine(result.fingerprint)
        for entity in entities {
            if let last = entityLastSet[entity], last != current { openDependencies.insert(last) }
            entityLastSet[entity] = current
            openEntities.insert(entity)
        }
    }

    mutating func close() {
        guard open else { return }
        let dependencies = openDependencies.sorted()
        dependencyList.append(contentsOf: dependencies)
        dependencyStart.append(Int32(dependencyList.count))
        setWave.append(dependencies.map { setWave[Int($0)] + 1 }.max() ?? 0)
        setFingerprint.append(openHasher.finalize())
        open = false
        openChanges = 0
        openRows = 0
        openEntities.removeAll(keepingCapacity: true)
        openDependencies.removeAll(keepingCapacity: true)
        openHasher = Hasher()
    }

    mutating func finish() {
        close()
        firstLineOf = [:]
        entityLastSet = [:]
    }

    mutating func dropSets() {
        setFirstRow = []
        setFingerprint = []
        dependencyStart = [0]
        dependencyList = []
        setWave = []
    }
}

extension Planner {
    /// Whether every cell of `record` is blank (spaces only).
    static func isBlank(_ record: CSVRecord) -> Bool {
        record.fields.allSatisfy { $0.allSatisfy { $0 == " " || $0 == "\t" } }
    }
}
