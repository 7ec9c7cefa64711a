import CatalogModels
import Hashing

/// Packs rows' steps into ``PlannedChangeSet``s the engine runs.
///
/// Rows go in sheet order, as many whole steps per set as fit in 20 changes (or at most
/// ``ApplyOptions/rowsPerChangeSet``); a step is never split. Rows of one wave never target
/// the same entity (apply refuses a second row for an entity), so sets have no dependencies.
/// Every set's ClientRequestToken is SHA-256 of a version tag, the wave's run identity, the
/// set's number and the canonical request (name included, token excluded): the same sheet,
/// checks and identity give the same tokens on every rerun, and a different request never
/// reuses one.
enum ApplyPacking {
    /// StartChangeSet's limit.
    static let maximumChanges = 20

    /// One row's step to pack.
    struct Item: Sendable {
        var rowIndex: Int
        var line: Int
        var step: ApplyStep
    }

    /// Packs `items` in order into sets numbered from 1.
    static func pack(_ items: [Item], rowsPerSet: Int?, identity: RunIdentity) -> [PlannedChangeSet] {
        var sets: [PlannedChangeSet] = []
        var open: [Item] = []
        var changes = 0
        let rowLimit = rowsPerSet ?? Int.max
        for item in items {
            if !open.isEmpty, changes + item.step.changes.count > maximumChanges || open.count >= rowLimit {
                sets.append(makeSet(open, sequence: sets.count + 1, identity: identity))
                open = []
                changes = 0
            }
            open.append(item)
            changes += item.step.changes.count
        }
        if !open.isEmpty { sets.append(makeSet(open, sequence: sets.count + 1, identity: identity)) }
        return sets
    }

    /// One set holding `items`, numbered `sequence`.
    static func makeSet(_ items: [Item], sequence: Int, identity: RunIdentity) -> PlannedChangeSet {
        var changes: [Change] = []
        var rows: [PlannedRow] = []
        var targets = Set<String>()
        for item in items {
            let offset = changes.count
            changes.append(contentsOf: item.step.changes)
            let creations = item.step.creation.map { [$0.movedTo(changeIndex: $0.changeIndex + offset)] } ?? []
            rows.append(PlannedRow(rowIndex: item.rowIndex, line: item.line,
                                   changeIndices: Array(offset..<changes.count), targetEntityIds: item.step.targetEntityIds.sorted(),
                                   creations: creations))
            targets.formUnion(item.step.targetEntityIds)
        }
        let name = "bulkrunner \(identity.value) " + padded(sequence)
        var request = StartChangeSetRequest(changeSet: changes, changeSetName: name)
        let token = self.token(identity: identity, sequence: sequence, request: request)
        request.clientRequestToken = token
        return PlannedChangeSet(sequenceNumber: sequence, clientRequestToken: token, changeSetName: name, request: request,
                                rows: rows, targetEntityIds: targets.sorted(), dependencies: [], wave: 0)
    }

    static func token(identity: RunIdentity, sequence: Int, request: StartChangeSetRequest) -> String {
        var hasher = SHA256()
        hasher.update("bulkrunner-apply-token-v1\n")
        hasher.update(identity.value)
        hasher.update("\n\(sequence)\n")
        hasher.update(RequestToken.canonicalBytes(of: request))
        return RequestToken.encode(hasher.finalize())
    }

    static func padded(_ number: Int) -> String {
        let text = String(number)
        return text.count >= 6 ? text : String(repeating: "0", count: 6 - text.count) + text
    }
}
