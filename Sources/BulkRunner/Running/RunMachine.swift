import CatalogModels
import Clocks
import Foundation

/// The run's brain, as a pure state machine: it is fed what happened (a change set was
/// accepted, a poll answered, a lookup found an entity, time passed) and answers with what
/// to do next (journal this, send that, poll those), never touching the network, the disk
/// or a clock itself — ``BulkRun`` does that and feeds the answers back. Tests drive it
/// event by event.
///
/// What it guarantees, whatever the order of events:
/// - a set is journaled (``JournalRecord/send(token:sequence:name:rows:hash:at:)``) before
///   its first ``MachineAction/submit(unit:request:)``;
/// - a set waits until every set of its ``PlannedChangeSet/dependencies`` is final, and two
///   of the run's sets that target one existing entity are never open together;
/// - at most ``RunOptions/maxOpenChangeSets`` sets open and ``RunOptions/maxOffersInFlight``
///   offers in flight; 402 lowers the bound and holds sending, 423 delays that one set;
/// - every row ends with its own outcome: refused or FAILED sets of several rows are cut
///   (bad rows isolated when the ErrorDetailList says which, else halves) and the rest sent
///   again; creates from a FAILED set are looked up first (ListEntities) and never sent twice.
struct RunMachine {
    // MARK: Types

    /// A change set the run handles: planned, or cut from another.
    struct Unit {
        enum Phase: Equatable {
            /// Not sent yet: waiting for its turn, a dependency, a lock, capacity or a retry time.
            case waiting
            /// Its creates are being looked up (ListEntities).
            case checking
            /// Announced in an earlier run without an id: being looked for in the history.
            case reconciling
            /// StartChangeSet in flight.
            case submitting
            /// Accepted, not final yet.
            case open
            /// Final; DescribeChangeSet in flight or due.
            case describing
            /// The run gave up on it for now (its fate may be unknown); its rows stay PENDING.
            case parked
            /// Every row concluded or handed to other sets.
            case done
        }

        let id: Int
        var set: PlannedChangeSet
        var phase: Phase = .waiting
        /// Rows not concluded and not handed to other sets.
        var liveRows: [Int]
        /// Rows whose creates must be looked up before sending.
        var checkRows: Set<Int> = []
        /// The `send` record is written (the token may have reached the service).
        var announced = false
        var announcedAt: Date?
        /// Announced earlier and no id known: find it in the history, else resend the same token.
        var unknownFate = false
        var changeSetId: String?
        var changeSetArn: String?
        var status: ChangeStatus?
        var failureCode: String?
        var failureDescription: String?
        var acceptedAt: Date?
        var nextPollAt: Date = .distantPast
        var pollMisses = 0
        var retryAt: Date?
        var waits = 0
        var describeFailures = 0
        var parkedReason: String?
        var offerKeys: Set<String>
        var inFlight = false
    }

    // MARK: State

    let options: RunOptions
    let identity: String
    let journal: JournalIndex
    var units: [Int: Unit] = [:]
    var nextUnitID = 1
    /// Units that are not done, in plan order (ids increase with creation).
    var active: [Int] = []
    var rows: [Int: RowState] = [:]
    var seqLive: [Int: Int] = [:]
    var seqSeen: Set<Int> = []
    var entityLocks: [String: Int] = [:]
    var offersInFlight = 0
    var openCount = 0
    var effectiveMaxOpen: Int
    var holdUntil: Date?
    var quotaRefusals = 0
    var polls: [Int: [Int]] = [:]
    var nextPollID = 1
    var inFlight = InFlight()
    var planFinished = false
    var matchedRoots: Set<String> = []
    var journalRowOwner: [Int: String]
    var rng: SplitMix64
    var stopReason: RunSummary.StopReason?
    var idleSince: Date?
    /// Change-set ids this run has accepted or adopted.
    var knownChangeSetIds: Set<String> = []
    /// How long the run's sets typically take from acceptance to final (seen so far).
    var typicalDuration: Double?
    var counters = Counters()
    var pendingRecords: [MachineAction] = []
    let startedAt: Date

    struct InFlight {
        var submits = 0
        var polls = 0
        var describes = 0
        var lookups = 0
        var history = 0
        var total: Int { submits + polls + describes + lookups + history }
    }

    /// What the run did, for the summary and progress line.
    struct Counters {
        var accepted = 0
        var refused = 0
        var splits = 0
        var resubmissions = 0
        var existingEntities = 0
        var backPressureWaits = 0
        var parked = 0
        var resumedSets = 0
    }

    /// What the run knows of one input row.
    struct RowState {
        var unit: Int?
        var attempts = 0
        var serverFaults = 0
        var result: RowResult?
        var lastChangeSetId: String?
        var lastChangeSetArn: String?
        var lastStatus: String?
        var hasCreations = false
    }

    // MARK: Creation

    init(options: RunOptions, identity: String, journal: JournalIndex, now: Date) {
        self.options = options
        self.identity = identity
        self.journal = journal
        self.effectiveMaxOpen = options.maxOpenChangeSets
        self.rng = SplitMix64.stream(seed: options.seed, label: "run-machine")
        self.journalRowOwner = journal.rootOfRow
        self.startedAt = now
        if journal.identity == nil {
            pendingRecords.append(.journal(.run(identity: identity, startedAt: now)))
        }
    }

    /// Journaled trees the plan has not matched yet: the driver pulls the plan until this is
    /// 0 (or the plan ends) before anything is sent, so a changed input is caught first.
    var journalRootsPending: Int { journal.roots.subtracting(matchedRoots).count }

    /// Whether the driver should pull another plan item now.
    var wantsMorePlan: Bool {
        guard !planFinished, stopReason == nil else { return false }
        if journalRootsPending > 0 { return true }
        let waiting = active.lazy.filter { self.units[$0]?.phase == .waiting }.count
        return waiting < max(2 * options.maxOpenChangeSets, 64)
    }

    // MARK: Plan intake

    /// Takes one plan item. Throws ``BulkRunnerError/Code/inputChanged`` when the journal says
    /// the same rows went out in a different change set (input or template changed).
    mutating func add(_ item: RunItem, now: Date) throws(BulkRunnerError) {
        switch item {
        case .row(let index, let result):
            var state = rows[index] ?? RowState()
            state.result = result
            rows[index] = state
        case .changeSet(let set, let previous):
            try checkAgainstJournal(set)
            seqSeen.insert(set.sequenceNumber)
            if journal.nodes[set.clientRequestToken] != nil {
                matchedRoots.insert(set.clientRequestToken)
                try restore(token: set.clientRequestToken, set: set, check: [], now: now)
            } else {
                var check: Set<Int> = []
                for row in set.rows where !row.creations.isEmpty {
                    if let earlier = previous[row.rowIndex],
                       [.failed, .pending, .cancelled].contains(earlier.outcome), earlier.changeSetId != nil {
                        check.insert(row.rowIndex)
                    }
                }
                _ = makeUnit(set, check: check)
            }
        }
    }

    /// The plan has ended. Throws ``BulkRunnerError/Code/inputChanged`` when the journal holds
    /// change sets the plan no longer makes.
    mutating func finishPlan() throws(BulkRunnerError) {
        planFinished = true
        let missing = journal.roots.subtracting(matchedRoots)
        if let token = missing.sorted().first {
            let rows = journalRowOwner.filter { $0.value == token }.keys.sorted()
            throw Self.inputChanged(
                "the journal holds change set \(Self.describe(token: token, node: journal.nodes[token])) for \(Plural.word(rows.count, "row")) \(Self.lineList(rows)), which the input and template no longer produce")
        }
    }

    private func checkAgainstJournal(_ set: PlannedChangeSet) throws(BulkRunnerError) {
        for row in set.rows {
            if let owner = journalRowOwner[row.rowIndex], owner != set.clientRequestToken {
                throw Self.inputChanged(
                    "row \(row.rowIndex + 1) (line \(row.line)) went out in change set \(Self.describe(token: owner, node: journal.nodes[owner])); the input or template now puts it in \(set.changeSetName) with token \(set.clientRequestToken)")
            }
        }
    }

    static func inputChanged(_ reason: String) -> BulkRunnerError {
        BulkRunnerError(code: .inputChanged, field: "journal", reason: reason,
                        hint: "the input, the template, a --set value or --rows-per-change-set changed since the journal was written: run the command exactly as the earlier run did (same file, template, --set and --rows-per-change-set) to finish that run; only a run meant to send every row again belongs in another --output file")
    }

    static func describe(token: String, node: JournalIndex.Node?) -> String {
        if let send = node?.send { return "'\(send.name)' (token \(token))" }
        return "token \(token)"
    }

    static func lineList(_ rows: [Int]) -> String {
        let shown = rows.prefix(5).map { String($0 + 1) }.joined(separator: ", ")
        return rows.count > 5 ? shown + " … (\(rows.count) rows)" : shown
    }

    @discardableResult
    mutating func makeUnit(_ set: PlannedChangeSet, check: Set<Int>) -> Int {
        let id = nextUnitID
        nextUnitID += 1
        var unit = Unit(id: id, set: set, liveRows: set.rowIndices, offerKeys: set.offerKeys)
        unit.checkRows = check.intersection(set.rowIndices)
        for row in set.rows {
            var state = rows[row.rowIndex] ?? RowState()
            state.unit = id
            state.hasCreations = !row.creations.isEmpty
            rows[row.rowIndex] = state
        }
        units[id] = unit
        active.append(id)
        seqLive[set.sequenceNumber, default: 0] += 1
        return id
    }

    // MARK: Stopping

    /// First Ctrl-C: send nothing new; open sets are still followed to a final status.
    mutating func requestStop() {
        if stopReason == nil { stopReason = .stopped }
    }

    /// Stops at once (second Ctrl-C, or cancellation): nothing more is done.
    mutating func abort() {
        stopReason = .aborted
    }

    /// Whether new change sets may go out.
    var mayStartSending: Bool { options.sendsChangeSets && stopReason == nil }

    // MARK: Time

    /// The earliest time something is due (a retry, a poll, the end of a hold, the wait
    /// timeout), for the driver's timer; `nil` when only answers can move the run.
    func nextWakeup(now: Date) -> Date? {
        var best: Date?
        func consider(_ date: Date?) {
            guard let date, date > now else { return }
            if best == nil || date < best! { best = date }
        }
        if stopReason == nil || stopReason == .stopped {
            for id in active {
                guard let unit = units[id], !unit.inFlight else { continue }
                switch unit.phase {
                case .open: consider(unit.nextPollAt)
                case .waiting, .reconciling, .checking, .describing: consider(unit.retryAt)
                default: break
                }
            }
            if mayStartSending { consider(holdUntil) }
        }
        if let waitTimeout = options.waitTimeout, let idleSince, stopReason == nil {
            consider(idleSince.addingTimeInterval(waitTimeout))
        }
        return best
    }

    // MARK: Finishing

    /// Whether the run is over: nothing in flight and nothing that can still move.
    var isFinished: Bool {
        if stopReason == .aborted || stopReason == .timedOut { return true }
        guard inFlight.total == 0 else { return false }
        if !planFinished && stopReason == nil { return false }
        for id in active {
            guard let unit = units[id] else { continue }
            switch unit.phase {
            case .open, .describing, .submitting, .checking:
                return false
            case .reconciling:
                return false
            case .waiting:
                if mayStartSending, unit.retryAt != nil || holdUntil != nil { return false }
                if mayStartSending, dependenciesDone(unit), !lockedByOthers(unit) { return false }
            case .parked, .done:
                continue
            }
        }
        return true
    }

    func dependenciesDone(_ unit: Unit) -> Bool {
        unit.set.dependencies.allSatisfy { seqSeen.contains($0) && (seqLive[$0] ?? 0) == 0 }
    }

    func lockedByOthers(_ unit: Unit) -> Bool {
        unit.set.targetEntityIds.contains { (entityLocks[$0] ?? 0) > 0 }
    }
}
