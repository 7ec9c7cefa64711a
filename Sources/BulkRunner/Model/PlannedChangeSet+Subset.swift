import CatalogModels
import Foundation

extension PlannedChangeSet {
    /// The same change set cut down to some of its rows: their changes, in their order,
    /// with a new ClientRequestToken derived from this set's token and the chosen row
    /// indices, and a ChangeSetName that still finds the parent's (`<parent name> rows …`).
    ///
    /// Use it to isolate the row that failed a packed set: send the subsets (binary split
    /// or one row each) and each row ends with its own outcome. The result is deterministic
    /// (the same rows give the same token on every rerun) and keeps ``sequenceNumber``,
    /// ``dependencies`` and ``wave``; ``parentToken`` is this set's token.
    ///
    /// - Parameter selected: row indices (``PlannedRow/rowIndex``); those not in this set
    ///   are ignored.
    /// - Precondition: at least one selected row is in this set.
    public func subset(rows selected: some Sequence<Int>) -> PlannedChangeSet {
        let wanted = Set(selected)
        let kept = rows.filter { wanted.contains($0.rowIndex) }
        precondition(!kept.isEmpty, "subset(rows:) needs at least one row of change set \(sequenceNumber)")
        var request = self.request
        var changes: [Change] = []
        var newRows: [PlannedRow] = []
        for row in kept {
            var remap: [Int: Int] = [:]
            var indices: [Int] = []
            for index in row.changeIndices {
                remap[index] = changes.count
                indices.append(changes.count)
                changes.append(request.changeSet[index])
            }
            let creations = row.creations.map { $0.movedTo(changeIndex: remap[$0.changeIndex] ?? $0.changeIndex) }
            newRows.append(PlannedRow(rowIndex: row.rowIndex, line: row.line, changeIndices: indices,
                                      targetEntityIds: row.targetEntityIds, creations: creations))
        }
        let rowIndices = kept.map(\.rowIndex).sorted()
        let token = RequestToken.forSubset(parentToken: clientRequestToken, rowIndices: rowIndices)
        let name = Self.subsetName(base: changeSetName, lines: kept.map(\.line), token: token)
        request.changeSet = changes
        request.clientRequestToken = token
        request.changeSetName = name
        let targets = Array(Set(newRows.flatMap(\.targetEntityIds))).sorted()
        return PlannedChangeSet(sequenceNumber: sequenceNumber, clientRequestToken: token, changeSetName: name,
                                request: request, rows: newRows, targetEntityIds: targets,
                                dependencies: dependencies, wave: wave, parentToken: clientRequestToken)
    }

    /// `<root name> rows 12-14+19` (line numbers, runs of consecutive lines joined with `-`),
    /// or `<root name> rows 12-90 <token prefix>` when that would pass 100 characters.
    static func subsetName(base: String, lines: [Int], token: String) -> String {
        let root = base.range(of: " rows ").map { String(base[..<$0.lowerBound]) } ?? base
        let sorted = lines.sorted()
        var parts: [String] = []
        var start = sorted[0], previous = sorted[0]
        for line in sorted.dropFirst() {
            if line == previous + 1 {
                previous = line
                continue
            }
            parts.append(start == previous ? "\(start)" : "\(start)-\(previous)")
            start = line
            previous = line
        }
        parts.append(start == previous ? "\(start)" : "\(start)-\(previous)")
        let full = root + " rows " + parts.joined(separator: "+")
        if full.count <= 100 { return full }
        let short = root + " rows \(sorted.first!)-\(sorted.last!) " + token.prefix(12)
        return String(short.prefix(100))
    }
}
