import Foundation

/// The outcome columns the results file appends to one input row.
///
/// The results file is the input with these nine columns after the input's own, in the
/// order of ``columnNames``. Empty cells are written for `nil` fields. The same columns
/// read back from a results file fed in again (``init(cells:)``) tell the engine what
/// already happened to each row.
public struct RowResult: Sendable, Hashable {
    /// `Outcome`: what became of the row.
    public var outcome: RowOutcome
    /// `ChangeSetId`: the id StartChangeSet returned for the row's change set.
    public var changeSetId: String?
    /// `ChangeSetArn`: the change set's ARN.
    public var changeSetArn: String?
    /// `ChangeSetStatus`: the change set's last known status (PREPARING, APPLYING,
    /// SUCCEEDED, FAILED, CANCELLED).
    public var changeSetStatus: String?
    /// `EntityId`: the entity the row created or changed (`resaleauthz-…`, `offer-…`).
    public var entityId: String?
    /// `FailureCode`: the change set's failure code (CLIENT_ERROR, SERVER_FAULT).
    public var failureCode: String?
    /// `ErrorCode`: the row's own error code (a change's ErrorDetailList code such as
    /// INVALID_RESELLER_ACCOUNT, or BulkRunner's INVALID_VALUE, BLANK_VALUE,
    /// DUPLICATE_ROW, TOO_MANY_CHANGES for INVALID rows).
    public var errorCode: String?
    /// `ErrorMessage`: what went wrong and how to fix it.
    public var errorMessage: String?
    /// `Attempts`: how many times the row's changes were submitted (0 when never sent).
    public var attempts: Int

    /// The results columns, in order: `Outcome`, `ChangeSetId`, `ChangeSetArn`,
    /// `ChangeSetStatus`, `EntityId`, `FailureCode`, `ErrorCode`, `ErrorMessage`, `Attempts`.
    public static let columnNames: [String] = [
        "Outcome", "ChangeSetId", "ChangeSetArn", "ChangeSetStatus", "EntityId",
        "FailureCode", "ErrorCode", "ErrorMessage", "Attempts",
    ]

    /// Creates a result.
    public init(
        outcome: RowOutcome, changeSetId: String? = nil, changeSetArn: String? = nil,
        changeSetStatus: String? = nil, entityId: String? = nil, failureCode: String? = nil,
        errorCode: String? = nil, errorMessage: String? = nil, attempts: Int = 0
    ) {
        self.outcome = outcome
        self.changeSetId = changeSetId
        self.changeSetArn = changeSetArn
        self.changeSetStatus = changeSetStatus
        self.entityId = entityId
        self.failureCode = failureCode
        self.errorCode = errorCode
        self.errorMessage = errorMessage
        self.attempts = attempts
    }

    /// The nine cells in the order of ``columnNames``.
    public var cells: [String] {
        [outcome.rawValue, changeSetId ?? "", changeSetArn ?? "", changeSetStatus ?? "", entityId ?? "",
         failureCode ?? "", errorCode ?? "", errorMessage ?? "", String(attempts)]
    }

    /// Reads a result back from a results file: `cells` maps column names (as
    /// ``columnNames`` spells them) to cell text. `nil` when the `Outcome` cell is missing or
    /// not a ``RowOutcome``; empty cells become `nil`, an unreadable `Attempts` becomes 0.
    public init?(cells: [String: String]) {
        guard let text = cells["Outcome"], let outcome = RowOutcome(cell: text) else { return nil }
        func cell(_ name: String) -> String? {
            guard let value = cells[name] else { return nil }
            let trimmed = value.trimmingCharacters(in: .whitespacesAndNewlines)
            return trimmed.isEmpty ? nil : value
        }
        self.init(
            outcome: outcome, changeSetId: cell("ChangeSetId"), changeSetArn: cell("ChangeSetArn"),
            changeSetStatus: cell("ChangeSetStatus"), entityId: cell("EntityId"),
            failureCode: cell("FailureCode"), errorCode: cell("ErrorCode"),
            errorMessage: cell("ErrorMessage"),
            attempts: Int(cell("Attempts")?.trimmingCharacters(in: .whitespaces) ?? "") ?? 0)
    }

    /// Whether `name` is one of the results columns, ignoring case, spaces, `_` and `-`
    /// (so an input that already carries them, an earlier results file, is recognised).
    public static func isResultColumn(_ name: String) -> Bool {
        normalizedColumnNames[ColumnName.normalize(name)] != nil
    }

    /// The canonical spelling (from ``columnNames``) of a results column `name`, if it is one.
    public static func canonicalColumnName(_ name: String) -> String? {
        normalizedColumnNames[ColumnName.normalize(name)]
    }

    private static let normalizedColumnNames: [String: String] = Dictionary(
        uniqueKeysWithValues: columnNames.map { (ColumnName.normalize($0), $0) })
}

/// How BulkRunner compares column and placeholder names: ignoring case, spaces, `_` and
/// `-`, so `{{RESELLER_ID}}` finds the column `Reseller Id`.
public enum ColumnName {
    /// `name` lowercased without spaces (any whitespace), `_` and `-`.
    public static func normalize(_ name: String) -> String {
        var out = ""
        out.reserveCapacity(name.utf8.count)
        for scalar in name.unicodeScalars {
            if scalar == "_" || scalar == "-" || scalar.properties.isWhitespace { continue }
            out.unicodeScalars.append(scalar)
        }
        return out.lowercased()
    }
}
