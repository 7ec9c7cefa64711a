import CatalogModels
import Clocks
import Foundation

/// Performs what a reviewer marked in an export (`bulkrunner apply SHEET.csv`): checks every
/// marked row against the service, then sends exactly those rows, in one or two waves.
///
/// ```swift
/// let applier = Applier(api: client, clock: SystemTimeSource(), options: ApplyOptions(clock: SystemTimeSource()))
/// let plan = try await applier.check(sheet: sheetURL, identity: identity)      // reads only
/// try plan.record.write(to: ApplyRecord.url(besideResults: output))            // before sending
/// let report = try await applier.run(plan, journals: ApplyJournals(besideResults: output))
/// try report.write(plan: plan, to: output)
/// ```
///
/// **Check** (``check(sheet:identity:described:)``): reads the sheet (``ExportSheetReader``), then
/// describes the entities of the marked rows with BatchDescribeEntities, 20 per call, at the
/// ``ExportOptions`` rate with retries, and decides each row: SKIPPED (no action), INVALID (a
/// value, or the action does not fit the entity's status *now*: ``ApplyRules``), STALE (its
/// `LastModifiedDate` moved since the export; ``ApplyOptions/force`` applies it anyway), or
/// planned (``ApplyStep``s). Nothing is sent.
///
/// **Run** (``run(_:journals:runOptions:control:onEvent:)``): the first wave through
/// ``BulkRun`` (quotas, retries, splitting, journal), then the second wave — the second step
/// of each re-grant whose first step SUCCEEDED — through another. Each wave has its own
/// journal and run identity, so running again resumes either and sends nothing twice; the plan
/// is rebuilt from the ``ApplyRecord``, not checked again.
public struct Applier: Sendable {
    /// The service.
    public let api: any CatalogAPI
    /// The clock.
    public let clock: any TimeSource
    /// How to check.
    public let options: ApplyOptions

    /// An applier; nothing happens until ``check(sheet:identity:described:)``.
    public init(api: any CatalogAPI, clock: any TimeSource, options: ApplyOptions) {
        self.api = api
        self.clock = clock
        self.options = options
    }

    /// Reads `sheet` and checks its marked rows against the service (BatchDescribeEntities
    /// only); returns the plan, whose ``ApplyPlan/record`` is what a resumed run rebuilds it from.
    ///
    /// - Parameter described: called once with the number of entities described and calls made.
    /// - Throws: ``BulkRunnerError`` for the sheet or the options; `CatalogError` when the service
    ///   keeps refusing BatchDescribeEntities (nothing was sent).
    public func check(sheet url: URL, identity: RunIdentity,
                      described: (@Sendable (_ entities: Int, _ calls: Int) -> Void)? = nil) async throws -> ApplyPlan {
        try options.validate()
        let sheet = try ApplySheet.read(url, csv: options.csv, today: options.today)
        let checkedAt = Date(timeIntervalSince1970: options.today.timeIntervalSince1970.rounded(.down))
        let ids = ApplyPlan.entitiesToDescribe(sheet)
        var facts: [String: ApplyFact] = [:]
        if !ids.isEmpty {
            let session = ExportSession(api: api, clock: clock, options: options.describe,
                                        limiter: RateLimiter(options: options.describe.runOptions, clock: clock))
            for (id, answer) in try await session.describe(ids) {
                switch answer {
                case .detail(let detail): facts[id] = .described(detail)
                case .failed(let error):
                    facts[id] = .failed(code: error.errorCode ?? "Unknown", message: error.errorMessage ?? "no message")
                }
            }
            described?(ids.count, session.progress.describeCalls)
        }
        let record = ApplyRecord(identity: identity, sheetDigest: sheet.digest, checkedAt: checkedAt, force: options.force,
                                 repriceOrder: options.repriceOrder, rowsPerChangeSet: options.rowsPerChangeSet, facts: facts)
        return try ApplyPlan.build(sheet: sheet, record: record)
    }

    /// Runs `plan`: the first wave, then the second for the re-grants whose first step
    /// SUCCEEDED (unless the first wave was stopped). Returns every row's result.
    ///
    /// - Throws: ``BulkRunnerError`` from the engine: a journal that belongs to another plan
    ///   (``BulkRunnerError/Code/inputChanged``), a journal that cannot be written.
    public func run(_ plan: ApplyPlan, journals: ApplyJournals, runOptions: RunOptions = RunOptions(),
                    control: RunControl = RunControl(),
                    onEvent: @escaping @Sendable (ApplyEvent) -> Void = { _ in }) async throws(BulkRunnerError) -> ApplyReport {
        let started = clock.now()
        // One set of rate limits for both waves: the second starts right after the first's calls.
        let limiter = RateLimiter(options: runOptions, clock: clock)
        var first: RunReport?
        if !plan.firstWave.isEmpty {
            let rows = plan.firstWave.reduce(0) { $0 + $1.rows.count }
            onEvent(.wave(ApplyWave(number: 1, waves: plan.summary.regrants > 0 ? 2 : 1, rows: rows, changeSets: plan.firstWave.count,
                                    what: firstWaveDescription(plan))))
            let run = BulkRun(api: api, clock: clock, options: runOptions, journal: journals.first, control: control,
                              limiter: limiter) { onEvent(.run($0)) }
            first = try await run.run(plan: RunPlan(changeSets: plan.firstWave), identity: plan.identity, expectedRows: rows)
        }
        var second: RunReport?
        var secondSkipped: String?
        let ready = plan.rows.filter { row in
            row.steps.count > 1 && first?.results[row.rowIndex]?.outcome == .succeeded
        }.compactMap { plan.secondWave[$0.rowIndex] }
        if !ready.isEmpty {
            switch first?.summary.stopReason {
            case .stopped?, .aborted?:
                secondSkipped = "not sent: the run was stopped; run the same command again to resume"
            case .halted(let reason)?:
                secondSkipped = "not sent: \(reason)"
            default:
                if control.isStopRequested || control.isAbortRequested {
                    secondSkipped = "not sent: the run was stopped; run the same command again to resume"
                    break
                }
                let what = plan.record.repriceOrder == .grantFirst
                    ? "restrict the old authorizations whose replacement was granted"
                    : "grant the new authorizations whose predecessor was restricted"
                onEvent(.wave(ApplyWave(number: 2, waves: 2, rows: ready.count, changeSets: ready.count, what: what)))
                let run = BulkRun(api: api, clock: clock, options: runOptions, journal: journals.second, control: control,
                                  limiter: limiter) { onEvent(.run($0)) }
                second = try await run.run(plan: RunPlan(changeSets: ready.sorted { $0.sequenceNumber < $1.sequenceNumber }),
                                           identity: plan.secondIdentity, expectedRows: ready.count)
            }
        }
        return ApplyReport(plan: plan, first: first, second: second, secondSkipped: secondSkipped,
                           elapsed: clock.now().timeIntervalSince(started))
    }

    private func firstWaveDescription(_ plan: ApplyPlan) -> String {
        let regrants = plan.summary.regrants
        let single = plan.summary.planned - regrants
        var parts: [String] = []
        if single > 0 { parts.append("\(single) row\(single == 1 ? "" : "s") of updates") }
        if regrants > 0 {
            parts.append("\(regrants) re-grant\(regrants == 1 ? "" : "s"): " + (plan.record.repriceOrder == .grantFirst
                ? "the new authorizations first" : "the old authorizations restricted first"))
        }
        return parts.joined(separator: "; ")
    }
}

/// The two journals of an apply run: the first wave's and the second wave's.
public struct ApplyJournals: Sendable {
    /// The first wave's journal.
    public var first: any JournalStore
    /// The second wave's journal.
    public var second: any JournalStore

    /// Two journals.
    public init(first: any JournalStore, second: any JournalStore) {
        self.first = first
        self.second = second
    }

    /// `RESULTS.csv.journal` and `RESULTS.csv.wave2.journal`.
    public init(besideResults results: URL) {
        self.init(first: FileJournal(url: Self.firstURL(besideResults: results)),
                  second: FileJournal(url: Self.secondURL(besideResults: results)))
    }

    /// `RESULTS.csv.journal`.
    public static func firstURL(besideResults results: URL) -> URL { URL(fileURLWithPath: results.path + ".journal") }
    /// `RESULTS.csv.wave2.journal`.
    public static func secondURL(besideResults results: URL) -> URL { URL(fileURLWithPath: results.path + ".wave2.journal") }
}

/// One wave starting.
public struct ApplyWave: Sendable, Hashable {
    /// 1 or 2.
    public var number: Int
    /// How many waves the run has.
    public var waves: Int
    /// Rows in it.
    public var rows: Int
    /// Change sets in it.
    public var changeSets: Int
    /// What it does.
    public var what: String
}

/// What an apply run reports while it works.
public enum ApplyEvent: Sendable {
    /// A wave starts.
    case wave(ApplyWave)
    /// The engine's progress and notices.
    case run(RunEvent)
}
