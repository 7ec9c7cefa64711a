import CSVKit
import CatalogModels
import Foundation

/// The result of the planner's first pass over the input: which rows are valid, which are
/// INVALID or duplicates, how the valid rows are packed into change sets and in which
/// order those may go — as compact per-row and per-set facts, never the rendered requests.
///
/// Get it from ``Planner/analyze(input:template:constants:options:runIdentity:)``. Then:
/// - ``changeSets()`` re-reads the input and hands out the ``PlannedChangeSet``s one at a
///   time (the second pass); ``asyncChangeSets`` is the same as an `AsyncSequence`;
/// - ``disposition(ofRow:)`` and ``dryRunResult(for:)`` say what became of each row, for
///   the results file (``ResultsWriter``), merged by row index.
///
/// Memory: one byte per row and a few bytes per change set are kept; while the first pass
/// runs, two hash tables (row fingerprints for duplicate detection, entity ids for ordering)
/// add about 25 MB per million rows each. A million-row dry run peaks near 55 MB in all.
public struct Plan: Sendable {
    /// The input CSV.
    public let input: URL
    /// The template.
    public let template: Template
    /// The run identity in every token and change-set name.
    public let runIdentity: RunIdentity
    /// The options used.
    public let options: PlanOptions
    /// The counts, notes and first problems.
    public let summary: PlanSummary

    let evaluator: RowEvaluator
    let headerNames: [String]
    let rowCount: Int
    /// Per row: ``RowState`` raw values.
    let rowStates: [UInt8]
    /// Duplicate row index → line of the row it duplicates.
    let duplicateOf: [Int32: Int32]
    /// Per set: the index of its first row.
    let setFirstRow: [Int32]
    /// Per set: the fingerprint of its rows (checked again in pass 2).
    let setFingerprint: [Int]
    /// Per set: `dependencyStart[k]..<dependencyStart[k + 1]` in `dependencyList`.
    let dependencyStart: [Int32]
    let dependencyList: [Int32]
    let setWave: [Int32]
    /// Digits in the row suffix of ChangeNames (`R000017`): at least 6.
    let lineDigits: Int

    enum RowState: UInt8 {
        case planned = 0, invalid, duplicate, skipped
    }

    /// The number of change sets planned.
    public var changeSetCount: Int { setFirstRow.count }

    /// What became of row `rowIndex` (0-based data row) in this plan.
    public func disposition(ofRow rowIndex: Int) -> RowDisposition {
        guard rowIndex >= 0, rowIndex < rowCount else { return .unknown }
        switch RowState(rawValue: rowStates[rowIndex]) ?? .invalid {
        case .invalid: return .invalid
        case .duplicate: return .duplicate(ofLine: Int(duplicateOf[Int32(rowIndex)] ?? 0))
        case .skipped: return .skipped
        case .planned:
            if summary.stoppedByStrict { return .held }
            return .planned(changeSet: changeSetIndex(ofRow: rowIndex) + 1)
        }
    }

    /// The 0-based index of the set holding planned row `rowIndex`.
    func changeSetIndex(ofRow rowIndex: Int) -> Int {
        var low = 0, high = setFirstRow.count - 1
        while low < high {
            let mid = (low + high + 1) / 2
            if Int(setFirstRow[mid]) <= rowIndex { low = mid } else { high = mid - 1 }
        }
        return low
    }

    /// The problems of an INVALID row (re-evaluated from its cells; the plan does not keep
    /// messages, so a million bad rows cost no memory). Empty for a valid row.
    public func problems(for record: CSVRecord, rowIndex: Int) -> [RowProblem] {
        if case .duplicate(let line) = disposition(ofRow: rowIndex) {
            return [Self.duplicateProblem(line: line)]
        }
        return evaluator.evaluate(record.fields).problems
    }

    static func duplicateProblem(line: Int) -> RowProblem {
        RowProblem(code: .duplicateRow, column: nil, field: "",
                   message: "duplicate of line \(line): this row would send exactly the same changes again (a create would make a second entity) — delete one of the two rows")
    }

    /// The results-file outcome of a row after a dry run: PLANNED, INVALID (with the
    /// problems), SKIPPED (keeping its earlier outcome columns), or NOT_SENT when `--strict`
    /// held everything back.
    public func dryRunResult(for row: ResultsWriter.Row) -> RowResult {
        if row.rowIndex < rowCount, rowStates[row.rowIndex] == RowState.planned.rawValue, !summary.stoppedByStrict {
            return RowResult(outcome: .planned)  // the common case, without locating its set
        }
        switch disposition(ofRow: row.rowIndex) {
        case .planned:
            return RowResult(outcome: .planned)
        case .held:
            return RowResult(outcome: .notSent, errorMessage: Self.heldMessage(invalidRows: summary.invalidRows))
        case .invalid, .duplicate:
            let problems = self.problems(for: row.record, rowIndex: row.rowIndex)
            return RowResult(outcome: .invalid, errorCode: problems.first?.code.rawValue,
                             errorMessage: problems.map(\.message).joined(separator: " | "))
        case .skipped:
            if row.previous == nil || row.record.fields.allSatisfy({ $0.allSatisfy { $0 == " " || $0 == "\t" } }) {
                return RowResult(outcome: .skipped, errorMessage: "empty row: every cell is blank, nothing to do")
            }
            var result = row.previous ?? RowResult(outcome: .skipped)
            let earlier = result.outcome
            result.outcome = .skipped
            if earlier != .skipped { result.errorMessage = "already \(earlier.rawValue) in an earlier run" }
            return result
        case .unknown:
            return RowResult(outcome: .invalid, errorCode: "INPUT_CHANGED",
                             errorMessage: "the input changed while planning; plan again")
        }
    }

    /// Writes the dry-run results file: every input row with PLANNED, INVALID, SKIPPED or
    /// NOT_SENT (see ``ResultsWriter`` for the guarantees).
    ///
    /// - Throws: the errors of ``ResultsWriter/write(_:)``, and
    ///   ``BulkRunnerError/Code/inputChanged`` when the input no longer has the rows planned.
    @discardableResult
    public func writeDryRunResults(to output: URL) throws(BulkRunnerError) -> Int {
        let writer = ResultsWriter(input: input, output: output, readerOptions: options.csv)
        let expected = rowCount
        let file = input.path
        let count = try writer.write { (row: ResultsWriter.Row) throws(BulkRunnerError) -> RowResult in
            guard row.rowIndex < expected else { throw Plan.inputChangedError(file) }
            return dryRunResult(for: row)
        }
        guard count == expected else { throw Plan.inputChangedError(file) }
        return count
    }

    /// Why a valid row was held back by `--strict`.
    static func heldMessage(invalidRows: Int) -> String {
        "not sent: --strict held every row back because \(Plural.count(invalidRows, "row")) \(invalidRows == 1 ? "is" : "are") INVALID; "
            + "this row is valid: fix the INVALID ones, then retry the results file, which sends it"
    }

    static func inputChangedError(_ file: String) -> BulkRunnerError {
        BulkRunnerError(code: .inputChanged, file: file, reason: "the input changed while it was being planned",
                        hint: "let whatever writes the file finish, then plan again; nothing was sent")
    }
}

/// What the plan decided for one input row.
public enum RowDisposition: Sendable, Hashable {
    /// Planned into change set number `changeSet` (from 1).
    case planned(changeSet: Int)
    /// INVALID: some value fails its check (see ``Plan/problems(for:rowIndex:)``).
    case invalid
    /// INVALID: renders the same request as the row on line `ofLine`.
    case duplicate(ofLine: Int)
    /// SKIPPED because of its earlier outcome.
    case skipped
    /// Valid, but not planned because `--strict` found INVALID rows (NOT_SENT).
    case held
    /// Not a row of the plan (the input changed).
    case unknown
}
