import CSVKit
import CatalogModels
import Foundation

/// The sheet as read back: its kind, its rows in order (index = 0-based data row), its digest.
public struct ApplySheet: Sendable {
    /// The sheet file.
    public let url: URL
    /// Resale authorizations or offers.
    public let kind: ExportKind
    /// Every data row, in order.
    public let rows: [ExportSheetRow]
    /// SHA-256 (hex) of the file's bytes.
    public let digest: String
    /// How it was read.
    public let csv: CSVReader.Options

    /// Reads `url` (see ``ExportSheetReader``), judging `NewAvailabilityEndDate` against `today`.
    ///
    /// - Throws: ``BulkRunnerError``: ``BulkRunnerError/Code/cannotRead`` (66) when the file
    ///   cannot be read, ``BulkRunnerError/Code/malformedInput`` (65) for malformed CSV or a
    ///   file that is not an export.
    public static func read(_ url: URL, csv: CSVReader.Options = CSVReader.Options(), today: Date) throws(BulkRunnerError) -> ApplySheet {
        guard let data = FileManager.default.contents(atPath: url.path) else {
            throw BulkRunnerError(code: .cannotRead, file: url.path, reason: "cannot read the sheet", hint: "check the path and its permissions")
        }
        let reader = try ExportSheetReader(path: url.path, options: csv, today: CalendarDay(today))
        var rows: [ExportSheetRow] = []
        while let row = try reader.next() { rows.append(row) }
        return ApplySheet(url: url, kind: reader.kind, rows: rows, digest: ApplyRecord.digest(data), csv: csv)
    }
}

/// What apply decided for one row of the sheet.
public struct ApplyRowPlan: Sendable {
    /// What becomes of the row.
    public enum Disposition: Sendable {
        /// Not sent: SKIPPED (no action, or done in an earlier run), INVALID (a value or the
        /// entity's status does not fit), STALE (changed since the export) or FAILED (the
        /// entity could not be checked). The result is final for this run.
        case decided(RowResult)
        /// Sent in one step, or two (a re-grant), in this order.
        case planned([ApplyStep])
    }

    /// The 0-based data row.
    public let rowIndex: Int
    /// The line it starts on.
    public let line: Int
    /// The entity id.
    public let entityId: String
    /// The actions asked for.
    public let actions: [ExportAction]
    /// What becomes of it.
    public let disposition: Disposition

    /// The planned steps (empty when decided).
    public var steps: [ApplyStep] {
        if case .planned(let steps) = disposition { return steps }
        return []
    }
}

/// The counts of a plan, for the command's first lines.
public struct ApplyPlanSummary: Sendable, Hashable {
    /// Data rows in the sheet.
    public var rows = 0
    /// Rows with an action.
    public var marked = 0
    /// Rows to send.
    public var planned = 0
    /// Of those, re-grants (two steps, two waves).
    public var regrants = 0
    /// SKIPPED rows.
    public var skipped = 0
    /// INVALID rows.
    public var invalid = 0
    /// STALE rows.
    public var stale = 0
    /// Rows whose entity could not be checked (FAILED).
    public var unchecked = 0
    /// Change sets of the first and second waves.
    public var firstWaveSets = 0
    /// Change sets of the second wave (one per re-grant whose first step succeeds).
    public var secondWaveSets = 0
}

/// Everything `apply` will send for a sheet, decided before anything is sent: per row what
/// becomes of it, and the change sets of the two waves.
///
/// - **First wave**: every single-step row (all its actions on its entity in one set) and the
///   first step of each re-grant, packed in sheet order into sets of up to 20 changes.
/// - **Second wave**: the second step of each re-grant whose first step SUCCEEDED, one row per
///   set (numbered by the row's place among the re-grants, so a later rerun that finds more
///   first steps done adds sets without renumbering the others).
///
/// Build it with ``Applier/check(sheet:identity:described:)`` (which describes the entities) or, when
/// resuming, with ``build(sheet:record:)`` from the record of the first run.
public struct ApplyPlan: Sendable {
    /// The sheet.
    public let sheet: ApplySheet
    /// What the plan was decided from.
    public let record: ApplyRecord
    /// Every row, in sheet order.
    public let rows: [ApplyRowPlan]
    /// The first wave's change sets.
    public let firstWave: [PlannedChangeSet]
    /// The second wave's change sets, one per re-grant, by row index.
    public let secondWave: [Int: PlannedChangeSet]
    /// The counts.
    public let summary: ApplyPlanSummary

    /// The run identity of the first wave.
    public var identity: RunIdentity { record.identity }

    /// The run identity of the second wave: the first's with `.w2`.
    public var secondIdentity: RunIdentity { Self.secondIdentity(of: record.identity) }

    static func secondIdentity(of identity: RunIdentity) -> RunIdentity {
        (try? RunIdentity(identity.value + ".w2")) ?? RunIdentity.derived(from: identity.value + "|second wave")
    }

    /// Builds the plan of `sheet` from `record` (the entities as described, the options):
    /// a pure function, so a rerun builds the same sets with the same tokens.
    ///
    /// - Throws: ``BulkRunnerError/Code/inputChanged`` when the sheet is not the one the record
    ///   was made from.
    public static func build(sheet: ApplySheet, record: ApplyRecord) throws(BulkRunnerError) -> ApplyPlan {
        guard sheet.digest == record.sheetDigest else {
            throw BulkRunnerError(code: .inputChanged, file: sheet.url.path,
                                  reason: "the sheet changed since this run was checked (its apply record belongs to another version of the file)",
                                  hint: "restore the sheet to finish that run, or write the results elsewhere (--output) to apply the new version as a new run")
        }
        let kind = sheet.kind
        let builder = ApplyStepBuilder(kind: kind, today: record.checkedAt, checkedAt: record.checkedAt, order: record.repriceOrder)
        var summary = ApplyPlanSummary()
        summary.rows = sheet.rows.count
        var rows: [ApplyRowPlan] = []
        var firstLine: [String: Int] = [:]
        for (index, row) in sheet.rows.enumerated() {
            if !row.actions.isEmpty { summary.marked += 1 }
            let disposition = decide(row, kind: kind, record: record, builder: builder, firstLine: &firstLine)
            switch disposition {
            case .decided(let result):
                switch result.outcome {
                case .skipped: summary.skipped += 1
                case .stale: summary.stale += 1
                case .failed: summary.unchecked += 1
                default: summary.invalid += 1
                }
            case .planned(let steps):
                summary.planned += 1
                if steps.count > 1 { summary.regrants += 1 }
            }
            rows.append(ApplyRowPlan(rowIndex: index, line: row.line, entityId: row.entityId, actions: row.actions,
                                     disposition: disposition))
        }
        let first = rows.compactMap { row in row.steps.first.map { ApplyPacking.Item(rowIndex: row.rowIndex, line: row.line, step: $0) } }
        let firstWave = ApplyPacking.pack(first, rowsPerSet: record.rowsPerChangeSet, identity: record.identity)
        var secondWave: [Int: PlannedChangeSet] = [:]
        let second = secondIdentity(of: record.identity)
        for (number, row) in rows.filter({ $0.steps.count > 1 }).enumerated() {
            secondWave[row.rowIndex] = ApplyPacking.makeSet([ApplyPacking.Item(rowIndex: row.rowIndex, line: row.line, step: row.steps[1])],
                                                            sequence: number + 1, identity: second)
        }
        summary.firstWaveSets = firstWave.count
        summary.secondWaveSets = secondWave.count
        return ApplyPlan(sheet: sheet, record: record, rows: rows, firstWave: firstWave, secondWave: secondWave, summary: summary)
    }

    private init(sheet: ApplySheet, record: ApplyRecord, rows: [ApplyRowPlan], firstWave: [PlannedChangeSet],
                 secondWave: [Int: PlannedChangeSet], summary: ApplyPlanSummary) {
        self.sheet = sheet
        self.record = record
        self.rows = rows
        self.firstWave = firstWave
        self.secondWave = secondWave
        self.summary = summary
    }

    /// The entities the check must describe: those of rows with actions and no problem in the
    /// sheet, not done in an earlier run.
    static func entitiesToDescribe(_ sheet: ApplySheet) -> [String] {
        var ids: [String] = []
        var seen = Set<String>()
        for row in sheet.rows where !row.actions.isEmpty && relevantProblems(row).isEmpty && earlier(row) == nil {
            if seen.insert(row.entityId).inserted { ids.append(row.entityId) }
        }
        return ids
    }

    // MARK: Deciding one row

    /// The reader's problems, without those about the exported status: apply checks the
    /// status the entity has now (``ApplyRules``).
    static func relevantProblems(_ row: ExportSheetRow) -> [ExportRowProblem] {
        row.problems.filter { !row.kind.statusColumn.matches($0.column) }
    }

    /// The row's outcome columns from an earlier results file fed in again, when they say it
    /// was done (SUCCEEDED) or may still be in progress (PENDING): such a row is not sent again.
    static func earlier(_ row: ExportSheetRow) -> RowResult? {
        guard let result = previous(row), result.outcome == .succeeded || result.outcome == .pending else { return nil }
        return result
    }

    /// The row's outcome columns from an earlier results file, if it carries them.
    static func previous(_ row: ExportSheetRow) -> RowResult? {
        var cells: [String: String] = [:]
        for (name, value) in row.values {
            if let canonical = RowResult.canonicalColumnName(name) { cells[canonical] = value }
        }
        return RowResult(cells: cells)
    }

    private static func decide(_ row: ExportSheetRow, kind: ExportKind, record: ApplyRecord, builder: ApplyStepBuilder,
                               firstLine: inout [String: Int]) -> ApplyRowPlan.Disposition {
        func invalid(_ code: String, _ message: String) -> ApplyRowPlan.Disposition {
            .decided(RowResult(outcome: .invalid, entityId: row.entityId.isEmpty ? nil : row.entityId, errorCode: code, errorMessage: message))
        }
        if var previous = earlier(row) {
            let was = previous.outcome
            previous.outcome = .skipped
            previous.errorMessage = was == .succeeded
                ? "already SUCCEEDED in an earlier run; not sent again"
                : "PENDING in an earlier run: run that command again to follow its change set; not sent again"
            return .decided(previous)
        }
        let problems = relevantProblems(row)
        if !problems.isEmpty {
            return invalid(RowProblem.Code.invalidValue.rawValue, problems.map(\.description).joined(separator: " | "))
        }
        guard !row.actions.isEmpty else { return .decided(RowResult(outcome: .skipped)) }
        if row.actions.contains(.reprice), let granted = previous(row)?.entityId, !granted.isEmpty, granted != row.entityId {
            // An earlier run granted the replacement but did not finish (its restrict failed):
            // a second REPRICE would grant yet another authorization.
            return invalid("ALREADY_GRANTED",
                           "an earlier run already granted \(granted) to replace \(row.entityId); to finish, mark RESTRICT instead of REPRICE (the results file says what failed)")
        }
        if let line = firstLine[row.entityId] {
            return invalid("DUPLICATE_ENTITY",
                           "line \(line) already has an action for \(row.entityId); put all of an entity's actions in one row, joined with +")
        }
        firstLine[row.entityId] = row.line

        let noun = kind == .offers ? "offer" : "resale authorization"
        switch record.facts[row.entityId] {
        case nil:
            return .decided(RowResult(outcome: .failed, entityId: row.entityId, errorCode: "NOT_CHECKED",
                                      errorMessage: "\(row.entityId) was not checked against the service; not applied"))
        case .failed(let code, let message)?:
            if CatalogError.Code(wireName: code) == .resourceNotFound {
                return invalid("ENTITY_NOT_FOUND", "\(row.entityId) no longer exists (\(message)); export again")
            }
            return .decided(RowResult(outcome: .failed, entityId: row.entityId, errorCode: code,
                                      errorMessage: "\(row.entityId) could not be described to check it (\(code): \(message)); not applied — export again and apply the row"))
        case .described(let detail)?:
            let document = detail.detailsDocument ?? .null
            if let type = detail.entityType, !type.isEmpty, type.split(separator: "@").first.map(String.init) != kind.entityType {
                return invalid("WRONG_ENTITY_TYPE", "\(row.entityId) is a \(type), not a \(noun); apply it from an export of its own kind")
            }
            let status = PricingSummary.text(document[kind.statusColumn.name]) ?? ""
            let now = detail.lastModifiedDate ?? ""
            if !record.force, !sameInstant(row.lastModifiedDate, now) {
                if ISOTimestamp.parse(row.lastModifiedDate) == nil {
                    return invalid(RowProblem.Code.invalidValue.rawValue,
                                   "LastModifiedDate '\(row.lastModifiedDate)' is not the timestamp the export wrote (a spreadsheet may have reformatted it); export again and keep the column as text, or apply with --force")
                }
                var message = "\(row.entityId) changed since the export: LastModifiedDate \(row.lastModifiedDate) → \(now.isEmpty ? "unknown" : now)"
                if !row.status.isEmpty, !status.isEmpty, row.status != status {
                    message += ", \(kind.statusColumn.name) \(row.status) → \(status)"
                }
                message += "; not applied: export again and mark the row anew, or apply with --force"
                return .decided(RowResult(outcome: .stale, entityId: row.entityId, errorCode: "ENTITY_CHANGED", errorMessage: message))
            }
            if let problem = ApplyRules.problem(row.actions, kind: kind, status: status, entityId: row.entityId) {
                return invalid("INCOMPATIBLE_STATUS", problem)
            }
            switch builder.steps(for: row, document: document, status: status) {
            case .success(let steps): return .planned(steps)
            case .failure(let problem): return invalid(problem.code, problem.message)
            }
        }
    }

    /// Whether two API timestamps are the same instant (`…:59Z` and `…:59.000Z` are).
    static func sameInstant(_ a: String, _ b: String) -> Bool {
        let a = a.trimmingCharacters(in: .whitespaces), b = b.trimmingCharacters(in: .whitespaces)
        if a == b { return true }
        guard let x = ISOTimestamp.parse(a), let y = ISOTimestamp.parse(b) else { return false }
        return abs(x.timeIntervalSince(y)) < 0.0005
    }

    // MARK: Results without sending

    /// A row's result in a dry run: PLANNED, or what was decided.
    public func dryRunResult(for rowIndex: Int) -> RowResult {
        guard rows.indices.contains(rowIndex) else {
            return RowResult(outcome: .invalid, errorCode: "INPUT_CHANGED", errorMessage: "the sheet changed while it was being read; apply again")
        }
        switch rows[rowIndex].disposition {
        case .decided(let result): return result
        case .planned(let steps):
            return RowResult(outcome: .planned, entityId: rows[rowIndex].entityId,
                             errorMessage: steps.count > 1 ? steps.map(\.summary).joined(separator: ", then ") : nil)
        }
    }

    /// Writes the dry-run results file: the sheet with PLANNED, SKIPPED, INVALID, STALE or
    /// FAILED per row (atomic, spreadsheet-safe: ``ResultsWriter``).
    @discardableResult
    public func writeDryRunResults(to output: URL) throws(BulkRunnerError) -> Int {
        try ResultsWriter(input: sheet.url, output: output, readerOptions: sheet.csv).write {
            (row: ResultsWriter.Row) throws(BulkRunnerError) -> RowResult in dryRunResult(for: row.rowIndex)
        }
    }
}
