import Foundation

/// What an apply run ended with: every row's result, merged from the plan's decisions and the
/// two waves, and the counts.
///
/// **Two-step rows** (a re-grant): `Outcome` is SUCCEEDED only when both steps succeeded;
/// `ChangeSetId`, `ChangeSetArn` and `ChangeSetStatus` hold both change sets in the order they
/// were sent, joined with `;` (`grant;restrict` by default); `EntityId` is the new
/// authorization; `Attempts` adds both; when a step did not succeed, `ErrorMessage` says which,
/// what state that leaves the partner in and what to do.
public struct ApplyReport: Sendable {
    /// Each row's result, by 0-based row index.
    public let results: [Int: RowResult]
    /// The counts.
    public let summary: ApplySummary

    init(plan: ApplyPlan, first: RunReport?, second: RunReport?, secondSkipped: String?, elapsed: Double) {
        var results: [Int: RowResult] = [:]
        for row in plan.rows {
            switch row.disposition {
            case .decided(let result):
                results[row.rowIndex] = result
            case .planned(let steps):
                let one = first?.result(for: row.rowIndex)
                    ?? RowResult(outcome: .pending, errorMessage: "not sent; run the same command again")
                if steps.count < 2 {
                    results[row.rowIndex] = one
                } else {
                    var two = second?.results[row.rowIndex]
                    if two == nil, one.outcome == .succeeded {
                        two = RowResult(outcome: .pending, errorMessage: secondSkipped ?? "not sent yet; run the same command again")
                    }
                    results[row.rowIndex] = Self.combine(one, two, steps: steps, entityId: row.entityId)
                }
            }
        }
        self.results = results
        summary = ApplySummary(results: results, first: first?.summary, second: second?.summary, elapsed: elapsed)
    }

    /// The result of row `rowIndex`.
    public func result(for rowIndex: Int) -> RowResult {
        results[rowIndex] ?? RowResult(outcome: .pending, errorMessage: "the run did not reach this row; run the same command again")
    }

    /// Writes the results file: the sheet as it is, every column kept, with the outcome
    /// columns appended (atomic, spreadsheet-safe: ``ResultsWriter``).
    @discardableResult
    public func write(plan: ApplyPlan, to output: URL) throws(BulkRunnerError) -> Int {
        try ResultsWriter(input: plan.sheet.url, output: output, readerOptions: plan.sheet.csv).write {
            (row: ResultsWriter.Row) throws(BulkRunnerError) -> RowResult in result(for: row.rowIndex)
        }
    }

    /// One row's two steps as one result (see the type's documentation).
    static func combine(_ first: RowResult, _ second: RowResult?, steps: [ApplyStep], entityId old: String) -> RowResult {
        let grantFirst = steps[0].role == .grant
        let grant = grantFirst ? first : second
        func joined(_ a: String?, _ b: String?) -> String? {
            let parts = [a, b].compactMap { $0 }.filter { !$0.isEmpty }
            return parts.isEmpty ? nil : parts.joined(separator: ";")
        }
        var result = RowResult(outcome: first.outcome)
        result.changeSetId = joined(first.changeSetId, second?.changeSetId)
        result.changeSetArn = joined(first.changeSetArn, second?.changeSetArn)
        result.changeSetStatus = joined(first.changeSetStatus, second?.changeSetStatus)
        result.attempts = first.attempts + (second?.attempts ?? 0)
        let new = grant?.outcome == .succeeded ? grant?.entityId : nil
        result.entityId = new ?? old

        guard first.outcome == .succeeded, let second else {
            // The first step did not succeed: the second was not sent.
            result.failureCode = first.failureCode
            result.errorCode = first.errorCode
            let why = first.errorMessage.map { ": \($0)" } ?? ""
            switch (grantFirst, first.outcome) {
            case (true, .pending):
                result.errorMessage = "granting the new authorization is not final\(why); \(old) stays Active until it is, then it is restricted"
            case (true, _):
                result.errorMessage = "granting the new authorization \(first.outcome.rawValue)\(why); \(old) was left Active (not restricted)"
            case (false, .pending):
                result.errorMessage = "restricting \(old) is not final\(why); the new authorization is granted once it is"
            case (false, _):
                result.errorMessage = "restricting \(old) \(first.outcome.rawValue)\(why); no new authorization was granted"
            }
            return result
        }
        result.outcome = second.outcome
        result.failureCode = second.failureCode
        result.errorCode = second.errorCode
        let why = second.errorMessage.map { ": \($0)" } ?? ""
        switch (grantFirst, second.outcome) {
        case (_, .succeeded):
            result.errorMessage = nil
        case (true, .pending):
            result.errorMessage = "\(new ?? "the new authorization") is granted; restricting \(old) is not final\(why)"
        case (true, _):
            result.errorMessage = "\(new ?? "the new authorization") is granted and Active, but restricting \(old) \(second.outcome.rawValue)\(why); the partner holds both prices until \(old) is restricted (e.g. Action RESTRICT in a fresh export)"
        case (false, .pending):
            result.errorMessage = "\(old) is restricted; granting the new authorization is not final\(why)"
        case (false, _):
            result.errorMessage = "\(old) is restricted, but granting the new authorization \(second.outcome.rawValue)\(why); the partner has no authorization for this product until one is granted (fix the cause, then `bulkrunner grant`)"
        }
        return result
    }
}

/// The counts of an apply run; they add up to the sheet's rows.
public struct ApplySummary: Sendable, Hashable {
    /// All rows.
    public var total = 0
    /// SUCCEEDED rows.
    public var succeeded = 0
    /// FAILED rows.
    public var failed = 0
    /// INVALID rows (never sent).
    public var invalid = 0
    /// STALE rows (never sent).
    public var stale = 0
    /// PENDING rows.
    public var pending = 0
    /// CANCELLED rows.
    public var cancelled = 0
    /// SKIPPED rows.
    public var skipped = 0
    /// The most frequent error codes of FAILED, INVALID and STALE rows (at most 5).
    public var topErrors: [RunSummary.ErrorCount] = []
    /// Change sets accepted, both waves.
    public var changeSetsAccepted = 0
    /// Sets cut to isolate bad rows, both waves.
    public var splits = 0
    /// Throttles seen, both waves.
    public var throttles = 0
    /// Seconds the run took.
    public var elapsed: Double = 0
    /// Why the last wave ended (``RunSummary/StopReason/completed`` when nothing was sent).
    public var stopReason: RunSummary.StopReason = .completed

    init(results: [Int: RowResult], first: RunSummary?, second: RunSummary?, elapsed: Double) {
        var errors: [String: Int] = [:]
        for result in results.values {
            total += 1
            switch result.outcome {
            case .succeeded: succeeded += 1
            case .failed: failed += 1
            case .invalid: invalid += 1
            case .stale: stale += 1
            case .pending, .planned, .notSent: pending += 1
            case .cancelled: cancelled += 1
            case .skipped: skipped += 1
            }
            if [.failed, .invalid, .stale].contains(result.outcome), let code = result.errorCode ?? result.failureCode {
                errors[code, default: 0] += 1
            }
        }
        topErrors = errors.sorted { ($0.value, $1.key) > ($1.value, $0.key) }.prefix(5).map { RunSummary.ErrorCount(code: $0.key, rows: $0.value) }
        for run in [first, second].compactMap({ $0 }) {
            changeSetsAccepted += run.changeSetsAccepted
            splits += run.splits
            throttles += run.throttles
        }
        self.elapsed = elapsed
        if let first, first.stopReason != .completed { stopReason = first.stopReason }
        if let second, second.stopReason != .completed { stopReason = second.stopReason }
    }

    /// Whether every row SUCCEEDED or was SKIPPED (exit status 0).
    public var allDone: Bool { succeeded + skipped == total }
}
