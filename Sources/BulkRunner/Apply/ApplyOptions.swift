import CSVKit
import Clocks
import Foundation

/// How `bulkrunner apply` checks and performs a marked-up export: the staleness override,
/// the order of the two steps of a price change, packing, the day "future" dates are judged
/// against, and how the sheet is read and the entities described.
public struct ApplyOptions: Sendable {
    /// `--force`: apply rows whose entity changed since the export (its `LastModifiedDate`
    /// moved) instead of reporting them STALE. Every other check still runs, against the
    /// entity as it is now.
    public var force: Bool
    /// Which step of a re-grant (REPRICE of an Active resale authorization) goes first.
    public var repriceOrder: RepriceOrder
    /// At most this many rows per change set (1–20); `nil`: as many whole rows as fit in 20
    /// changes. The second wave always sends one row per change set.
    public var rowsPerChangeSet: Int?
    /// Now: `NewAvailabilityEndDate` must be after this UTC day, and a re-grant cannot copy an
    /// expiry on or before it. Recorded (in whole seconds) as the check's time
    /// (``ApplyRecord/checkedAt``), which a resumed run uses instead.
    public var today: Date
    /// How to read the sheet.
    public var csv: CSVReader.Options
    /// How entities are described (BatchDescribeEntities in batches of 20, its rate, retries).
    public var describe: ExportOptions

    /// Options with the defaults: no force, grant before restrict, packed sets.
    public init(today: Date, force: Bool = false, repriceOrder: RepriceOrder = .grantFirst, rowsPerChangeSet: Int? = nil,
                csv: CSVReader.Options = CSVReader.Options(), describe: ExportOptions = ExportOptions()) {
        self.today = today
        self.force = force
        self.repriceOrder = repriceOrder
        self.rowsPerChangeSet = rowsPerChangeSet
        self.csv = csv
        self.describe = describe
    }

    /// Options taking today from `clock`.
    public init(clock: any TimeSource) {
        self.init(today: clock.now())
    }

    /// Throws ``BulkRunnerError/Code/invalidOption`` for an option out of range.
    public func validate() throws(BulkRunnerError) {
        if let rows = rowsPerChangeSet, !(1...ApplyPacking.maximumChanges).contains(rows) {
            throw BulkRunnerError(code: .invalidOption, field: "--rows-per-change-set",
                                  reason: "rows per change set must be 1–\(ApplyPacking.maximumChanges), not \(rows)",
                                  hint: "a change set holds at most \(ApplyPacking.maximumChanges) changes")
        }
        try describe.validate()
    }
}

/// The order of the two steps of a price change of an Active resale authorization: grant a
/// new authorization at the new price, and restrict the old one (restricting cannot be undone
/// and cannot change a price). The second step is sent only when the first SUCCEEDED.
///
/// ``grantFirst`` (the default) is what a seller usually wants: the partner is never without
/// an authorization, and the likely failure — the new grant refused (a price, name or term the
/// service rejects) — leaves everything as it was, the old authorization still Active. Its
/// risk is the rarer failure of the restrict after a successful grant: for a while the partner
/// holds both prices, and the row says so (FAILED, with the new authorization's id) so the
/// restrict can be sent again.
///
/// ``restrictFirst`` guarantees the old price can no longer be used before the new one exists;
/// when the grant then fails, the partner has no authorization for the product until it is
/// fixed (the row says so).
public enum RepriceOrder: String, Sendable, Hashable, CaseIterable, CustomStringConvertible {
    /// Grant the new authorization, then restrict the old one.
    case grantFirst = "grant-first"
    /// Restrict the old authorization, then grant the new one.
    case restrictFirst = "restrict-first"

    /// `grant-first` or `restrict-first`.
    public var description: String { rawValue }
}
