import CSVKit
import CatalogModels
import Clocks
import Foundation

/// How to plan: validation strictness, packing, duplicates, the clock, the CSV dialect.
public struct PlanOptions: Sendable {
    /// `--strict`: when any row is INVALID, plan nothing (no change set goes out); valid
    /// rows are reported PENDING. Off: invalid rows are left out and the rest is planned.
    public var strict: Bool
    /// `--rows-per-change-set N` (1–20): at most N rows per change set. `nil`: as many
    /// whole rows as fit in 20 changes. One row per set isolates failures best; more rows
    /// per set make fewer, faster requests (a failing row fails its neighbours until the
    /// runner splits the set).
    public var rowsPerChangeSet: Int?
    /// Plan rows that render exactly the same request as an earlier row. Off (the default):
    /// such a row is INVALID, "duplicate of line N" — a pasted-twice row would otherwise
    /// create a second resale authorization or offer.
    public var allowDuplicateRows: Bool
    /// Now, for checks of dates that must be in the future (AvailabilityEndDate), compared
    /// as a UTC calendar day.
    public var today: Date
    /// Currency codes accepted in `CurrencyCode`; `nil` accepts any three upper-case letters.
    public var allowedCurrencies: Set<String>?
    /// Rows whose `Outcome` column (from an earlier results file fed in again) holds one of
    /// these are not planned: they are SKIPPED and keep their earlier outcome columns. Empty
    /// by default; a resume passes `[.succeeded, .skipped]`.
    public var skipRowsWithOutcomes: Set<RowOutcome>
    /// How to read the CSV.
    public var csv: CSVReader.Options
    /// How many INVALID rows ``PlanSummary/sampleProblems`` keeps for the CLI to print.
    public var sampleProblemLimit: Int

    /// Creates options; `today` is required so that date checks are deterministic.
    public init(today: Date, strict: Bool = false, rowsPerChangeSet: Int? = nil, allowDuplicateRows: Bool = false,
                allowedCurrencies: Set<String>? = ValueChecks.marketplaceCurrencyCodes,
                skipRowsWithOutcomes: Set<RowOutcome> = [], csv: CSVReader.Options = CSVReader.Options(),
                sampleProblemLimit: Int = 20) {
        self.today = today
        self.strict = strict
        self.rowsPerChangeSet = rowsPerChangeSet
        self.allowDuplicateRows = allowDuplicateRows
        self.allowedCurrencies = allowedCurrencies
        self.skipRowsWithOutcomes = skipRowsWithOutcomes
        self.csv = csv
        self.sampleProblemLimit = sampleProblemLimit
    }

    /// Options taking today from a clock (`SystemTimeSource()` in production).
    public init(clock: any TimeSource) {
        self.init(today: clock.now())
    }

    /// Throws ``BulkRunnerError/Code/invalidOption`` for an out-of-range option.
    func validate() throws(BulkRunnerError) {
        if let rows = rowsPerChangeSet, !(1...ChangeSetLimits.maximumChanges).contains(rows) {
            throw BulkRunnerError(code: .invalidOption, field: "--rows-per-change-set",
                                  reason: "rows per change set must be 1–\(ChangeSetLimits.maximumChanges), not \(rows)",
                                  hint: "a change set holds at most \(ChangeSetLimits.maximumChanges) changes")
        }
    }
}
