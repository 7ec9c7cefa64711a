import CatalogModels
import Clocks
import Foundation

/// What the driver reports back to ``RunMachine``.
enum MachineEvent: Sendable {
    /// The StartChangeSet call of a unit ended.
    case submitted(unit: Int, SubmitResult)
    /// A ListChangeSets poll answered (all pages).
    case listed(poll: Int, Result<[ChangeSetSummaryListItem], CatalogError>)
    /// DescribeChangeSet answered.
    case described(unit: Int, Result<DescribeChangeSetResponse, CatalogError>)
    /// The creation lookups of a unit ended.
    case lookedUp(unit: Int, Result<CreationLookup, CatalogError>)
    /// The history search of a unit ended.
    case history(unit: Int, Result<[ChangeSetSummaryListItem], CatalogError>)
    /// Time passed (a timer fired).
    case timer
}

/// How a StartChangeSet call ended after its retries.
enum SubmitResult: Sendable {
    /// Accepted: the change set's id and ARN.
    case accepted(id: String, arn: String?)
    /// Refused or pushed back (not retried by the call itself).
    case refused(CatalogError)
    /// Transient failures used up the attempts: the fate is unknown if the last was a timeout.
    case gaveUp(CatalogError)
}

/// What the creation lookups of a unit found.
struct CreationLookup: Sendable {
    /// Creates whose entity exists (row, change index in the unit's request, entity id).
    var found: [AdaptedCreate]
    /// Rows with a create that cannot be looked up automatically.
    var unverifiable: [Int: String]
}

extension RunMachine {
    /// Feeds one event.
    mutating func handle(_ event: MachineEvent, now: Date) {
        switch event {
        case .submitted(let id, let result): submitted(id, result, now: now)
        case .listed(let poll, let result): listed(poll, result, now: now)
        case .described(let id, let result): described(id, result, now: now)
        case .lookedUp(let id, let result): lookedUp(id, result, now: now)
        case .history(let id, let result): history(id, result, now: now)
        case .timer: break
        }
    }

    // MARK: Submission

    private mutating func submitted(_ id: Int, _ result: SubmitResult, now: Date) {
        inFlight.submits -= 1
        guard var unit = units[id] else { return }
        unit.inFlight = false
        switch result {
        case .accepted(let changeSetId, let arn):
            emit(.journal(.accepted(token: unit.set.clientRequestToken, changeSetId: changeSetId, changeSetArn: arn,
                                    viaHistory: false, at: now)))
            accept(&unit, id: changeSetId, arn: arn, status: .preparing, now: now)
            units[id] = unit
            counters.accepted += 1
            quotaRefusals = 0
            if effectiveMaxOpen < options.maxOpenChangeSets { effectiveMaxOpen += 1 }
        case .refused(let error):
            release(unit)
            if error.code == .serviceQuotaExceeded {
                unit.phase = .waiting
                units[id] = unit
                quotaRefusals += 1
                counters.backPressureWaits += 1
                let delay = waitDelay(quotaRefusals)
                holdUntil = now.addingTimeInterval(delay)
                effectiveMaxOpen = max(1, openCount)
                emit(.notice(RunNotice(.backPressure, "too many open change sets for the account (ServiceQuotaExceededException): waiting \(Self.seconds(delay)) and for open sets to finish; at most \(effectiveMaxOpen) open for now", rows: unit.liveRows)))
            } else if error.code == .resourceInUse {
                unit.phase = .waiting
                unit.waits += 1
                let delay = waitDelay(unit.waits)
                unit.retryAt = now.addingTimeInterval(delay)
                units[id] = unit
                counters.backPressureWaits += 1
                emit(.notice(RunNotice(.lockWait, "\(unit.set.changeSetName): an entity is locked by another open change set (ResourceInUseException); trying again in \(Self.seconds(delay))", rows: unit.liveRows)))
            } else if error.code.isAuthentication {
                unit.phase = .waiting
                units[id] = unit
                stopReason = .halted("\(error.code.wireName): \(error.message)")
                emit(.notice(RunNotice(.halted, "the service refused the credentials (\(error.code.wireName): \(error.message)): nothing more is sent; fix the credentials or the clock and run the same command again", rows: [])))
            } else {
                emit(.journal(.refused(token: unit.set.clientRequestToken, code: error.code.wireName, message: error.message)))
                for row in unit.liveRows { rows[row]?.attempts += 1 }
                counters.refused += 1
                units[id] = unit
                handleRefusal(id, code: error.code.wireName, message: error.message)
            }
        case .gaveUp(let error):
            release(unit)
            let reason = "StartChangeSet kept failing (\(error.code.wireName): \(error.message)); whether it reached the service is unknown: run the same command again to reconcile and resume"
            emit(.journal(.parked(token: unit.set.clientRequestToken, code: error.code.wireName, message: error.message)))
            unit.phase = .parked
            unit.parkedReason = reason
            units[id] = unit
            counters.parked += 1
            emit(.notice(RunNotice(.parked, "\(unit.set.changeSetName): \(reason)", rows: unit.liveRows)))
        }
    }

    /// Records that `unit` is on the service as `changeSetId`.
    mutating func accept(_ unit: inout Unit, id changeSetId: String, arn: String?, status: ChangeStatus, now: Date) {
        unit.phase = .open
        unit.unknownFate = false
        unit.changeSetId = changeSetId
        knownChangeSetIds.insert(changeSetId)
        unit.changeSetArn = arn
        unit.status = status
        unit.acceptedAt = now
        unit.nextPollAt = now.addingTimeInterval(options.firstPollDelay)
        unit.pollMisses = 0
        for row in unit.liveRows {
            rows[row]?.attempts += 1
            rows[row]?.lastChangeSetId = changeSetId
            rows[row]?.lastChangeSetArn = arn
            rows[row]?.lastStatus = status.rawValue
        }
    }

    /// When to poll an open set of `age` seconds again: every ``RunOptions/minPollInterval``
    /// once it nears the typical duration of the run's sets (from 80 % of it on), else a tenth
    /// of its age, between the minimum and ``RunOptions/maxPollInterval`` — so sets that take
    /// hours cost a few calls, and a set is seen final soon after it is.
    func pollInterval(age: Double) -> Double {
        if let typical = typicalDuration, age >= 0.8 * typical { return options.minPollInterval }
        return min(options.maxPollInterval, max(options.minPollInterval, age / 10))
    }

    /// A refusal at submission (422, 404, 403 …): one row fails with the service's message;
    /// several rows are cut in halves (nothing was created, so nothing to look up).
    mutating func handleRefusal(_ id: Int, code: String, message: String) {
        guard let unit = units[id] else { return }
        if unit.liveRows.count == 1 {
            let row = unit.liveRows[0]
            conclude(id, [(row, RowResult(outcome: .failed, errorCode: code, errorMessage: message, attempts: rows[row]?.attempts ?? 1))])
            finish(id)
        } else {
            cut(id, reason: .bisect, groups: halves(unit.liveRows), check: [],
                why: "refused at submission (\(code)); cutting it in two to find the row at fault")
        }
    }

    // MARK: Tracking

    private mutating func listed(_ poll: Int, _ result: Result<[ChangeSetSummaryListItem], CatalogError>, now: Date) {
        inFlight.polls -= 1
        let members = polls.removeValue(forKey: poll) ?? []
        var byID: [String: ChangeSetSummaryListItem] = [:]
        if case .success(let items) = result {
            for item in items { if let id = item.changeSetId { byID[id] = item } }
        }
        for id in members {
            guard var unit = units[id] else { continue }
            unit.inFlight = false
            units[id] = unit
            guard unit.phase == .open else { continue }
            switch result {
            case .success:
                if let changeSetId = unit.changeSetId, let item = byID[changeSetId], let status = item.status {
                    units[id]?.pollMisses = 0
                    observe(id, status: status, failureCode: item.failureCode?.rawValue, description: nil, now: now)
                } else {
                    units[id]?.pollMisses += 1
                    units[id]?.nextPollAt = now.addingTimeInterval(options.minPollInterval)
                }
            case .failure:
                units[id]?.nextPollAt = now.addingTimeInterval(options.minPollInterval)
            }
        }
    }

    /// A status seen for an open unit: journal it, and when final release the unit's locks and
    /// describe it.
    mutating func observe(_ id: Int, status: ChangeStatus, failureCode: String?, description: String?, now: Date) {
        guard var unit = units[id], unit.phase == .open else { return }
        let token = unit.set.clientRequestToken
        if status.isFinal {
            if let acceptedAt = unit.acceptedAt, unit.phase == .open {
                // Learn how long sets take (an average that follows recent ones), to poll
                // densely only around the time a set is likely to finish.
                let took = now.timeIntervalSince(acceptedAt)
                typicalDuration = typicalDuration.map { 0.8 * $0 + 0.2 * took } ?? took
            }
            emit(.journal(.final(token: token, status: status.rawValue, failureCode: failureCode, description: description)))
            unit.status = status
            unit.failureCode = failureCode
            unit.failureDescription = description
            unit.phase = .describing
            unit.retryAt = nil
            units[id] = unit
            release(unit)
            idleSince = nil
            for row in unit.liveRows { rows[row]?.lastStatus = status.rawValue }
            return
        }
        if status != unit.status {
            emit(.journal(.status(token: token, status: status.rawValue)))
            unit.status = status
            for row in unit.liveRows { rows[row]?.lastStatus = status.rawValue }
        }
        unit.nextPollAt = now.addingTimeInterval(pollInterval(age: now.timeIntervalSince(unit.acceptedAt ?? now)))
        units[id] = unit
    }

    private mutating func described(_ id: Int, _ result: Result<DescribeChangeSetResponse, CatalogError>, now: Date) {
        inFlight.describes -= 1
        guard var unit = units[id] else { return }
        unit.inFlight = false
        units[id] = unit
        switch result {
        case .success(let response):
            if unit.phase == .open {
                guard let status = response.status else {
                    units[id]?.nextPollAt = now.addingTimeInterval(options.minPollInterval)
                    return
                }
                observe(id, status: status, failureCode: response.failureCode?.rawValue,
                        description: response.failureDescription, now: now)
                guard units[id]?.phase == .describing else { return }
            }
            guard units[id]?.phase == .describing else { return }
            finalize(id, response: response, now: now)
        case .failure(let error):
            unit.describeFailures += 1
            if unit.phase == .open {
                unit.nextPollAt = now.addingTimeInterval(max(options.minPollInterval, waitDelay(unit.describeFailures)))
                units[id] = unit
            } else if unit.describeFailures >= options.maxAttempts || (!error.isRetryable && unit.describeFailures >= 2) {
                units[id] = unit
                finalize(id, response: nil, now: now)
            } else {
                unit.retryAt = now.addingTimeInterval(waitDelay(unit.describeFailures))
                units[id] = unit
            }
        }
    }

    /// A final unit's rows reach their outcome (or go on in new sets), from its description
    /// (`nil` when it could not be described: the list's status and failure code only).
    mutating func finalize(_ id: Int, response: DescribeChangeSetResponse?, now: Date) {
        guard let unit = units[id] else { return }
        let status = response?.status ?? unit.status ?? .failed
        let changeSetId = unit.changeSetId
        let arn = response?.changeSetArn ?? unit.changeSetArn
        let failureCode = response?.failureCode?.rawValue ?? unit.failureCode
        let description = response?.failureDescription ?? unit.failureDescription
        let summaries = response?.changeSet
        let live = Set(unit.liveRows)
        let planned = unit.set.rows.filter { live.contains($0.rowIndex) }

        func base(_ row: Int, _ outcome: RowOutcome) -> RowResult {
            RowResult(outcome: outcome, changeSetId: changeSetId, changeSetArn: arn, changeSetStatus: status.rawValue,
                      attempts: rows[row]?.attempts ?? 1)
        }

        if status == .succeeded {
            let results = planned.map { row -> (Int, RowResult) in
                var result = base(row.rowIndex, .succeeded)
                result.entityId = Self.entityId(of: row, in: unit.set, summaries: summaries)
                return (row.rowIndex, result)
            }
            conclude(id, results)
            finish(id)
            return
        }
        if status == .cancelled {
            conclude(id, planned.map { row in
                var result = base(row.rowIndex, .cancelled)
                result.errorMessage = "the change set was cancelled before it was applied"
                return (row.rowIndex, result)
            })
            finish(id)
            return
        }
        if status != .failed {
            // Not final after all: keep following it.
            units[id]?.phase = .open
            units[id]?.nextPollAt = now.addingTimeInterval(options.minPollInterval)
            hold(unit)
            return
        }

        let creators = Set(planned.filter { !$0.creations.isEmpty }.map(\.rowIndex))
        if failureCode == FailureCode.serverFault.rawValue {
            var failed: [(Int, RowResult)] = []
            var again: [Int] = []
            for row in planned {
                rows[row.rowIndex]?.serverFaults += 1
                if (rows[row.rowIndex]?.serverFaults ?? 0) > options.serverFaultResubmissions {
                    var result = base(row.rowIndex, .failed)
                    result.failureCode = failureCode
                    result.errorCode = failureCode
                    result.errorMessage = (description.map { $0 + "; " } ?? "")
                        + "the service failed the change set (SERVER_FAULT) \(Plural.count(options.serverFaultResubmissions + 1, "time")); send it again later with `bulkrunner retry RESULTS.csv`"
                    failed.append((row.rowIndex, result))
                } else {
                    again.append(row.rowIndex)
                }
            }
            if !failed.isEmpty { conclude(id, failed) }
            if again.isEmpty {
                finish(id)
            } else {
                counters.resubmissions += 1
                cut(id, reason: .resubmit, groups: [again], check: creators,
                    why: "FAILED with SERVER_FAULT (nothing applied, says the service); sending it again")
            }
            return
        }

        // CLIENT_ERROR (or an unknown failure): find the rows at fault.
        var errors: [Int: [ErrorDetail]] = [:]
        if let summaries {
            for row in planned {
                let details = row.changeIndices.flatMap { index -> [ErrorDetail] in
                    Self.summary(at: index, in: unit.set, summaries: summaries)?.errorDetailList ?? []
                }
                if !details.isEmpty { errors[row.rowIndex] = details }
            }
        }
        func failedResult(_ row: Int) -> RowResult {
            var result = base(row, .failed)
            result.failureCode = failureCode
            let details = errors[row] ?? []
            result.errorCode = details.first?.errorCode ?? failureCode
            var messages: [String] = []
            for detail in details {
                let text = [detail.errorCode, detail.errorMessage].compactMap { $0 }.joined(separator: ": ")
                if !text.isEmpty, !messages.contains(text) { messages.append(text) }
            }
            result.errorMessage = messages.isEmpty ? (description ?? "the change set FAILED (\(failureCode ?? "no failure code"))") : messages.joined(separator: "; ")
            return result
        }
        if planned.count == 1 {
            conclude(id, [(planned[0].rowIndex, failedResult(planned[0].rowIndex))])
            finish(id)
        } else if !errors.isEmpty {
            let bad = planned.map(\.rowIndex).filter { errors[$0] != nil }
            let good = planned.map(\.rowIndex).filter { errors[$0] == nil }
            conclude(id, bad.map { ($0, failedResult($0)) })
            if good.isEmpty {
                finish(id)
            } else {
                cut(id, reason: .isolate, groups: [good], check: creators,
                    why: "FAILED because of \(Plural.word(bad.count, "row")) \(Self.lineList(bad)); sending the \(good.count == 1 ? "other row" : "\(good.count) other rows") again")
            }
        } else {
            cut(id, reason: .bisect, groups: halves(planned.map(\.rowIndex)), check: creators,
                why: "FAILED (\(failureCode ?? "no failure code")) without saying which change; cutting it in two")
        }
    }

    /// The ChangeSummary DescribeChangeSet gives for change `index` of `set`: by position when
    /// the counts agree, else by ChangeName.
    static func summary(at index: Int, in set: PlannedChangeSet, summaries: [ChangeSummary]) -> ChangeSummary? {
        if summaries.count == set.request.changeSet.count { return summaries[index] }
        guard let name = set.request.changeSet[index].changeName else { return nil }
        return summaries.first { $0.changeName == name }
    }

    /// The entity a SUCCEEDED row created or changed: its first create's identifier, else its
    /// first change's; without `@revision`.
    static func entityId(of row: PlannedRow, in set: PlannedChangeSet, summaries: [ChangeSummary]?) -> String? {
        let preferred = (row.creations.map(\.changeIndex) + row.changeIndices)
        for index in preferred {
            if let summaries, let id = summary(at: index, in: set, summaries: summaries)?.entity?.identifier,
               !id.isEmpty, !id.hasPrefix("$") {
                return PlannedChangeSet.withoutRevision(id)
            }
        }
        for index in row.changeIndices {
            if let id = set.request.changeSet[index].entity.identifier, !id.hasPrefix("$") {
                return PlannedChangeSet.withoutRevision(id)
            }
        }
        return nil
    }

    // MARK: Lookups

    private mutating func lookedUp(_ id: Int, _ result: Result<CreationLookup, CatalogError>, now: Date) {
        inFlight.lookups -= 1
        guard var unit = units[id] else { return }
        unit.inFlight = false
        unit.phase = .waiting
        switch result {
        case .failure(let error):
            unit.waits += 1
            if error.isRetryable || error.isBackPressure, unit.waits < options.maxAttempts {
                unit.retryAt = now.addingTimeInterval(waitDelay(unit.waits))
                units[id] = unit
            } else {
                units[id] = unit
                park(id, code: error.code.wireName,
                     reason: "could not check whether the entity of an earlier failed attempt exists (\(error.code.wireName): \(error.message)); nothing was sent: run the same command again")
            }
        case .success(let lookup):
            units[id] = unit
            if lookup.found.isEmpty && lookup.unverifiable.isEmpty {
                units[id]?.checkRows = []
                return
            }
            if !lookup.unverifiable.isEmpty {
                conclude(id, lookup.unverifiable.sorted { $0.key < $1.key }.map { row, what in
                    (row, RowResult(outcome: .failed, changeSetId: rows[row]?.lastChangeSetId,
                                    changeSetArn: rows[row]?.lastChangeSetArn, changeSetStatus: rows[row]?.lastStatus,
                                    errorCode: "UNVERIFIED_CREATE",
                                    errorMessage: "not sent again: its earlier change set failed and whether \(what) was created cannot be checked automatically; check by hand, then remove the entity or this row and run again",
                                    attempts: rows[row]?.attempts ?? 0))
                })
            }
            guard let current = units[id] else { return }
            let remaining = current.liveRows
            guard !remaining.isEmpty else {
                finish(id)
                return
            }
            if lookup.found.isEmpty {
                cut(id, reason: .adapt, groups: [remaining], check: [], adapt: [], why: nil)
                return
            }
            let adapted = current.set.child(rows: remaining, adapt: lookup.found)
            let kept = Set(adapted.rowIndices)
            var done: [(Int, RowResult)] = []
            for row in remaining where !kept.contains(row) {
                let ids = lookup.found.filter { $0.row == row }.map(\.entityId)
                done.append((row, RowResult(outcome: .succeeded, changeSetId: rows[row]?.lastChangeSetId,
                                            changeSetArn: rows[row]?.lastChangeSetArn, changeSetStatus: rows[row]?.lastStatus,
                                            entityId: ids.first,
                                            errorMessage: "\(ids.joined(separator: ", ")) already existed (created by an earlier attempt whose change set did not succeed); not created again",
                                            attempts: rows[row]?.attempts ?? 0)))
            }
            counters.existingEntities += lookup.found.count
            emit(.notice(RunNotice(.existingEntity, "\(current.set.changeSetName): \(lookup.found.count) entit\(lookup.found.count == 1 ? "y" : "ies") already exist (\(lookup.found.map(\.entityId).joined(separator: ", "))): not created again", rows: lookup.found.map(\.row))))
            if !done.isEmpty { conclude(id, done) }
            if kept.isEmpty {
                finish(id)
            } else {
                cut(id, reason: .adapt, groups: [remaining], check: [], adapt: lookup.found, why: nil)
            }
        }
    }

    // MARK: History

    private mutating func history(_ id: Int, _ result: Result<[ChangeSetSummaryListItem], CatalogError>, now: Date) {
        inFlight.history -= 1
        guard var unit = units[id] else { return }
        unit.inFlight = false
        switch result {
        case .failure(let error):
            unit.waits += 1
            if error.isRetryable, unit.waits < options.maxAttempts {
                unit.retryAt = now.addingTimeInterval(waitDelay(unit.waits))
                units[id] = unit
            } else {
                units[id] = unit
                park(id, code: error.code.wireName,
                     reason: "sent in an earlier run; could not search the change-set history (\(error.code.wireName): \(error.message)): run the same command again")
            }
        case .success(let items):
            let known = knownChangeSetIds.union(journal.knownChangeSetIds)
            let earliest = (unit.announcedAt ?? startedAt).addingTimeInterval(-600)
            let candidates = items.filter { item in
                guard let changeSetId = item.changeSetId, item.changeSetName == unit.set.changeSetName,
                      !known.contains(changeSetId) else { return false }
                if let text = item.startTime, let start = ISOTimestamp.parse(text) { return start >= earliest }
                return true
            }.sorted { ($0.startTime ?? "", $0.changeSetId ?? "") < ($1.startTime ?? "", $1.changeSetId ?? "") }
            if let found = candidates.first, let changeSetId = found.changeSetId {
                emit(.journal(.accepted(token: unit.set.clientRequestToken, changeSetId: changeSetId,
                                        changeSetArn: found.changeSetArn, viaHistory: true, at: now)))
                accept(&unit, id: changeSetId, arn: found.changeSetArn, status: found.status ?? .preparing, now: now)
                unit.nextPollAt = now
                units[id] = unit
                hold(unit)
                emit(.notice(RunNotice(.resumed, "\(unit.set.changeSetName): found in the change-set history as \(changeSetId) (\(found.status?.rawValue ?? "status unknown"))", rows: unit.liveRows)))
                if let status = found.status, status.isFinal {
                    observe(id, status: status, failureCode: found.failureCode?.rawValue, description: nil, now: now)
                }
            } else {
                unit.unknownFate = false
                if options.sendsChangeSets {
                    // Not in the history: send the identical request with the same token; if it
                    // did reach the service, the service answers with the original change set.
                    unit.phase = .waiting
                    units[id] = unit
                } else {
                    units[id] = unit
                    park(id, code: "NOT_FOUND",
                         reason: "announced in an earlier run but not found in the change-set history; a status check sends nothing: run the command again to send it")
                }
            }
        }
    }

    // MARK: Helpers

    /// Rows reach their outcome in unit `id`: journaled, taken off the unit's live rows.
    mutating func conclude(_ id: Int, _ results: [(Int, RowResult)]) {
        guard !results.isEmpty, var unit = units[id] else { return }
        emit(.journal(.rows(token: unit.set.clientRequestToken,
                            results: results.map { JournalRecord.RowRecord(row: $0.0, result: $0.1) })))
        let concluded = Set(results.map(\.0))
        for (row, result) in results { rows[row]?.result = result }
        unit.liveRows.removeAll { concluded.contains($0) }
        unit.checkRows.subtract(concluded)
        units[id] = unit
    }

    /// Cuts unit `id` into new units of `groups` of its rows (journaled first), and ends it.
    mutating func cut(_ id: Int, reason: JournalRecord.SplitReason, groups: [[Int]], check: Set<Int>,
                      adapt: [AdaptedCreate] = [], why: String?) {
        guard let unit = units[id] else { return }
        var specs: [JournalRecord.ChildSpec] = []
        var children: [(PlannedChangeSet, Set<Int>)] = []
        for group in groups where !group.isEmpty {
            let child = unit.set.child(rows: group, adapt: adapt.filter { group.contains($0.row) })
            let childCheck = check.intersection(child.rowIndices)
            specs.append(JournalRecord.ChildSpec(token: child.clientRequestToken, rows: group,
                                                 check: childCheck.sorted(), adapt: adapt.filter { group.contains($0.row) }))
            children.append((child, childCheck))
        }
        emit(.journal(.children(parent: unit.set.clientRequestToken, reason: reason, sets: specs)))
        if reason == .bisect || reason == .isolate { counters.splits += 1 }
        if let why {
            let kind: RunNotice.Kind = reason == .resubmit ? .resubmitted : (reason == .isolate ? .isolated : .split)
            emit(.notice(RunNotice(kind, "\(unit.set.changeSetName) (\(unit.changeSetId ?? "not accepted")): \(why)", rows: unit.liveRows)))
        }
        // The children exist before the parent ends, so the sequence never looks done between.
        for (child, childCheck) in children { makeUnit(child, check: childCheck) }
        units[id]?.liveRows = []
        finish(id)
    }

    /// Ends unit `id` and forgets it (its rows are concluded or belong to other units), so
    /// a long run holds only the sets still alive.
    mutating func finish(_ id: Int) {
        guard let unit = units[id], unit.phase != .done else { return }
        units[id] = nil
        active.removeAll { $0 == id }
        let seq = unit.set.sequenceNumber
        seqLive[seq] = max(0, (seqLive[seq] ?? 1) - 1)
    }

    /// Gives up on unit `id` for this run; its rows stay PENDING with `reason`.
    mutating func park(_ id: Int, code: String, reason: String) {
        guard var unit = units[id] else { return }
        if unit.announced {
            emit(.journal(.parked(token: unit.set.clientRequestToken, code: code, message: reason)))
        }
        unit.phase = .parked
        unit.parkedReason = reason
        units[id] = unit
        counters.parked += 1
        emit(.notice(RunNotice(.parked, "\(unit.set.changeSetName): \(reason)", rows: unit.liveRows)))
    }

    /// Two halves of `rows`, the first the larger.
    func halves(_ rows: [Int]) -> [[Int]] {
        let middle = (rows.count + 1) / 2
        return [Array(rows[..<middle]), Array(rows[middle...])]
    }

    /// A back-pressure wait: "equal jitter" between half and all of min(30 s, 1 s × 2ⁿ⁻¹).
    mutating func waitDelay(_ n: Int) -> Double {
        let ceiling = CallRetry.ceiling(retry: n, base: 1, cap: 30)
        return ceiling / 2 + ceiling / 2 * rng.nextUnit()
    }

    static func seconds(_ value: Double) -> String {
        value < 10 ? String(format: "%.1f s", value) : String(format: "%.0f s", value)
    }
}
