import CatalogModels
import Clocks
import Foundation

/// Runs a plan against the Catalog API: submits its change sets at the full quota and never
/// above it, retries what is transient, follows every set to a final status, isolates the
/// rows that fail, journals every step before taking it, and returns each row's outcome.
///
/// ```swift
/// let run = BulkRun(api: client, clock: SystemTimeSource(), options: options,
///                   journal: FileJournal(besideResults: output), control: control) { event in … }
/// let report = try await run.run(plan: planner, identity: identity)
/// try report.write(with: ResultsWriter(input: input, output: output))
/// ```
///
/// Structure: one loop owns a ``RunMachine`` (the pure state machine that decides); every
/// call to the service runs as a child task of one task group and reports back to the loop;
/// the calls share one ``RateLimiter``. Journal records are appended (fsync) by the loop
/// before the call they announce is started. Running the same command again with the same
/// journal resumes: concluded rows are not sent again, open sets are followed, sets whose
/// fate is unknown are found in the change-set history or re-sent with the same
/// ClientRequestToken (Catalog API reference, StartChangeSet: idempotent per token).
public struct BulkRun: Sendable {
    /// The service (the HTTP client, or the emulator).
    public let api: any CatalogAPI
    /// The clock (virtual in tests).
    public let clock: any TimeSource
    /// Rates, bounds, retries, timeouts.
    public let options: RunOptions
    /// Where the journal lives.
    public let journal: any JournalStore
    /// Stop and abort requests.
    public let control: RunControl
    /// Progress and notices.
    public let onEvent: @Sendable (RunEvent) -> Void
    /// The rate limits, when shared with earlier calls of the same process (nil: the run's own).
    public let limiter: RateLimiter?

    /// A run; nothing happens until ``run(plan:identity:expectedRows:)``.
    public init(api: any CatalogAPI, clock: any TimeSource, options: RunOptions = RunOptions(),
                journal: any JournalStore, control: RunControl = RunControl(), limiter: RateLimiter? = nil,
                onEvent: @escaping @Sendable (RunEvent) -> Void = { _ in }) {
        self.api = api
        self.clock = clock
        self.options = options
        self.journal = journal
        self.control = control
        self.onEvent = onEvent
        self.limiter = limiter
    }

    /// Runs `plan` (or resumes it, when the journal already holds this run) and returns every
    /// row's result. With ``RunOptions/sendsChangeSets`` off it only refreshes: it follows
    /// what the journal says is open and sends nothing.
    ///
    /// - Parameters:
    ///   - plan: the planner's output, pulled lazily.
    ///   - identity: the run identity (the journal must belong to it).
    ///   - expectedRows: the number of input rows, when known, for the progress line.
    /// - Throws: ``BulkRunnerError``: ``BulkRunnerError/Code/inputChanged`` when the journal
    ///   does not match the plan (nothing was sent), ``BulkRunnerError/Code/cannotWrite``
    ///   when the journal cannot be written (the run stops; rerun resumes), whatever the
    ///   plan throws, ``BulkRunnerError/Code/invalidOption`` for bad options.
    public func run<Source: RunPlanSource>(plan: Source, identity: RunIdentity,
                                         expectedRows: Int? = nil) async throws(BulkRunnerError) -> RunReport {
        try options.validate()
        let records = try journal.load()
        let index = JournalIndex(records: records)
        if let journaled = index.identity, journaled != identity.value {
            throw BulkRunnerError(code: .inputChanged, field: "journal",
                                  reason: "the journal belongs to run \(journaled), not \(identity.value)",
                                  hint: "write the results to another file, or move the old journal away to start afresh")
        }
        let limiter = limiter ?? RateLimiter(options: options, clock: clock)
        // Resuming: the earlier process's last calls still count in the service's window.
        if !records.isEmpty { limiter.pauseForUnseenCalls() }
        var machine = RunMachine(options: options, identity: identity.value, journal: index, now: clock.now())
        var plan = plan
        // Match the journal against the plan before anything is sent.
        while machine.journalRootsPending > 0 {
            guard let item = try plan.next() else {
                try machine.finishPlan()
                break
            }
            try machine.add(item, now: clock.now())
        }
        let result = await loop(machine: machine, plan: plan, limiter: limiter, expectedRows: expectedRows)
        switch result {
        case .success(let report): return report
        case .failure(let error): throw error
        }
    }

    private func loop<Source: RunPlanSource>(machine initial: RunMachine, plan initialPlan: Source, limiter: RateLimiter,
                                           expectedRows: Int?) async -> Result<RunReport, BulkRunnerError> {
        var machine = initial
        var plan = initialPlan
        let api = api
        let clock = clock
        let options = options
        let control = control
        var failure: BulkRunnerError?
        var lastProgress: Date = .distantPast

        await withTaskGroup(of: MachineEvent?.self) { group in
            var timer: Date?
            var controlWatched = false
            var seen = (stop: false, abort: false)
            outer: while true {
                // Requests from the caller.
                if control.isAbortRequested || Task.isCancelled {
                    if machine.stopReason != .aborted {
                        onEvent(.notice(RunNotice(.stopped, "stopping at once: open change sets are left as they are; run the same command again to resume")))
                    }
                    machine.abort()
                } else if control.isStopRequested, machine.stopReason == nil {
                    machine.requestStop()
                    onEvent(.notice(RunNotice(.stopped, "stopping: nothing new is sent; waiting for open change sets to finish (press Ctrl-C again to stop at once)")))
                }
                seen = (control.isStopRequested, control.isAbortRequested)
                // Pull the plan lazily.
                do throws(BulkRunnerError) {
                    while machine.wantsMorePlan {
                        guard let item = try plan.next() else {
                            try machine.finishPlan()
                            break
                        }
                        try machine.add(item, now: clock.now())
                    }
                } catch {
                    failure = error
                    break outer
                }
                let now = clock.now()
                for action in machine.nextActions(now: now) {
                    switch action {
                    case .journal(let record):
                        do throws(BulkRunnerError) {
                            try journal.append(record)
                        } catch {
                            failure = error
                            break outer
                        }
                    case .notice(let notice):
                        onEvent(.notice(notice))
                    case .submit(let unit, let request):
                        group.addTask { await Self.submit(unit: unit, request: request, api: api, limiter: limiter, clock: clock, options: options) }
                    case .poll(let id, let names):
                        group.addTask { await Self.poll(id: id, names: names, api: api, limiter: limiter, clock: clock, options: options) }
                    case .describe(let unit, let changeSetId):
                        group.addTask { await Self.describe(unit: unit, changeSetId: changeSetId, api: api, limiter: limiter, clock: clock, options: options) }
                    case .lookUp(let unit, let queries):
                        group.addTask { await Self.lookUp(unit: unit, queries: queries, api: api, limiter: limiter, clock: clock, options: options) }
                    case .searchHistory(let unit, let name):
                        group.addTask { await Self.searchHistory(unit: unit, name: name, api: api, limiter: limiter, clock: clock, options: options) }
                    }
                }
                if now.timeIntervalSince(lastProgress) >= options.progressInterval {
                    lastProgress = now
                    onEvent(.progress(machine.progress(now: now, rowsTotal: expectedRows, rates: limiter.rates(now: now))))
                }
                if machine.isFinished { break }
                if let wake = machine.nextWakeup(now: now), timer == nil || wake < timer! {
                    timer = wake
                    group.addTask {
                        try? await clock.sleep(until: wake)
                        return .timer
                    }
                }
                if !controlWatched && !seen.abort {
                    controlWatched = true
                    let snapshot = seen
                    group.addTask {
                        await control.waitForRequest(seen: snapshot)
                        return nil
                    }
                }
                guard let next = await group.next() else { break }
                guard let event = next else {
                    controlWatched = false
                    continue
                }
                if case .timer = event, let due = timer, clock.now() >= due { timer = nil }
                machine.handle(event, now: clock.now())
            }
            group.cancelAll()
        }
        if let failure { return .failure(failure) }
        let now = clock.now()
        let results = machine.results()
        let throttles = limiter.throttles.values.reduce(0, +)
        onEvent(.progress(machine.progress(now: now, rowsTotal: expectedRows, rates: limiter.rates(now: now))))
        return .success(RunReport(results: results, summary: machine.summary(results: results, throttles: throttles, now: now)))
    }
}
