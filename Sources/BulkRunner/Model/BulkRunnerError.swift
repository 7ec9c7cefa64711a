/// A problem that stops BulkRunner's engine before or while it works: a malformed
/// template or CSV, a placeholder that resolves to nothing, an output that cannot be
/// written. The module's one error type.
///
/// Row-level problems (a bad account id in one row) are not errors: they make that row
/// INVALID (see ``RowOutcome/invalid``) and the rest goes on. These errors stop the whole
/// job, and nothing has been sent when the planner throws one.
///
/// Match on ``code``; show ``description``, which renders like CSVKit's `CSVError`:
/// `FILE:LINE:COLUMN: reason` (with the field when there is one), then the fix hint on the
/// next line — the form editors and terminals recognise as a jump target. ``exitStatus``
/// is the `bulkrunner` exit status the CLI should use (65 for malformed input, …).
public struct BulkRunnerError: Error, Sendable, Hashable, CustomStringConvertible {
    /// What kind of problem this is, for matching (`error.code == .unresolvedPlaceholder`).
    public struct Code: Sendable, Hashable, CustomStringConvertible {
        private enum Base: String, Sendable, Hashable {
            case malformedTemplate, unresolvedPlaceholder, unknownTemplate, malformedInput
            case invalidConstant, unknownConstant, invalidOption, inputChanged
            case cannotRead, cannotWrite, wouldOverwriteInput, inUse
        }

        private let base: Base
        private init(_ base: Base) { self.base = base }

        /// The template is not valid JSON, or not a StartChangeSet body BulkRunner can use
        /// (a missing `ChangeSet`, an unknown key, a reference to a change that does not
        /// exist, more than 20 required changes …). Exit status 65.
        public static let malformedTemplate = Code(.malformedTemplate)
        /// A `{{Name}}` placeholder has no `--set` constant, no CSV column and no default.
        /// Exit status 65.
        public static let unresolvedPlaceholder = Code(.unresolvedPlaceholder)
        /// The template argument is neither a built-in template name nor a file. Exit status 2.
        public static let unknownTemplate = Code(.unknownTemplate)
        /// The CSV input is malformed (unterminated quote, wrong field count, bad encoding,
        /// missing or repeated header). Exit status 65.
        public static let malformedInput = Code(.malformedInput)
        /// A `--set` constant fails the check of the field it lands in (every row would be
        /// invalid). Exit status 65.
        public static let invalidConstant = Code(.invalidConstant)
        /// A `--set` constant names no placeholder of the template (probably a typo). Exit status 2.
        public static let unknownConstant = Code(.unknownConstant)
        /// An option is out of range (rows per change set, run identity). Exit status 2.
        public static let invalidOption = Code(.invalidOption)
        /// The input file changed between the planner's passes. Exit status 66.
        public static let inputChanged = Code(.inputChanged)
        /// An input file (CSV or template) could not be opened or read. Exit status 66.
        public static let cannotRead = Code(.cannotRead)
        /// An output file (results, plan) could not be written. Exit status 73.
        public static let cannotWrite = Code(.cannotWrite)
        /// The results file would overwrite the input file. Exit status 2.
        public static let wouldOverwriteInput = Code(.wouldOverwriteInput)
        /// Another process is running a job with the same results file (see ``ResultsLock``).
        /// Exit status 75 (EX_TEMPFAIL: try again later).
        public static let inUse = Code(.inUse)

        /// The code's name, such as `unresolvedPlaceholder`.
        public var description: String { base.rawValue }

        /// The `bulkrunner` exit status for this kind of problem (see the README's table).
        public var exitStatus: Int32 {
            switch base {
            case .malformedTemplate, .unresolvedPlaceholder, .malformedInput, .invalidConstant, .inputChanged: 65
            case .unknownTemplate, .unknownConstant, .invalidOption, .wouldOverwriteInput: 2
            case .cannotRead: 66
            case .cannotWrite: 73
            case .inUse: 75
            }
        }
    }

    /// What kind of problem this is.
    public let code: Code
    /// The file the problem is in: a template path, `builtin:grant`, a CSV path, or empty.
    public let file: String
    /// The 1-based line of the problem; 0 when there is no position.
    public let line: Int
    /// The 1-based column (character) of the problem on ``line``; 0 when unknown.
    public let column: Int
    /// The field the problem is about (`ResellerAccountId`, `--set PRICE`, a column name),
    /// or empty.
    public let field: String
    /// What is wrong, in one sentence without a trailing period.
    public let reason: String
    /// How to fix it, for a person reading the message.
    public let hint: String

    /// Creates an error.
    public init(code: Code, file: String = "", line: Int = 0, column: Int = 0, field: String = "",
                reason: String, hint: String = "") {
        self.code = code
        self.file = file
        self.line = line
        self.column = column
        self.field = field
        self.reason = reason
        self.hint = hint
    }

    /// The exit status the CLI should use: ``Code/exitStatus``.
    public var exitStatus: Int32 { code.exitStatus }

    /// `FILE:LINE:COLUMN: field: reason`, then the hint on the next line. Parts that are
    /// unknown are left out (`FILE: reason` without a position, `reason` without a file).
    public var description: String {
        var location = file
        if line > 0 {
            location += ":\(line)"
            if column > 0 { location += ":\(column)" }
        }
        var text = location.isEmpty ? "" : location + ": "
        if !field.isEmpty { text += field + ": " }
        text += reason
        if !hint.isEmpty { text += "\n" + hint }
        return text
    }
}
