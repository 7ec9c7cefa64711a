import CSVKit
import CatalogModels
import Foundation

/// Reads an export file back, as a reviewer saved it: the input of the apply step.
///
/// It streams the CSV (any dialect CSVKit reads: `,` `;` tab, BOM, CRLF — what Excel and
/// Google Sheets write back), finds the columns by name (``ExportFormat``; order and extra
/// columns do not matter), undoes the export's spreadsheet protection
/// (``ExportFormat/unprotect(_:in:)``: `'012345678901` reads `012345678901`), and checks
/// each row's `Action` and the `New…` values it needs. Row problems do not throw: they are
/// listed on the row (``ExportSheetRow/problems``) so one bad row cannot stop the others.
///
/// Use from one task at a time (it owns a ``CSVReader``).
public final class ExportSheetReader {
    /// Resale authorizations or offers, from the header.
    public let kind: ExportKind
    /// The header names as in the file.
    public let header: [String]
    /// The file's name in errors.
    public let fileName: String
    /// The day "in the future" is judged against for `NewAvailabilityEndDate`, if given.
    public let today: CalendarDay?

    private let reader: CSVReader
    private let columns: [ExportColumn?]
    private let idIndex: Int
    private let lastModifiedIndex: Int
    private let actionIndex: Int
    private let statusIndex: Int?

    /// Opens an export file.
    ///
    /// - Parameter today: when given, `NewAvailabilityEndDate` must be after it.
    /// - Throws: ``BulkRunnerError``: ``BulkRunnerError/Code/cannotRead`` or
    ///   ``BulkRunnerError/Code/malformedInput`` for the CSV, and
    ///   ``BulkRunnerError/Code/malformedInput`` when the header lacks the id,
    ///   `LastModifiedDate` or `Action` column.
    public convenience init(path: String, options: CSVReader.Options = CSVReader.Options(), today: CalendarDay? = nil) throws(BulkRunnerError) {
        let reader: CSVReader
        do {
            reader = try CSVReader(path: path, options: options)
        } catch {
            throw BulkRunnerError(csv: error)
        }
        try self.init(reader: reader, today: today)
    }

    /// Reads an export held in memory (tests, small files).
    public convenience init(string: String, name: String = "<memory>", options: CSVReader.Options = CSVReader.Options(),
                            today: CalendarDay? = nil) throws(BulkRunnerError) {
        let reader: CSVReader
        do {
            reader = try CSVReader(string: string, name: name, options: options)
        } catch {
            throw BulkRunnerError(csv: error)
        }
        try self.init(reader: reader, today: today)
    }

    /// Reads from an open reader whose header has been read.
    public init(reader: CSVReader, today: CalendarDay? = nil) throws(BulkRunnerError) {
        self.reader = reader
        self.today = today
        fileName = reader.fileName
        header = reader.header?.names ?? []
        guard let kind = ExportKind(headerNames: header) else {
            throw BulkRunnerError(code: .malformedInput, file: reader.fileName, line: max(1, reader.headerLine),
                                  reason: "this is not an export file: no ResaleAuthorizationId or OfferId column",
                                  hint: "read a file written by `bulkrunner export`, keeping its header row")
        }
        self.kind = kind
        let names = header
        columns = names.map { ExportFormat.column(named: $0, in: kind) }
        let file = reader.fileName, line = max(1, reader.headerLine)
        func index(_ column: ExportColumn) throws(BulkRunnerError) -> Int {
            guard let index = names.firstIndex(where: column.matches) else {
                throw BulkRunnerError(code: .malformedInput, file: file, line: line, field: column.name,
                                      reason: "the export has no \(column.name) column",
                                      hint: "keep the columns `bulkrunner export` wrote; only fill in Action and the New… columns")
            }
            return index
        }
        idIndex = try index(kind.idColumn)
        lastModifiedIndex = try index(.lastModifiedDate)
        actionIndex = try index(.action)
        statusIndex = names.firstIndex(where: kind.statusColumn.matches)
    }

    /// The next row, or `nil` at the end.
    ///
    /// - Throws: ``BulkRunnerError`` for malformed CSV (with file, line and column).
    public func next() throws(BulkRunnerError) -> ExportSheetRow? {
        let record: CSVRecord?
        do {
            record = try reader.next()
        } catch {
            throw BulkRunnerError(csv: error)
        }
        guard let record else { return nil }
        var values: [String: String] = [:]
        for (index, name) in header.enumerated() where index < record.fields.count {
            values[name] = ExportFormat.unprotect(record.fields[index], in: columns[index])
        }
        func cell(_ index: Int) -> String {
            index < record.fields.count ? ExportFormat.unprotect(record.fields[index], in: columns[index]) : ""
        }
        var row = ExportSheetRow(
            line: record.line, kind: kind, entityId: cell(idIndex).trimmingCharacters(in: .whitespaces),
            status: statusIndex.map(cell)?.trimmingCharacters(in: .whitespaces) ?? "",
            lastModifiedDate: cell(lastModifiedIndex).trimmingCharacters(in: .whitespaces), actions: [], values: values,
            problems: [])
        check(&row, actionCell: cell(actionIndex))
        return row
    }

    /// Calls `body` with each remaining row.
    public func forEach(_ body: (ExportSheetRow) throws -> Void) throws {
        while let row = try next() { try body(row) }
    }

    // MARK: Checks

    private func check(_ row: inout ExportSheetRow, actionCell: String) {
        let (actions, unknown) = ExportAction.parse(actionCell)
        let names = ExportAction.allCases.map(\.rawValue) + ["KEEP"]
        for word in unknown {
            row.problems.append(ExportRowProblem(column: ExportColumn.action.name,
                                                 message: "'\(word)' is not an action\(Suggest.didYouMean(word, among: names))",
                                                 hint: "use " + ExportAction.allCases.filter { $0.applies(to: kind) }.map(\.rawValue).joined(separator: ", ")
                                                     + ", joined with + for several; leave empty or KEEP for none"))
        }
        row.actions = actions.filter { $0.applies(to: kind) }
        for action in actions where !action.applies(to: kind) {
            row.problems.append(ExportRowProblem(column: ExportColumn.action.name,
                                                 message: "\(action) applies to resale authorizations, not \(kind)",
                                                 hint: "restrict the resale authorization instead, in a resale-authorizations export"))
        }
        if !row.actions.isEmpty, row.entityId.isEmpty {
            row.problems.append(ExportRowProblem(column: kind.idColumn.name, message: "the row has an action but no \(kind.idColumn.name)",
                                                 hint: "keep the id the export wrote"))
        }
        if !row.actions.isEmpty, row.lastModifiedDate.isEmpty {
            row.problems.append(ExportRowProblem(column: ExportColumn.lastModifiedDate.name, message: "LastModifiedDate is empty",
                                                 hint: "keep the value the export wrote: apply uses it to notice changes made since"))
        }
        if statusIndex != nil, !row.status.isEmpty {
            for action in row.actions where !action.allowedStatuses(for: kind).contains(row.status) {
                row.problems.append(ExportRowProblem(
                    column: kind.statusColumn.name,
                    message: "\(action) needs \(kind.statusColumn.name) \(action.allowedStatuses(for: kind).joined(separator: " or ")), but it is \(row.status)",
                    hint: action == .restrict ? "only Active resale authorizations can be restricted"
                        : "published \(kind) cannot take this change; make a new one instead"))
            }
        }
        for action in ExportAction.allCases {
            guard let column = action.parameter else { continue }
            let value = (row.value(column) ?? "").trimmingCharacters(in: .whitespacesAndNewlines)
            if row.actions.contains(action) {
                if let problem = checkParameter(column, value) {
                    row.problems.append(ExportRowProblem(column: column.name, message: problem.message, hint: problem.hint))
                }
            } else if !value.isEmpty, !row.actions.contains(where: { $0.parameter == column }) {
                row.problems.append(ExportRowProblem(column: column.name,
                                                     message: "\(column.name) is filled in, but Action does not include \(action)",
                                                     hint: "add \(action) to Action, or clear \(column.name)"))
            }
        }
    }

    /// The problem with a `New…` value its action needs, if any.
    private func checkParameter(_ column: ExportColumn, _ value: String) -> (message: String, hint: String)? {
        func problem(_ p: ValueProblem) -> (message: String, hint: String) {
            (column.name + ": " + p.message, p.hint + (p.suggestion.map { "; did you mean \"\($0)\"?" } ?? ""))
        }
        guard !value.isEmpty else {
            return ("\(column.name) is empty", "fill in \(column.name): \(column.meaning)")
        }
        switch column {
        case .newAvailabilityEndDate:
            let result = today.map { ValueChecks.futureDate(value, relativeTo: Date(timeIntervalSince1970: Double($0.dayNumber) * 86_400)) }
                ?? ValueChecks.date(value)
            if case .invalid(let p) = result { return problem(p) }
        case .newPrice:
            if case .invalid(let p) = ExportAction.parsePrices(value) { return problem(p) }
        case .newName:
            if case .invalid(let p) = ValueChecks.entityName(value) { return problem(p) }
        case .newBuyerAccounts:
            let accounts = value.split(whereSeparator: { $0 == ";" || $0 == "," || $0.isWhitespace }).map(String.init)
            guard accounts.count <= 25 else {
                return ("\(column.name) lists \(accounts.count) buyers", "an offer targets at most 25 buyer accounts")
            }
            for account in accounts {
                let bare = account.hasPrefix("'") ? String(account.dropFirst()) : account
                if case .invalid(let p) = ValueChecks.accountId(bare) { return problem(p) }
            }
        case .newPaymentSchedule:
            do {
                var parameters = try PaymentSchedule.Parameters(spec: value)
                if kind == .resaleAuthorizations { parameters.termType = .resaleAuthorization }
                _ = try PaymentSchedule.generate(parameters)
            } catch {
                return ("\(column.name): \(error.field.isEmpty ? "" : error.field + ": ")\(error.reason)", error.hint)
            }
        default:
            break
        }
        return nil
    }
}

@available(*, unavailable, message: "a reader is used from one task at a time")
extension ExportSheetReader: Sendable {}

/// One row of an export file as read back.
public struct ExportSheetRow: Sendable, Hashable {
    /// The physical line the row starts on.
    public var line: Int
    /// Resale authorization or offer.
    public var kind: ExportKind
    /// The entity id (`ResaleAuthorizationId` or `OfferId`).
    public var entityId: String
    /// `Status` or `State` as exported (empty when the column was removed).
    public var status: String
    /// `LastModifiedDate` as exported: apply compares it with the entity's current one.
    public var lastModifiedDate: String
    /// The actions asked for, in order; empty for none.
    public var actions: [ExportAction]
    /// Every cell by header name (as in the file), unprotected.
    public var values: [String: String]
    /// What is wrong with the row's action or its values; empty when it can be applied.
    public var problems: [ExportRowProblem]

    /// Creates a row.
    public init(line: Int, kind: ExportKind, entityId: String, status: String, lastModifiedDate: String,
                actions: [ExportAction], values: [String: String], problems: [ExportRowProblem]) {
        self.line = line
        self.kind = kind
        self.entityId = entityId
        self.status = status
        self.lastModifiedDate = lastModifiedDate
        self.actions = actions
        self.values = values
        self.problems = problems
    }

    /// The value of `column` (found by name as ``ExportColumn/matches(_:)`` does), unprotected.
    public func value(_ column: ExportColumn) -> String? {
        values.first { column.matches($0.key) }?.value
    }

    /// The value of the column called `name` (ignoring case, spaces, `_` and `-`).
    public subscript(name: String) -> String? {
        let key = ColumnName.normalize(name)
        return values.first { ColumnName.normalize($0.key) == key }?.value
    }

    /// The `New…` value `action` reads, trimmed; `nil` when it reads none or it is empty.
    public func parameter(for action: ExportAction) -> String? {
        guard let column = action.parameter, let value = value(column)?.trimmingCharacters(in: .whitespacesAndNewlines),
              !value.isEmpty else { return nil }
        return value
    }

    /// Whether the row asks for nothing.
    public var isKeep: Bool { actions.isEmpty && problems.isEmpty }
}

/// Why a row of an export cannot be applied as written: the column, what is wrong, how to fix it.
public struct ExportRowProblem: Sendable, Hashable, CustomStringConvertible {
    /// The column concerned, e.g. `NewAvailabilityEndDate`.
    public var column: String
    /// What is wrong.
    public var message: String
    /// How to fix it.
    public var hint: String

    /// Creates a problem.
    public init(column: String, message: String, hint: String) {
        self.column = column
        self.message = message
        self.hint = hint
    }

    /// `message (hint)`.
    public var description: String { hint.isEmpty ? message : "\(message) (\(hint))" }
}
