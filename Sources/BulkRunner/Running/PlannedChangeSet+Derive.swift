import Foundation
import Hashing
import CatalogModels

extension PlannedChangeSet {
    /// The SHA-256 (hex) of the canonical StartChangeSet body, token and name included: what
    /// the journal records before the first attempt, and compares on resume so a token never
    /// carries a different request.
    var requestHash: String {
        SHA256.hash(RequestJSON.body(of: request).canonicalString).map { byte in
            let hex = String(byte, radix: 16)
            return hex.count == 1 ? "0" + hex : hex
        }.joined()
    }

    /// The set a journaled ``JournalRecord/ChildSpec`` describes: ``subset(rows:)`` of `rows`,
    /// then, when `adapt` is not empty, ``adapted(_:)``.
    func child(rows: [Int], adapt: [AdaptedCreate]) -> PlannedChangeSet {
        let cut = subset(rows: rows)
        guard !adapt.isEmpty else { return cut }
        // Move the change indices from this set to the cut one (a row keeps its changes in order).
        var moved: [AdaptedCreate] = []
        for create in adapt {
            guard let parentRow = self.rows.first(where: { $0.rowIndex == create.row }),
                  let position = parentRow.changeIndices.firstIndex(of: create.changeIndex),
                  let cutRow = cut.rows.first(where: { $0.rowIndex == create.row }) else { continue }
            moved.append(AdaptedCreate(row: create.row, changeIndex: cutRow.changeIndices[position], entityId: create.entityId))
        }
        return cut.adapted(moved)
    }

    /// The same set with some creates dropped because their entities already exist: every
    /// reference `$ChangeName.Entity.Identifier` to a dropped create (in `Entity.Identifier`,
    /// `DetailsDocument` strings and `Details` text) becomes the existing id, which the set
    /// now targets (and locks). Rows left with no change are dropped (they are done). The
    /// token is derived from this set's token and the adaptations, so the same adaptation
    /// gives the same token on every rerun.
    ///
    /// Why apply the remaining changes rather than call the row done: a set that FAILED may
    /// have applied only its creates (the service does not promise a rollback; see
    /// catalog-api.md, "Change sets"), leaving a bare Draft without the row's pricing, terms
    /// or release. Sending the rest to the existing entity makes the row true.
    func adapted(_ creates: [AdaptedCreate]) -> PlannedChangeSet {
        let dropped = Dictionary(creates.map { ($0.changeIndex, $0.entityId) }, uniquingKeysWith: { a, _ in a })
        var substitutions: [String: String] = [:]
        for (index, id) in dropped {
            if let name = request.changeSet[index].changeName {
                substitutions["$\(name).Entity.Identifier"] = id
            }
        }
        var changes: [Change] = []
        var newRows: [PlannedRow] = []
        for row in rows {
            var indices: [Int] = []
            var remap: [Int: Int] = [:]
            var targets = Set(row.targetEntityIds)
            for index in row.changeIndices {
                if let id = dropped[index] {
                    targets.insert(Self.withoutRevision(id))
                    continue
                }
                var change = request.changeSet[index]
                if let identifier = change.entity.identifier, let id = substitutions[identifier] {
                    change.entity.identifier = id
                    targets.insert(Self.withoutRevision(id))
                }
                if let document = change.detailsDocument {
                    change.detailsDocument = Self.substitute(document, substitutions)
                }
                if var details = change.details {
                    for (reference, id) in substitutions { details = details.replacingOccurrences(of: reference, with: id) }
                    change.details = details
                }
                remap[index] = changes.count
                indices.append(changes.count)
                changes.append(change)
            }
            guard !indices.isEmpty else { continue }
            let creations = row.creations.compactMap { key in remap[key.changeIndex].map { key.movedTo(changeIndex: $0) } }
            newRows.append(PlannedRow(rowIndex: row.rowIndex, line: row.line, changeIndices: indices,
                                      targetEntityIds: targets.sorted(), creations: creations))
        }
        let entries = creates.sorted { ($0.row, $0.changeIndex) < ($1.row, $1.changeIndex) }
            .map { "\($0.row):\($0.changeIndex)=\($0.entityId)" }
        var hasher = SHA256()
        hasher.update("bulkrunner-adapted-token-v1\n")
        hasher.update(clientRequestToken)
        hasher.update("\n")
        hasher.update(entries.joined(separator: ","))
        let token = RequestToken.encode(hasher.finalize())
        var request = self.request
        request.changeSet = changes
        request.clientRequestToken = token
        let targets = Array(Set(newRows.flatMap(\.targetEntityIds))).sorted()
        return PlannedChangeSet(sequenceNumber: sequenceNumber, clientRequestToken: token, changeSetName: changeSetName,
                                request: request, rows: newRows, targetEntityIds: targets,
                                dependencies: dependencies, wave: wave, parentToken: clientRequestToken)
    }

    /// The distinct offers the set creates or updates (existing ids, or the ChangeName / index
    /// of a create), for the account's limit of offers in progress.
    var offerKeys: Set<String> {
        var keys: Set<String> = []
        for (index, change) in request.changeSet.enumerated() where change.entity.type.hasPrefix("Offer@") {
            if let identifier = change.entity.identifier {
                if identifier.hasPrefix("$"), let dot = identifier.firstIndex(of: ".") {
                    keys.insert("new:" + identifier[identifier.index(after: identifier.startIndex)..<dot])
                } else {
                    keys.insert(Self.withoutRevision(identifier))
                }
            } else {
                keys.insert("new:" + (change.changeName ?? "#\(index)"))
            }
        }
        return keys
    }

    /// `offer-abc@3` → `offer-abc`.
    static func withoutRevision(_ id: String) -> String {
        id.firstIndex(of: "@").map { String(id[..<$0]) } ?? id
    }

    private static func substitute(_ value: JSONValue, _ substitutions: [String: String]) -> JSONValue {
        switch value {
        case .string(let text):
            var out = text
            for (reference, id) in substitutions where out.contains(reference) {
                out = out.replacingOccurrences(of: reference, with: id)
            }
            return .string(out)
        case .array(let items):
            return .array(items.map { substitute($0, substitutions) })
        case .object(let object):
            var copy = JSONObject()
            for (key, item) in object.entries { copy[key] = substitute(item, substitutions) }
            return .object(copy)
        default:
            return value
        }
    }
}
