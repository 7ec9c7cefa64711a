import CatalogModels
import Foundation

extension RunMachine {
    /// Rebuilds the tree of journaled change sets rooted at `token` (whose set the plan
    /// gave again as `set`): concluded rows keep their outcome, sets cut from it are rebuilt
    /// (``PlannedChangeSet/child(rows:adapt:)``) and must come out with the journaled tokens,
    /// and every set still alive resumes where the journal left it:
    ///
    /// | journal says | resumes as |
    /// | --- | --- |
    /// | nothing sent | waiting (looked up first if it must be) |
    /// | `send`, no id | reconciling: ListChangeSets by name; not there → the same request, same token |
    /// | `accepted` | open: polled |
    /// | `final` | describing: its rows' outcomes collected (again) |
    /// | `refused` | cut again the same way, without sending |
    ///
    /// Throws ``BulkRunnerError/Code/inputChanged`` when a rebuilt request's hash or token is
    /// not the journaled one.
    mutating func restore(token: String, set: PlannedChangeSet, check: Set<Int>, now: Date) throws(BulkRunnerError) {
        let node = journal.nodes[token] ?? JournalIndex.Node()
        if let send = node.send, send.hash != set.requestHash {
            throw Self.inputChanged("change set '\(send.name)' (token \(token)) was sent with a different request than the input and template now give")
        }
        for (row, result) in node.concluded.sorted(by: { $0.key < $1.key }) where set.rowIndices.contains(row) {
            var state = rows[row] ?? RowState()
            state.result = result
            state.attempts = max(state.attempts, result.attempts)
            rows[row] = state
        }
        if node.accepted != nil || node.refused != nil {
            for row in set.rowIndices {
                rows[row, default: RowState()].attempts += 1
                if let accepted = node.accepted {
                    rows[row]?.lastChangeSetId = accepted.id
                    rows[row]?.lastChangeSetArn = accepted.arn
                }
                if let status = node.lastStatus { rows[row]?.lastStatus = status }
            }
        }
        if node.final?.failureCode == FailureCode.serverFault.rawValue {
            for row in set.rowIndices { rows[row, default: RowState()].serverFaults += 1 }
        }

        if let children = node.children {
            seqSeen.insert(set.sequenceNumber)
            for spec in children.sets {
                let child = set.child(rows: spec.rows, adapt: spec.adapt)
                guard child.clientRequestToken == spec.token else {
                    throw Self.inputChanged("change set \(set.changeSetName) was cut into a set with token \(spec.token); rebuilt from the input it is \(child.clientRequestToken)")
                }
                try restore(token: spec.token, set: child, check: Set(spec.check), now: now)
            }
            return
        }

        let id = makeUnit(set, check: check)
        guard var unit = units[id] else { return }
        unit.liveRows = set.rowIndices.filter { rows[$0]?.result == nil }
        unit.checkRows = unit.checkRows.intersection(unit.liveRows)
        units[id] = unit
        guard !unit.liveRows.isEmpty else {
            finish(id)
            return
        }
        guard journal.nodes[token] != nil else { return }
        counters.resumedSets += 1
        if let send = node.send {
            unit.announced = true
            unit.announcedAt = send.at
            unit.checkRows = []
        }
        if let accepted = node.accepted {
            unit.changeSetId = accepted.id
            unit.changeSetArn = accepted.arn
            unit.acceptedAt = now
            unit.status = node.lastStatus.map(ChangeStatus.init(rawValue:)) ?? .preparing
            if let final = node.final {
                unit.status = ChangeStatus(rawValue: final.status)
                unit.failureCode = final.failureCode
                unit.failureDescription = final.description
                unit.phase = .describing
                units[id] = unit
            } else {
                unit.phase = .open
                unit.nextPollAt = now
                units[id] = unit
                hold(unit)
            }
        } else if let refused = node.refused {
            units[id] = unit
            handleRefusal(id, code: refused.code, message: refused.message)
        } else if node.send != nil {
            unit.unknownFate = true
            unit.phase = .reconciling
            units[id] = unit
        } else {
            units[id] = unit
        }
    }
}
