import CatalogModels
import Clocks
import Foundation

extension CatalogEmulator {
    // MARK: StartChangeSet

    /// The body of StartChangeSet: envelope checks, idempotency, the synchronous plan, then
    /// open-set quota, locks and offers in progress; creates the PREPARING set.
    func start(_ request: StartChangeSetRequest, now: Date) throws(CatalogError) -> StartChangeSetResponse {
        try ChangeSetPlanner.checkEnvelope(request)
        var unsigned = request
        unsigned.clientRequestToken = nil
        let fingerprint = (try? CatalogJSON.encodeValue(unsigned).canonicalString) ?? ""
        if let token = request.clientRequestToken, let previous = tokens[token] {
            guard previous.fingerprint == fingerprint else {
                throw invalid("ClientRequestToken '\(token)' was already used for a different StartChangeSet request (change set \(previous.changeSetId)); use a new token for a new request")
            }
            let record = changeSets[previous.changeSetId]!
            return StartChangeSetResponse(changeSetId: record.id, changeSetArn: record.arn)
        }
        var reserved: Set<String> = []
        for id in openChangeSetIds { reserved.formUnion(changeSets[id]!.plan.createdIds.values) }
        var planner = ChangeSetPlanner(store: store, accountId: configuration.accountId, today: CatalogTime.dayNumber(now),
                                       idGenerator: entityIds, reservedIds: reserved)
        let plan = try planner.plan(request)

        let limits = configuration.limits
        guard openChangeSetIds.count < limits.maxOpenChangeSets else {
            throw CatalogError(.serviceQuotaExceeded,
                               message: "You have \(openChangeSetIds.count) open change sets, the maximum of \(limits.maxOpenChangeSets); wait for some to finish (SUCCEEDED, FAILED or CANCELLED) before starting more")
        }
        for id in openChangeSetIds {
            let open = changeSets[id]!
            if let entity = plan.lockedEntityIds.sorted().first(where: open.plan.lockedEntityIds.contains) {
                throw CatalogError(.resourceInUse,
                                   message: "Requested resource \(entity) is currently in use by change set \(open.id) (\(open.status.rawValue)); retry when it has finished")
            }
        }
        var offersInProgress: Set<String> = []
        for id in openChangeSetIds { offersInProgress.formUnion(changeSets[id]!.plan.offerEntityIds) }
        let adding = plan.offerEntityIds.subtracting(offersInProgress)
        if !adding.isEmpty, offersInProgress.count + adding.count > limits.maxOffersInProgress {
            throw CatalogError(.serviceQuotaExceeded,
                               message: "At most \(limits.maxOffersInProgress) offers can be created or updated at the same time; \(offersInProgress.count) are in progress and this change set adds \(adding.count)")
        }

        entityIds = planner.idGenerator
        var id: String
        repeat { id = changeSetIds.string(count: 25) } while changeSets[id] != nil
        let timing = configuration.lifecycle
        func duration(_ base: Double) -> Double {
            let u = lifecycleJitter.nextUnit() * 2 - 1
            return max(0, base * (1 + timing.jitter * u))
        }
        let prepare = duration(timing.prepareSeconds)
        let apply = duration(timing.applySeconds)
        let serverFault = serverFaultDraws.chance(faults.serverFaultRate)
        changeSetSequence += 1
        let record = ChangeSetRecord(
            id: id, arn: "arn:aws:aws-marketplace:\(configuration.region):\(configuration.accountId):AWSMarketplace/ChangeSet/\(id)",
            sequence: changeSetSequence, name: request.changeSetName, tags: request.changeSetTags, plan: plan,
            startTime: now, prepareEnd: now.addingTimeInterval(prepare), applyEnd: now.addingTimeInterval(prepare + apply),
            serverFault: serverFault)
        changeSets[id] = record
        openChangeSetIds.append(id)
        if let token = request.clientRequestToken { tokens[token] = (fingerprint, id) }
        // A zero-length lifecycle finishes at once.
        advanceLifecycle(to: now)
        return StartChangeSetResponse(changeSetId: id, changeSetArn: record.arn)
    }

    // MARK: Lifecycle

    /// Moves every open change set through the transitions due by `now`, earliest first
    /// (ties in start order), so sets see each other's effects in time order.
    func advanceLifecycle(to now: Date) {
        while true {
            var next: (time: Date, sequence: Int, id: String)?
            for id in openChangeSetIds {
                let record = changeSets[id]!
                guard let time = record.nextTransition, time <= now else { continue }
                if next == nil || time < next!.time || (time == next!.time && record.sequence < next!.sequence) {
                    next = (time, record.sequence, id)
                }
            }
            guard let next else { return }
            transition(next.id, at: next.time)
        }
    }

    /// One transition of one change set at `time`.
    private func transition(_ id: String, at time: Date) {
        var record = changeSets[id]!
        let evaluator = ChangeSetEvaluator(configuration: configuration, now: time)
        switch record.status {
        case .preparing:
            if record.serverFault {
                record.status = .applying
            } else {
                let evaluation = evaluator.evaluate(record.plan, on: store)
                if evaluation.succeeded {
                    record.status = .applying
                } else {
                    fail(&record, evaluation, evaluator: evaluator, at: time)
                }
            }
        case .applying:
            if record.serverFault {
                record.status = .failed
                record.failureCode = .serverFault
                record.failureDescription = "An internal error occurred while applying the change set; none of its changes were applied. It is safe to submit it again."
                record.endTime = time
                serverFaultCount += 1
            } else {
                let evaluation = evaluator.evaluate(record.plan, on: store)
                if evaluation.succeeded {
                    if record.plan.intent == .apply {
                        store = evaluation.store
                        record.revisions = evaluation.revisions
                    }
                    record.status = .succeeded
                    record.endTime = time
                } else {
                    fail(&record, evaluation, evaluator: evaluator, at: time)
                }
            }
        default:
            return
        }
        changeSets[id] = record
        if record.status.isFinal { openChangeSetIds.removeAll { $0 == id } }
    }

    /// Marks a set FAILED (CLIENT_ERROR) with each failing change's error; in
    /// `partialApplyOnFailure` mode the creates that succeeded are applied anyway.
    private func fail(_ record: inout ChangeSetRecord, _ evaluation: Evaluation, evaluator: ChangeSetEvaluator, at time: Date) {
        record.status = .failed
        record.failureCode = .clientError
        record.failures = evaluation.failures
        record.endTime = time
        let failed = evaluation.failures.count
        let total = record.plan.changes.count
        var description = "\(failed) of \(total) change\(total == 1 ? "" : "s") failed; see each change's ErrorDetailList."
        if faults.partialApplyOnFailure, record.plan.intent == .apply, !evaluation.succeededCreates.isEmpty {
            let partial = evaluator.evaluate(record.plan, on: store, only: Set(evaluation.succeededCreates))
            store = partial.store
            description += " Some entities may have been created."
        } else {
            description += " None of the changes were applied."
        }
        record.failureDescription = description
    }

    // MARK: DescribeChangeSet, ListChangeSets, CancelChangeSet

    func describe(_ request: DescribeChangeSetRequest) throws(CatalogError) -> DescribeChangeSetResponse {
        try ChangeSetPlanner.checkCatalog(request.catalog)
        guard let record = changeSets[request.changeSetId] else {
            throw CatalogError(.resourceNotFound, message: "Change set \(request.changeSetId) was not found")
        }
        return record.description
    }

    func cancel(_ request: CancelChangeSetRequest, now: Date) throws(CatalogError) -> CancelChangeSetResponse {
        try ChangeSetPlanner.checkCatalog(request.catalog)
        guard var record = changeSets[request.changeSetId] else {
            throw CatalogError(.resourceNotFound, message: "Change set \(request.changeSetId) was not found")
        }
        switch record.status {
        case .preparing:
            record.status = .cancelled
            record.endTime = now
            changeSets[record.id] = record
            openChangeSetIds.removeAll { $0 == record.id }
        case .cancelled:
            break // Cancelling again answers as the first time did.
        case .applying:
            throw CatalogError(.resourceInUse, message: "Change set \(record.id) is APPLYING and can no longer be cancelled; only a PREPARING change set can be cancelled")
        default:
            throw invalid("Change set \(record.id) is already \(record.status.rawValue); only a PREPARING change set can be cancelled")
        }
        return CancelChangeSetResponse(changeSetId: record.id, changeSetArn: record.arn)
    }

    func list(_ request: ListChangeSetsRequest) throws(CatalogError) -> ListChangeSetsResponse {
        try ChangeSetPlanner.checkCatalog(request.catalog)
        let size = request.maxResults ?? 20
        guard (1...20).contains(size) else {
            throw invalid("1 validation error detected: Value '\(size)' at 'maxResults' failed to satisfy constraint: Member must have value between 1 and 20")
        }
        let filters = request.filterList ?? []
        guard filters.count <= 8 else {
            throw invalid("1 validation error detected: Value at 'filterList' failed to satisfy constraint: Member must have length less than or equal to 8 (got \(filters.count))")
        }
        var predicates: [(ChangeSetRecord) -> Bool] = []
        for filter in filters {
            let name = filter.name ?? ""
            let values = filter.valueList ?? []
            guard (1...10).contains(values.count) else {
                throw invalid("Filter \(name): ValueList must have 1–10 values (got \(values.count))")
            }
            switch name {
            case "ChangeSetName":
                let names = Set(values)
                predicates.append { $0.name.map(names.contains) ?? false }
            case "Status":
                let valid = ["PREPARING", "APPLYING", "SUCCEEDED", "CANCELLED", "FAILED"]
                if let bad = values.first(where: { !valid.contains($0) }) {
                    throw invalid("Filter Status: '\(bad)' is not a change set status; expected \(valid.joined(separator: ", "))")
                }
                let statuses = Set(values)
                predicates.append { statuses.contains($0.status.rawValue) }
            case "EntityId":
                let ids = Set(values.map(ChangeSetPlanner.baseId))
                predicates.append { !ids.isDisjoint(with: $0.entityIdList) }
            case "BeforeStartTime", "AfterStartTime", "BeforeEndTime", "AfterEndTime":
                guard values.count == 1, let date = CatalogTime.parseTimestamp(values[0]) else {
                    throw invalid("Filter \(name) takes one ISO 8601 date-time such as 2030-01-31T12:00:00Z (got \(values.joined(separator: ", ")))")
                }
                switch name {
                case "BeforeStartTime": predicates.append { $0.startTime < date }
                case "AfterStartTime": predicates.append { $0.startTime > date }
                case "BeforeEndTime": predicates.append { $0.endTime.map { $0 < date } ?? false }
                default: predicates.append { $0.endTime.map { $0 > date } ?? false }
                }
            default:
                throw invalid("Filter name '\(name)' is not supported by ListChangeSets; use ChangeSetName, Status, EntityId, BeforeStartTime, AfterStartTime, BeforeEndTime or AfterEndTime")
            }
        }
        let sortBy = request.sort?.sortBy ?? "StartTime"
        guard ["ChangeSetId", "ChangeSetName", "StartTime", "EndTime"].contains(sortBy) else {
            throw invalid("Sort.SortBy '\(sortBy)' is not supported by ListChangeSets; use ChangeSetId, ChangeSetName, StartTime or EndTime")
        }
        let descending = try Self.isDescending(request.sort?.sortOrder)
        var fingerprintRequest = request
        fingerprintRequest.nextToken = nil
        fingerprintRequest.maxResults = nil
        let fingerprint = PageCursor.fingerprint((try? CatalogJSON.encodeValue(fingerprintRequest)) ?? .null)
        let cursor = try request.nextToken.map { (token) throws(CatalogError) in try PageCursor(token: token, fingerprint: fingerprint) }
        let matching = changeSets.values.filter { record in predicates.allSatisfy { $0(record) } }
        let items = matching.map { record -> (key: SortKey, id: String, item: ChangeSetRecord) in
            let key: SortKey
            switch sortBy {
            case "ChangeSetId": key = .text(record.id)
            case "ChangeSetName": key = record.name.map { .text($0) } ?? .missing
            case "EndTime": key = record.endTime.map { .number($0.timeIntervalSince1970) } ?? .missing
            default: key = .number(record.startTime.timeIntervalSince1970)
            }
            return (key, String(format: "%012d", record.sequence), record)
        }
        let page = Pager(items: items, descending: descending).page(after: cursor, size: size, fingerprint: fingerprint)
        return ListChangeSetsResponse(changeSetSummaryList: page.items.map(\.summary), nextToken: page.next?.token)
    }

    /// `ASCENDING` (default) or `DESCENDING`.
    static func isDescending(_ order: Sort.Order?) throws(CatalogError) -> Bool {
        guard let order else { return false }
        switch order {
        case .ascending: return false
        case .descending: return true
        default: throw invalid("Sort.SortOrder '\(order.rawValue)' is not valid; use ASCENDING or DESCENDING")
        }
    }
}
