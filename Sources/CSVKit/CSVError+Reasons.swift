/// The messages CSVKit's errors carry: one constructor per problem, so that the
/// wording and the hints stay consistent.
extension CSVError {
    static func io(file: String, action: String, code: Int32) -> CSVError {
        let hint = code == System.isDirectoryCode
            ? "Give the path of a CSV file, not of a folder."
            : "Check that the path is right and that you may read (or write) it."
        return CSVError(code: .io, file: file, line: 0, column: 0, byteOffset: 0,
                        reason: "\(action): \(System.message(code))", hint: hint)
    }

    static func unterminatedQuote(file: String, at location: Location) -> CSVError {
        CSVError(
            code: .unterminatedQuote, file: file, line: location.line, column: location.column,
            byteOffset: location.byteOffset,
            reason: "unterminated quoted field: the quote opened on line \(location.line) is never closed",
            hint: "Add the closing quote (\") where the field ends; a quote that is part of the text must be "
                + "doubled (\"\"). Everything from line \(location.line) to the end of the file was read as this one field."
        )
    }

    static func strayQuote(file: String, at location: Location) -> CSVError {
        CSVError(
            code: .strayQuote, file: file, line: location.line, column: location.column,
            byteOffset: location.byteOffset,
            reason: "stray quote (\") inside an unquoted field",
            hint: "Put the whole field in quotes and double the quote inside it (\"like \"\"this\"\"\"), or remove the quote."
        )
    }

    static func textAfterQuote(file: String, at location: Location, delimiter: CSVDelimiter) -> CSVError {
        CSVError(
            code: .strayQuote, file: file, line: location.line, column: location.column,
            byteOffset: location.byteOffset,
            reason: "unexpected text after the closing quote of a quoted field",
            hint: "A quoted field must end at its closing quote, right before the delimiter (\(delimiter)) or the "
                + "line end; if the quote before this is part of the text, double it (\"\")."
        )
    }

    static func fieldCount(
        file: String, at location: Location, expected: Int, found: Int, headerLine: Int?, delimiter: CSVDelimiter
    ) -> CSVError {
        let source = headerLine.map { "the header on line \($0)" } ?? "the first record"
        let advice = found > expected
            ? "A field that contains the delimiter (\(delimiter)) must be in quotes; otherwise remove the extra delimiters."
            : "Add the missing delimiters (\(delimiter)) — an empty field still needs its delimiter."
        return CSVError(
            code: .fieldCountMismatch, file: file, line: location.line, column: location.column,
            byteOffset: location.byteOffset,
            reason: "record has \(found) field\(found == 1 ? "" : "s"), expected \(expected) like \(source)",
            hint: "Expected \(expected) fields, found \(found). \(advice)"
        )
    }

    static func invalidUTF8(file: String, at location: Location, bytes: [UInt8], looksLikeUTF16: Bool) -> CSVError {
        let shown = bytes.map { "0x" + String($0, radix: 16, uppercase: true) }.joined(separator: " ")
        let hint: String
        if looksLikeUTF16 {
            hint = "The file looks like UTF-16 without a byte order mark: read it with --encoding utf-16 "
                + "(or re-save it from the spreadsheet as \"CSV UTF-8\")."
        } else {
            hint = "The file is not UTF-8. Excel's plain \"CSV\" export is Windows-1252: read it with "
                + "--encoding windows-1252, or re-save it from the spreadsheet as \"CSV UTF-8\"."
        }
        return CSVError(
            code: .invalidEncoding, file: file, line: location.line, column: location.column,
            byteOffset: location.byteOffset,
            reason: "invalid UTF-8: byte\(bytes.count == 1 ? "" : "s") \(shown) cannot start or continue a character here",
            hint: hint
        )
    }

    /// A spreadsheet workbook given where a CSV file was expected: `.xlsx`/`.ods` (a ZIP
    /// archive, `PK\u{3}\u{4}`) or a legacy `.xls` (an OLE2 compound file, `D0 CF 11 E0`).
    static func workbook(file: String, kind: String) -> CSVError {
        CSVError(
            code: .invalidEncoding, file: file, line: 1, column: 1, byteOffset: 0,
            reason: "this is \(kind), not a CSV file",
            hint: "Open it in the spreadsheet and save it as \"CSV UTF-8 (Comma delimited)\", then give that file."
        )
    }

    static func invalidUTF16(file: String, at location: Location, reason: String) -> CSVError {
        CSVError(
            code: .invalidEncoding, file: file, line: location.line, column: location.column,
            byteOffset: location.byteOffset, reason: reason,
            hint: "The file is not valid UTF-16. If it is not a \"Unicode Text\" export, read it with "
                + "--encoding utf-8 or --encoding windows-1252; otherwise re-export it from the spreadsheet."
        )
    }

    static func emptyHeader(file: String, at location: Location, columns: [Int]) -> CSVError {
        let list = columns.map(String.init).joined(separator: ", ")
        let plural = columns.count > 1
        return CSVError(
            code: .emptyHeader, file: file, line: location.line, column: location.column,
            byteOffset: location.byteOffset,
            reason: plural ? "header columns \(list) have empty names" : "header column \(list) has an empty name",
            hint: "Every column needs a name in the header row: name \(plural ? "them" : "it"), or delete the "
                + "empty column (look for a stray delimiter at the end of the header)."
        )
    }

    static func duplicateHeader(file: String, at location: Location, name: String, columns: [Int]) -> CSVError {
        let list = columns.map(String.init).joined(separator: " and ")
        return CSVError(
            code: .duplicateHeader, file: file, line: location.line, column: location.column,
            byteOffset: location.byteOffset,
            reason: "duplicate header name \"\(name)\" in columns \(list)",
            hint: "Header names must be unique, ignoring case and surrounding spaces: rename or remove all but one."
        )
    }

    /// A position for an error message.
    struct Location {
        var line: Int
        var column: Int
        var byteOffset: Int64
    }
}
