import CatalogModels
import Foundation

/// What ``RunMachine`` asks the driver to do.
enum MachineAction: Sendable {
    /// Append this record to the journal (durably) before doing anything after it.
    case journal(JournalRecord)
    /// StartChangeSet (retrying transient failures with the same token).
    case submit(unit: Int, request: StartChangeSetRequest)
    /// ListChangeSets filtered by these ChangeSetNames (≤ 10), every page.
    case poll(id: Int, names: [String])
    /// DescribeChangeSet.
    case describe(unit: Int, changeSetId: String)
    /// ListEntities for each create, to see whether its entity already exists.
    case lookUp(unit: Int, queries: [CreationQuery])
    /// ListChangeSets filtered by one ChangeSetName, every page (reconciling an unknown fate).
    case searchHistory(unit: Int, name: String)
    /// Tell the user.
    case notice(RunNotice)
}

/// One create to look up: the row and its creation key (change index in the unit's request).
struct CreationQuery: Sendable {
    var row: Int
    var key: CreationKey
}

extension RunMachine {
    /// The most StartChangeSet calls in flight (waiting for their slot or answer) at once.
    var maxConcurrentSubmits: Int { max(2, Int((2 * options.rate(of: .startChangeSet)).rounded(.up))) }
    /// The most ListChangeSets polls in flight at once.
    var maxConcurrentPolls: Int { max(1, Int(options.rate(of: .listChangeSets).rounded(.up))) }
    /// The most DescribeChangeSet calls in flight at once.
    var maxConcurrentDescribes: Int { max(1, Int(options.rate(of: .describeChangeSet).rounded(.up))) }
    /// The most creation lookups in flight at once.
    var maxConcurrentLookups: Int { max(1, Int(options.rate(of: .listEntities).rounded(.up)) / 2) }

    /// Everything to do now, in order: journal records always come before the actions that
    /// depend on them.
    mutating func nextActions(now: Date) -> [MachineAction] {
        var actions = pendingRecordsTaken()
        if stopReason == .aborted || stopReason == .timedOut { return actions }
        if let waitTimeout = options.waitTimeout, let idleSince, stopReason == nil || stopReason == .stopped,
           now >= idleSince.addingTimeInterval(waitTimeout) {
            stopReason = .timedOut
            actions.append(.notice(RunNotice(.timedOut, "the wait timeout elapsed: no change set was sent or finished for \(RunOptions.format(waitTimeout)) s, so the run stops waiting; its open change sets go on at the service (nothing is cancelled) and their rows stay PENDING until they are checked again")))
            return actions
        }
        var started = false
        let tracking = stopReason == nil || stopReason == .stopped

        for id in active {
            guard var unit = units[id], !unit.inFlight else { continue }
            if let retryAt = unit.retryAt, retryAt > now { continue }
            switch unit.phase {
            case .reconciling where tracking:
                guard inFlight.history < 2 else { continue }
                unit.inFlight = true
                unit.retryAt = nil
                units[id] = unit
                inFlight.history += 1
                started = true
                actions.append(.searchHistory(unit: id, name: unit.set.changeSetName))
            case .describing where tracking:
                guard inFlight.describes < maxConcurrentDescribes, let changeSetId = unit.changeSetId else { continue }
                unit.inFlight = true
                unit.retryAt = nil
                units[id] = unit
                inFlight.describes += 1
                actions.append(.describe(unit: id, changeSetId: changeSetId))
            case .open where tracking && unit.pollMisses >= 3 && unit.nextPollAt <= now:
                // Not found by name three times: ask for it by id.
                guard inFlight.describes < maxConcurrentDescribes, let changeSetId = unit.changeSetId else { continue }
                unit.inFlight = true
                units[id] = unit
                inFlight.describes += 1
                actions.append(.describe(unit: id, changeSetId: changeSetId))
            default:
                continue
            }
        }

        if tracking { actions += pollActions(now: now) }

        if mayStartSending {
            for id in active {
                guard let unit = units[id], unit.phase == .waiting, !unit.inFlight else { continue }
                if let retryAt = unit.retryAt, retryAt > now { continue }
                guard dependenciesDone(unit), !lockedByOthers(unit) else { continue }
                if !unit.checkRows.isEmpty {
                    guard inFlight.lookups < maxConcurrentLookups else { continue }
                    actions += startLookup(id)
                    started = true
                    continue
                }
                if let holdUntil, holdUntil > now { break }
                guard inFlight.submits < maxConcurrentSubmits else { break }
                guard openCount < effectiveMaxOpen else { break }
                if !unit.offerKeys.isEmpty, offersInFlight > 0, offersInFlight + unit.offerKeys.count > options.maxOffersInFlight {
                    continue
                }
                actions += startSubmit(id, now: now)
                started = true
            }
        }

        // The wait timeout runs while nothing can be sent.
        let sending = started || inFlight.submits + inFlight.lookups + inFlight.history > 0
        if sending {
            idleSince = nil
        } else if idleSince == nil {
            idleSince = now
        }
        return actions
    }

    mutating func pendingRecordsTaken() -> [MachineAction] {
        let taken = pendingRecords
        pendingRecords.removeAll()
        return taken
    }

    mutating func emit(_ action: MachineAction) {
        pendingRecords.append(action)
    }

    mutating func pollActions(now: Date) -> [MachineAction] {
        var actions: [MachineAction] = []
        guard inFlight.polls < maxConcurrentPolls else { return actions }
        var due = active.compactMap { id -> Unit? in
            guard let unit = units[id], unit.phase == .open, !unit.inFlight, unit.pollMisses < 3,
                  unit.nextPollAt <= now else { return nil }
            return unit
        }
        guard !due.isEmpty else { return actions }
        due.sort { ($0.nextPollAt, $0.id) < ($1.nextPollAt, $1.id) }
        var index = 0
        while index < due.count, inFlight.polls < maxConcurrentPolls {
            var names: [String] = []
            var members: [Int] = []
            while index < due.count {
                let unit = due[index]
                if !names.contains(unit.set.changeSetName) {
                    guard names.count < 10 else { break }
                    names.append(unit.set.changeSetName)
                }
                members.append(unit.id)
                index += 1
            }
            let pollID = nextPollID
            nextPollID += 1
            polls[pollID] = members
            for member in members { units[member]?.inFlight = true }
            inFlight.polls += 1
            actions.append(.poll(id: pollID, names: names))
        }
        return actions
    }

    mutating func startLookup(_ id: Int) -> [MachineAction] {
        guard var unit = units[id] else { return [] }
        var queries: [CreationQuery] = []
        for row in unit.set.rows where unit.checkRows.contains(row.rowIndex) {
            for key in row.creations { queries.append(CreationQuery(row: row.rowIndex, key: key)) }
        }
        if queries.isEmpty {
            unit.checkRows = []
            units[id] = unit
            return []
        }
        unit.phase = .checking
        unit.inFlight = true
        units[id] = unit
        inFlight.lookups += 1
        return [.lookUp(unit: id, queries: queries)]
    }

    mutating func startSubmit(_ id: Int, now: Date) -> [MachineAction] {
        guard var unit = units[id] else { return [] }
        var actions: [MachineAction] = []
        if !unit.announced {
            unit.announced = true
            unit.announcedAt = now
            actions.append(.journal(.send(token: unit.set.clientRequestToken, sequence: unit.set.sequenceNumber,
                                          name: unit.set.changeSetName, rows: unit.set.rowIndices,
                                          hash: unit.set.requestHash, at: now)))
        }
        unit.phase = .submitting
        unit.inFlight = true
        unit.retryAt = nil
        units[id] = unit
        hold(unit)
        inFlight.submits += 1
        actions.append(.submit(unit: id, request: unit.set.request))
        return actions
    }

    /// Counts a unit as open: its entities locked, its offers in flight.
    mutating func hold(_ unit: Unit) {
        for entity in unit.set.targetEntityIds { entityLocks[entity, default: 0] += 1 }
        offersInFlight += unit.offerKeys.count
        openCount += 1
    }

    /// Releases what ``hold(_:)`` took.
    mutating func release(_ unit: Unit) {
        for entity in unit.set.targetEntityIds {
            let count = (entityLocks[entity] ?? 1) - 1
            entityLocks[entity] = count > 0 ? count : nil
        }
        offersInFlight = max(0, offersInFlight - unit.offerKeys.count)
        openCount = max(0, openCount - 1)
    }
}
