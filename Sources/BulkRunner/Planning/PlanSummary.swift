/// What a plan holds, in numbers, with the notes and the first INVALID rows: what the CLI
/// prints after a dry run and uses for the exit status.
public struct PlanSummary: Sendable, Hashable {
    /// The input file.
    public let inputFile: String
    /// Data rows read (header excluded).
    public let rows: Int
    /// Rows planned into change sets (0 when ``stoppedByStrict``).
    public let plannedRows: Int
    /// INVALID rows, duplicates included.
    public let invalidRows: Int
    /// INVALID rows that duplicate an earlier row.
    public let duplicateRows: Int
    /// Rows SKIPPED because of their earlier outcome (``PlanOptions/skipRowsWithOutcomes``).
    public let skippedRows: Int
    /// Valid rows not planned because ``PlanOptions/strict`` found invalid ones (NOT_SENT).
    public let heldRows: Int
    /// Change sets planned.
    public let changeSets: Int
    /// Changes in all planned change sets.
    public let changes: Int
    /// The number of waves: sets of one wave touch no common entity; wave N+1 waits for
    /// sets of wave N it depends on. 0 without sets.
    public let waves: Int
    /// Whether `--strict` stopped the plan because some row is INVALID.
    public let stoppedByStrict: Bool
    /// Notes about the template and its columns.
    public let notes: [TemplateNote]
    /// The first INVALID rows and their problems (up to ``PlanOptions/sampleProblemLimit``).
    public let sampleProblems: [RowDiagnostic]

    /// Creates a summary.
    public init(inputFile: String, rows: Int, plannedRows: Int, invalidRows: Int, duplicateRows: Int,
                skippedRows: Int, heldRows: Int, changeSets: Int, changes: Int, waves: Int, stoppedByStrict: Bool,
                notes: [TemplateNote], sampleProblems: [RowDiagnostic]) {
        self.inputFile = inputFile
        self.rows = rows
        self.plannedRows = plannedRows
        self.invalidRows = invalidRows
        self.duplicateRows = duplicateRows
        self.skippedRows = skippedRows
        self.heldRows = heldRows
        self.changeSets = changeSets
        self.changes = changes
        self.waves = waves
        self.stoppedByStrict = stoppedByStrict
        self.notes = notes
        self.sampleProblems = sampleProblems
    }

    /// The `bulkrunner` exit status of a dry run: 0 when no row is INVALID, 1 otherwise.
    /// (Malformed input or template is a thrown ``BulkRunnerError``, 65.)
    public var exitStatus: Int32 { invalidRows > 0 ? 1 : 0 }

    /// What a person should see before anything is sent, one item per line: the template's
    /// notes, then the problems of the first INVALID rows (`FILE:LINE: message`), at most
    /// `limit` of them, and how many more there are. `file` names the input as the user gave it.
    public func details(limit: Int = 5, file: String? = nil) -> [String] {
        var lines = notes.map(\.description)
        var shown = 0
        for diagnostic in sampleProblems {
            for problem in diagnostic.problems where shown < limit {
                lines.append("\(file ?? diagnostic.file):\(diagnostic.line): INVALID: \(problem.message)")
                shown += 1
            }
        }
        let problems = sampleProblems.reduce(0) { $0 + $1.problems.count }
        if shown > 0, invalidRows > Set(sampleProblems.map(\.rowIndex)).count || problems > shown {
            lines.append("… and more: every INVALID row has its ErrorMessage in the results file")
        }
        return lines
    }

    /// One paragraph for people: `1000 rows: 998 planned in 250 change sets (1000 changes,
    /// 1 wave), 2 INVALID (1 duplicate), 3 skipped` (`1 row`, `1 change set` when there is one).
    public var text: String {
        var parts: [String] = []
        if stoppedByStrict {
            parts.append("\(Plural.count(rows, "row")): nothing planned because \(Plural.count(invalidRows, "row")) \(invalidRows == 1 ? "is" : "are") INVALID and --strict is on (\(Plural.count(heldRows, "valid row")) held)")
        } else {
            parts.append("\(Plural.count(rows, "row")): \(plannedRows) planned in \(Plural.count(changeSets, "change set")) (\(Plural.count(changes, "change")), \(Plural.count(waves, "wave")))")
            parts.append("\(invalidRows) INVALID" + (duplicateRows > 0 ? " (\(Plural.count(duplicateRows, "duplicate")))" : ""))
        }
        if skippedRows > 0 { parts.append("\(skippedRows) skipped") }
        return parts.joined(separator: ", ")
    }
}
