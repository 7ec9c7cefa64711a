import CSVKit
import CatalogModels
import Foundation

extension Plan {
    /// Starts the second pass: re-reads the input and hands out the planned change sets in
    /// order, one at a time (only the set being built is in memory).
    ///
    /// - Throws: ``BulkRunnerError`` when the input cannot be opened again or its header changed.
    public func changeSets() throws(BulkRunnerError) -> PlanIterator {
        try PlanIterator(plan: self)
    }

    /// The planned change sets as an `AsyncSequence` (the same second pass as
    /// ``changeSets()``, opened on the first `next()`).
    public var asyncChangeSets: PlannedChangeSets { PlannedChangeSets(plan: self) }
}

/// The planner's second pass: renders the rows of each planned change set and builds its
/// request, token and name, one set per ``next()``.
///
/// It checks that it reads what the first pass read: a row that is now invalid, a set whose
/// rows' fingerprint differs, or a different number of rows throws
/// ``BulkRunnerError/Code/inputChanged`` before the set is handed out. A reference type
/// (it owns the reader); use it from one task at a time.
public final class PlanIterator {
    let plan: Plan
    let reader: CSVReader
    var rowIndex = 0
    var nextSet = 0
    var pending: RenderedRow?
    var finished = false
    let evaluator: RowEvaluator
    let builder: SetBuilder

    init(plan: Plan) throws(BulkRunnerError) {
        self.plan = plan
        evaluator = plan.evaluator.withoutChecks()
        builder = SetBuilder(plan: plan)
        do {
            reader = try CSVReader(path: plan.input.path, options: plan.options.csv)
        } catch {
            throw BulkRunnerError(csv: error)
        }
        guard (reader.header?.names ?? []) == plan.headerNames else { throw Plan.inputChangedError(plan.input.path) }
        reader.undoesFormulaGuard = Plan.isResultsFile(plan.headerNames)
    }

    /// The next planned change set, or `nil` after the last.
    public func next() throws(BulkRunnerError) -> PlannedChangeSet? {
        guard nextSet < plan.changeSetCount else {
            try finish()
            return nil
        }
        let index = nextSet
        let end = index + 1 < plan.changeSetCount ? Int(plan.setFirstRow[index + 1]) : Int.max
        var rows: [RenderedRow] = []
        if let pending {
            rows.append(pending)
            self.pending = nil
        }
        while let record = try read() {
            let current = rowIndex
            rowIndex += 1
            guard current < plan.rowCount else { throw Plan.inputChangedError(plan.input.path) }
            guard plan.rowStates[current] == Plan.RowState.planned.rawValue else { continue }
            let result = evaluator.evaluate(record.fields)
            guard result.isValid else { throw Plan.inputChangedError(plan.input.path) }
            let row = RenderedRow(rowIndex: current, line: record.line, result: result)
            if current >= end {
                pending = row
                break
            }
            rows.append(row)
        }
        var hasher = Hasher()
        for row in rows { hasher.combine(row.result.fingerprint) }
        guard !rows.isEmpty, rows[0].rowIndex == Int(plan.setFirstRow[index]),
              hasher.finalize() == plan.setFingerprint[index] else {
            throw Plan.inputChangedError(plan.input.path)
        }
        nextSet += 1
        return builder.build(index: index, rows: rows)
    }

    func read() throws(BulkRunnerError) -> CSVRecord? {
        do {
            return try reader.next()
        } catch {
            throw BulkRunnerError(csv: error)
        }
    }

    /// After the last set: the rest of the input must still hold the rows planned.
    func finish() throws(BulkRunnerError) {
        guard !finished else { return }
        finished = true
        if pending != nil { throw Plan.inputChangedError(plan.input.path) }
        while try read() != nil { rowIndex += 1 }
        guard rowIndex == plan.rowCount else { throw Plan.inputChangedError(plan.input.path) }
    }
}

@available(*, unavailable, message: "a plan iterator is used from one task at a time")
extension PlanIterator: Sendable {}

/// The planned change sets of a ``Plan`` as an `AsyncSequence`.
public struct PlannedChangeSets: AsyncSequence, Sendable {
    /// A planned change set.
    public typealias Element = PlannedChangeSet

    let plan: Plan

    /// Opens the second pass lazily.
    public func makeAsyncIterator() -> Iterator {
        Iterator(plan: plan)
    }

    /// Hands out the sets one at a time; throws ``BulkRunnerError``.
    public struct Iterator: AsyncIteratorProtocol {
        let plan: Plan
        var base: PlanIterator?

        init(plan: Plan) {
            self.plan = plan
        }

        /// The next set, or `nil` after the last.
        public mutating func next() async throws -> PlannedChangeSet? {
            if base == nil { base = try plan.changeSets() }
            return try base!.next()
        }
    }
}

