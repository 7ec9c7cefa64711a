import CSVKit
import Foundation

/// A ``Plan`` as a run's source: its change sets (the planner's second pass, one at a
/// time), then every row it did not plan as a decided row — INVALID (bad value or
/// duplicate), SKIPPED (done in an earlier run), NOT_SENT (held back by `--strict`) — so the
/// run's summary counts every input row.
///
/// When the input is an earlier results file, each set comes with what that file said of
/// its rows (``RunItem/changeSet(_:previous:)``): rows whose earlier change set FAILED, was
/// CANCELLED or was still PENDING have their creates looked up before they go again.
public struct PlanRunSource: RunPlanSource {
    /// The plan.
    public let plan: Plan
    private var iterator: PlanIterator?
    private var setsDone = false
    private var row = 0
    private var previousReader: CSVReader?
    private var previousColumns: [(index: Int, name: String)] = []
    private var previousRow = 0

    /// A source over `plan`.
    public init(plan: Plan) {
        self.plan = plan
    }

    /// The next change set, then the next row not planned.
    public mutating func next() throws(BulkRunnerError) -> RunItem? {
        if !setsDone {
            if iterator == nil {
                iterator = try plan.changeSets()
                openPreviousResults()
            }
            if let set = try iterator?.next() { return .changeSet(set, previous: try previousResults(of: set)) }
            setsDone = true
        }
        while row < plan.summary.rows {
            let index = row
            row += 1
            switch plan.disposition(ofRow: index) {
            case .planned:
                continue
            case .invalid:
                return .row(index: index, result: RowResult(outcome: .invalid))
            case .duplicate:
                return .row(index: index, result: RowResult(outcome: .invalid, errorCode: RowProblem.Code.duplicateRow.rawValue))
            case .skipped:
                return .row(index: index, result: RowResult(outcome: .skipped))
            case .held:
                return .row(index: index, result: RowResult(outcome: .notSent, errorMessage: Plan.heldMessage(invalidRows: plan.summary.invalidRows)))
            case .unknown:
                return .row(index: index, result: RowResult(outcome: .pending, errorMessage: "not planned"))
            }
        }
        return nil
    }

    /// Opens a second reader on the input when it carries results columns.
    private mutating func openPreviousResults() {
        guard let reader = try? CSVReader(path: plan.input.path, options: plan.options.csv) else { return }
        for (index, name) in (reader.header?.names ?? []).enumerated() {
            if let canonical = RowResult.canonicalColumnName(name) { previousColumns.append((index, canonical)) }
        }
        if previousColumns.contains(where: { $0.name == "Outcome" }) { previousReader = reader }
    }

    /// The earlier results of `set`'s rows (rows come in input order, so one forward pass).
    private mutating func previousResults(of set: PlannedChangeSet) throws(BulkRunnerError) -> [Int: RowResult] {
        guard let reader = previousReader else { return [:] }
        var found: [Int: RowResult] = [:]
        for index in set.rowIndices.sorted() where index >= previousRow {
            while previousRow <= index {
                let record: CSVRecord?
                do {
                    record = try reader.next()
                } catch {
                    throw BulkRunnerError(csv: error)
                }
                guard let record else {
                    previousReader = nil
                    return found
                }
                if previousRow == index {
                    var cells: [String: String] = [:]
                    for column in previousColumns where column.index < record.fields.count {
                        cells[column.name] = record.fields[column.index]
                    }
                    found[index] = RowResult(cells: cells)
                }
                previousRow += 1
            }
        }
        return found
    }
}

extension BulkRun {
    /// Refreshes a run of `plan` from its journal: polls what is open, sends nothing new
    /// (``RunOptions/sendsChangeSets`` off), and returns every row's result.
    public func refresh(plan: Plan) async throws(BulkRunnerError) -> RunReport {
        var options = options
        options.sendsChangeSets = false
        let refresh = BulkRun(api: api, clock: clock, options: options, journal: journal, control: control, onEvent: onEvent)
        return try await refresh.run(plan: plan)
    }

    /// Runs every change set of `plan` (see ``run(plan:identity:expectedRows:)``) with the
    /// plan's run identity; the report holds every input row.
    public func run(plan: Plan) async throws(BulkRunnerError) -> RunReport {
        try await run(plan: PlanRunSource(plan: plan), identity: plan.runIdentity, expectedRows: plan.summary.rows)
    }
}

extension Plan {
    /// Writes the results file of a run of this plan: planned rows get the run's results,
    /// the others what the plan decided (INVALID with its problems, SKIPPED keeping its
    /// earlier columns — see ``dryRunResult(for:)``). Atomic and spreadsheet-safe (``ResultsWriter``).
    @discardableResult
    public func writeRunResults(_ report: RunReport, to output: URL) throws(BulkRunnerError) -> Int {
        let writer = ResultsWriter(input: input, output: output, readerOptions: options.csv)
        return try writer.write { (row: ResultsWriter.Row) throws(BulkRunnerError) -> RowResult in
            if case .planned = disposition(ofRow: row.rowIndex) { return report.result(for: row.rowIndex) }
            return dryRunResult(for: row)
        }
    }
}
