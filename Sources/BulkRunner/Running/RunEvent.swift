import CatalogModels
import Foundation

/// What a run tells while it works: a progress snapshot (for the CLI's live line) or a
/// notice worth a line of its own.
public enum RunEvent: Sendable {
    /// Where the run stands; sent at most every ``RunOptions/progressInterval`` seconds and
    /// once at the end.
    case progress(RunProgress)
    /// Something happened that the user may want to know (a split, a resubmission, an entity
    /// that already existed, back-pressure, a stop).
    case notice(RunNotice)
}

/// A snapshot of a run's progress.
public struct RunProgress: Sendable, Hashable {
    /// Input rows known so far (all of them once the plan has been read to the end).
    public var rowsKnown: Int
    /// The total number of input rows, when the caller said (``BulkRun/run(plan:identity:expectedRows:)``).
    public var rowsTotal: Int?
    /// Rows with a final outcome (SUCCEEDED, FAILED, INVALID, CANCELLED, SKIPPED).
    public var rowsDone: Int
    /// Rows by outcome so far (PENDING: not final yet).
    public var outcomes: [RowOutcome: Int]
    /// The run's change sets open on the service now.
    public var setsOpen: Int
    /// Change sets accepted so far.
    public var setsAccepted: Int
    /// Change sets waiting to be sent.
    public var setsWaiting: Int
    /// Request rate per operation over the last seconds, beside its quota.
    public var rates: [OperationRate]
    /// Throttles seen (all operations).
    public var throttles: Int
    /// Seconds since the run started (clock time).
    public var elapsed: Double
    /// Estimated seconds until every row is final, when it can be guessed.
    public var eta: Double?

    /// Creates a snapshot.
    public init(rowsKnown: Int, rowsTotal: Int?, rowsDone: Int, outcomes: [RowOutcome: Int], setsOpen: Int,
                setsAccepted: Int, setsWaiting: Int, rates: [OperationRate], throttles: Int, elapsed: Double, eta: Double?) {
        self.rowsKnown = rowsKnown
        self.rowsTotal = rowsTotal
        self.rowsDone = rowsDone
        self.outcomes = outcomes
        self.setsOpen = setsOpen
        self.setsAccepted = setsAccepted
        self.setsWaiting = setsWaiting
        self.rates = rates
        self.throttles = throttles
        self.elapsed = elapsed
        self.eta = eta
    }
}

/// A notable moment of a run, with the rows it concerns.
public struct RunNotice: Sendable, Hashable, CustomStringConvertible {
    /// What kind of moment.
    public enum Kind: String, Sendable, Hashable {
        /// A refused or FAILED set was cut in two to find the row at fault.
        case split
        /// A FAILED set's bad rows are known: the others go again without them.
        case isolated
        /// A SERVER_FAULT set goes again.
        case resubmitted
        /// A create was not sent again: its entity exists.
        case existingEntity
        /// Too many open change sets for the account (402): sending waits.
        case backPressure
        /// An entity is locked by another open change set (423): that set waits.
        case lockWait
        /// The run gave up on a set for now; its rows stay PENDING (resumable).
        case parked
        /// Sending stopped for good in this run (credentials refused …).
        case halted
        /// A set from an earlier run was found again.
        case resumed
        /// The run was asked to stop.
        case stopped
        /// The wait timeout passed.
        case timedOut
    }

    /// The kind.
    public var kind: Kind
    /// One sentence for the user.
    public var message: String
    /// The rows concerned (0-based indices).
    public var rows: [Int]

    /// Creates a notice.
    public init(_ kind: Kind, _ message: String, rows: [Int] = []) {
        self.kind = kind
        self.message = message
        self.rows = rows
    }

    /// The message.
    public var description: String { message }
}
