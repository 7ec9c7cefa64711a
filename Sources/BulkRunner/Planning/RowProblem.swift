import Foundation
import CatalogModels

/// Why one row is INVALID: which column and field, what is wrong and how to fix it.
///
/// ``message`` is what the results file's `ErrorMessage` holds, e.g.
/// `ResellerAccountId: account id "12345678901" has 11 digits, not 12 — Excel dropped the
/// leading zero(s); format the column as Text and enter 012345678901`.
public struct RowProblem: Sendable, Hashable, CustomStringConvertible {
    /// The results file's `ErrorCode` for the problem.
    public struct Code: RawRepresentable, Sendable, Hashable, CustomStringConvertible {
        /// The code text.
        public let rawValue: String
        /// Creates a code.
        public init(rawValue: String) { self.rawValue = rawValue }

        /// A value fails the check of the field it lands in.
        public static let invalidValue = Code(rawValue: "INVALID_VALUE")
        /// A required value is blank.
        public static let blankValue = Code(rawValue: "BLANK_VALUE")
        /// The row renders exactly the same request as an earlier row.
        public static let duplicateRow = Code(rawValue: "DUPLICATE_ROW")
        /// The row renders more changes than a change set holds (20).
        public static let tooManyChanges = Code(rawValue: "TOO_MANY_CHANGES")
        /// Every change of the row is left out (its optional columns are all blank).
        public static let noChanges = Code(rawValue: "NO_CHANGES")
        /// Two of the row's changes have the same type and entity.
        public static let conflictingChanges = Code(rawValue: "CONFLICTING_CHANGES")

        /// The code text.
        public var description: String { rawValue }
    }

    /// The kind of problem.
    public let code: Code
    /// The column (or `--set NAME`) the bad value came from, when there is one.
    public let column: String?
    /// The template field it lands in (`ResellerAccountId`, `Entity.Identifier`).
    public let field: String
    /// The whole sentence: where, what is wrong, how to fix it.
    public let message: String

    /// Creates a problem.
    public init(code: Code, column: String?, field: String, message: String) {
        self.code = code
        self.column = column
        self.field = field
        self.message = message
    }

    /// ``message``.
    public var description: String { message }

    /// `label: message — fix`, with hints worded for spreadsheet damage.
    static func value(_ problem: ValueProblem, label: String, column: String?, field: String) -> RowProblem {
        var text = label + ": " + problem.message + " — "
        switch problem.kind {
        case .lostLeadingZeros:
            text += "Excel dropped the leading zero(s); format the column as Text"
            if let suggestion = problem.suggestion { text += " and enter \(suggestion)" }
        case .scientificNotation:
            text += "Excel turned it into a number in scientific notation"
            if let suggestion = problem.suggestion {
                text += "; format the column as Text and enter \(suggestion)"
            } else {
                text += " and the last digits are lost; format the column as Text and re-enter the full value"
            }
        case .spreadsheetDateSerial:
            text += "the spreadsheet stored the date as a number; format the column as Text"
            if let suggestion = problem.suggestion { text += " and enter \(suggestion)" } else { text += " and enter YYYY-MM-DD" }
        default:
            text += problem.hint
            if let suggestion = problem.suggestion { text += "; did you mean \"\(suggestion)\"?" }
        }
        return RowProblem(code: .invalidValue, column: column, field: field, message: text)
    }
}

/// The problems of one INVALID row and where the row is, for the CLI to print.
public struct RowDiagnostic: Sendable, Hashable, CustomStringConvertible {
    /// The input file.
    public let file: String
    /// The line the row starts on.
    public let line: Int
    /// The row's 0-based index among the data records.
    public let rowIndex: Int
    /// What is wrong with it.
    public let problems: [RowProblem]

    /// Creates a diagnostic.
    public init(file: String, line: Int, rowIndex: Int, problems: [RowProblem]) {
        self.file = file
        self.line = line
        self.rowIndex = rowIndex
        self.problems = problems
    }

    /// `FILE:LINE: message` per problem, one per line.
    public var description: String {
        problems.map { "\(file):\(line): \($0.message)" }.joined(separator: "\n")
    }
}
