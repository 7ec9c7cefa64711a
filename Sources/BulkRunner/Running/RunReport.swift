import Foundation

/// What a run ended with: every row's result and the summary. Write the results file with
/// ``ResultsWriter`` and ``result(for:)``.
public struct RunReport: Sendable {
    /// Each input row's result, by 0-based row index.
    public var results: [Int: RowResult]
    /// The counts, top errors and why the run ended.
    public var summary: RunSummary

    /// Creates a report.
    public init(results: [Int: RowResult], summary: RunSummary) {
        self.results = results
        self.summary = summary
    }

    /// The result of row `rowIndex`; a row the run never saw is PENDING ("not planned").
    public func result(for rowIndex: Int) -> RowResult {
        results[rowIndex] ?? RowResult(outcome: .pending, errorMessage: "the run did not reach this row; run the same command again")
    }

    /// Writes the results file with `writer`: every input row, in input order, with this
    /// report's result.
    @discardableResult
    public func write(with writer: ResultsWriter) throws(BulkRunnerError) -> Int {
        try writer.write { (row: ResultsWriter.Row) throws(BulkRunnerError) -> RowResult in result(for: row.rowIndex) }
    }
}

/// A run's counts: they add up to the input rows.
public struct RunSummary: Sendable, Hashable, CustomStringConvertible {
    /// Why the run ended.
    public enum StopReason: Sendable, Hashable {
        /// Every row reached a final outcome, or nothing more could move.
        case completed
        /// Asked to stop (first Ctrl-C): nothing new was sent; open sets were followed.
        case stopped
        /// Stopped at once (second Ctrl-C, cancellation): open sets were left as they were.
        case aborted
        /// The wait timeout passed with sets still open.
        case timedOut
        /// Sending stopped for good (e.g. the credentials were refused), with the reason.
        case halted(String)
    }

    /// All rows: the sum of the counts below.
    public var total: Int
    /// SUCCEEDED rows.
    public var succeeded: Int
    /// FAILED rows.
    public var failed: Int
    /// INVALID rows (never sent).
    public var invalid: Int
    /// PENDING rows (sent, not final: check their status later).
    public var pending: Int
    /// NOT_SENT rows (valid, never sent: the run stopped first, or `--strict` held them back).
    public var notSent: Int
    /// CANCELLED rows.
    public var cancelled: Int
    /// SKIPPED rows.
    public var skipped: Int
    /// The most frequent error codes (ErrorCode, else FailureCode) with their row counts,
    /// most frequent first (at most 5).
    public var topErrors: [ErrorCount]
    /// Change sets accepted by the service in this run.
    public var changeSetsAccepted: Int
    /// Sets cut to isolate bad rows.
    public var splits: Int
    /// SERVER_FAULT resubmissions.
    public var resubmissions: Int
    /// Creates not sent again because their entity existed.
    public var existingEntities: Int
    /// Throttles seen.
    public var throttles: Int
    /// Seconds the run took (clock time).
    public var elapsed: Double
    /// Why it ended.
    public var stopReason: StopReason

    /// One error code and how many rows have it.
    public struct ErrorCount: Sendable, Hashable {
        /// The code, e.g. `INVALID_RESELLER_ACCOUNT`, `ValidationException`.
        public var code: String
        /// Rows with it.
        public var rows: Int

        /// Creates a count.
        public init(code: String, rows: Int) {
            self.code = code
            self.rows = rows
        }
    }

    /// Creates a summary.
    public init(total: Int, succeeded: Int, failed: Int, invalid: Int, pending: Int, notSent: Int = 0, cancelled: Int,
                skipped: Int, topErrors: [ErrorCount], changeSetsAccepted: Int, splits: Int, resubmissions: Int,
                existingEntities: Int, throttles: Int, elapsed: Double, stopReason: StopReason) {
        self.total = total
        self.succeeded = succeeded
        self.failed = failed
        self.invalid = invalid
        self.pending = pending
        self.notSent = notSent
        self.cancelled = cancelled
        self.skipped = skipped
        self.topErrors = topErrors
        self.changeSetsAccepted = changeSetsAccepted
        self.splits = splits
        self.resubmissions = resubmissions
        self.existingEntities = existingEntities
        self.throttles = throttles
        self.elapsed = elapsed
        self.stopReason = stopReason
    }

    /// Whether every row SUCCEEDED or was SKIPPED (the CLI's exit status 0).
    public var allDone: Bool { succeeded + skipped == total }

    /// `400 rows: 398 SUCCEEDED, 2 FAILED (INVALID_RESELLER_ACCOUNT 2)`.
    public var description: String {
        var parts: [String] = []
        for (count, name) in [(succeeded, "SUCCEEDED"), (failed, "FAILED"), (invalid, "INVALID"), (pending, "PENDING"),
                              (cancelled, "CANCELLED"), (skipped, "SKIPPED")] where count > 0 {
            parts.append("\(count) \(name)")
        }
        var text = "\(total) row\(total == 1 ? "" : "s"): " + (parts.isEmpty ? "nothing to do" : parts.joined(separator: ", "))
        if !topErrors.isEmpty {
            text += " (" + topErrors.map { "\($0.code) \($0.rows)" }.joined(separator: ", ") + ")"
        }
        return text
    }
}
