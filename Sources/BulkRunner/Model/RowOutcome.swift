import Foundation

/// What became of one input row: the value of the results file's `Outcome` column.
///
/// The raw values are what the results CSV holds, upper case, as the Catalog API writes
/// change-set statuses (`SUCCEEDED`, `FAILED`, `CANCELLED` are the same words).
public enum RowOutcome: String, Sendable, Hashable, CaseIterable, CustomStringConvertible {
    /// The row's change set reached `SUCCEEDED`.
    case succeeded = "SUCCEEDED"
    /// The row's change set reached `FAILED` (see FailureCode, ErrorCode, ErrorMessage).
    case failed = "FAILED"
    /// The row was not sent because a value in it is invalid (ErrorMessage says which and
    /// how to fix it), or it duplicates an earlier row.
    case invalid = "INVALID"
    /// The row was sent (or is about to be) and its change set is not final yet; running
    /// the same command again resumes it.
    case pending = "PENDING"
    /// The row's change set was cancelled.
    case cancelled = "CANCELLED"
    /// The row was left alone on purpose, e.g. it already SUCCEEDED in an earlier run.
    case skipped = "SKIPPED"
    /// Dry run: the row is valid and planned into a change set; nothing was sent.
    case planned = "PLANNED"
    /// Export/apply: the entity changed since the row was exported; re-export before applying.
    case stale = "STALE"
    /// The row is valid but was never sent: `--strict` found INVALID rows in the file, or the
    /// run stopped (Ctrl-C, a halt, the wait timeout) before its turn. Running the same command
    /// again, or retrying the results file, sends it.
    case notSent = "NOT_SENT"

    /// Parses a results-file cell, ignoring case and surrounding spaces; `nil` for anything else.
    public init?(cell: String) {
        let trimmed = cell.trimmingCharacters(in: .whitespacesAndNewlines).uppercased()
        self.init(rawValue: trimmed)
    }

    /// Whether the row needs no more work (SUCCEEDED or SKIPPED): the README's exit status 0.
    public var isDone: Bool { self == .succeeded || self == .skipped }

    /// The raw value.
    public var description: String { rawValue }
}
