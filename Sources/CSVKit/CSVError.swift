/// A problem reading or writing CSV (RFC 4180): where it is and how to fix it.
///
/// The module's one error type. Match on ``code``; show ``description``, which
/// renders as `FILE:LINE:COLUMN: reason` with the hint on the next line, the
/// form editors and terminals recognise as a jump target.
///
/// - `file` is the path the reader was opened with, `<stdin>`, or the name given.
/// - `line` is the 1-based physical line (a quoted field with line breaks spans
///   several lines); `column` is the 1-based character (Unicode scalar) position
///   on that line; `byteOffset` is the 0-based offset in the input as read
///   (before any decoding), counted from where reading started.
/// - Input/output failures (cannot open, read or write) have no position: their
///   `line` and `column` are 0 and the description is `FILE: reason`.
public struct CSVError: Error, Sendable, Hashable, CustomStringConvertible {
    /// What kind of problem this is, for matching (`error.code == .unterminatedQuote`).
    public struct Code: Sendable, Hashable, CustomStringConvertible {
        private enum Base: String, Sendable, Hashable {
            case unterminatedQuote, strayQuote, fieldCountMismatch, invalidEncoding
            case duplicateHeader, emptyHeader, io
        }

        private let base: Base
        private init(_ base: Base) { self.base = base }

        /// A quoted field is still open at the end of the input (RFC 4180 §2.5–2.7).
        public static let unterminatedQuote = Code(.unterminatedQuote)
        /// A quote inside an unquoted field, or text after a closing quote (RFC 4180 §2.5).
        public static let strayQuote = Code(.strayQuote)
        /// A record has more or fewer fields than the header (RFC 4180 §2.4).
        public static let fieldCountMismatch = Code(.fieldCountMismatch)
        /// Bytes that are not valid in the input's encoding (UTF-8 or UTF-16).
        public static let invalidEncoding = Code(.invalidEncoding)
        /// Two header names are equal, ignoring case and surrounding spaces.
        public static let duplicateHeader = Code(.duplicateHeader)
        /// A header name is empty (or only spaces).
        public static let emptyHeader = Code(.emptyHeader)
        /// The file could not be opened, read or written.
        public static let io = Code(.io)

        /// The code's name, such as `unterminatedQuote`.
        public var description: String { base.rawValue }
    }

    /// What kind of problem this is.
    public let code: Code
    /// The input's or output's name: its path, `<stdin>`, or the name it was given.
    public let file: String
    /// The 1-based physical line of the problem; 0 for input/output failures.
    public let line: Int
    /// The 1-based character (Unicode scalar) position on `line`; 0 for input/output failures.
    public let column: Int
    /// The 0-based byte offset of the problem in the input as read; 0 for input/output failures.
    public let byteOffset: Int64
    /// What is wrong, in one sentence without a trailing period.
    public let reason: String
    /// How to fix it, for a person reading the message.
    public let hint: String

    /// Creates an error; CSVKit creates these, tests and adapters may too.
    public init(code: Code, file: String, line: Int, column: Int, byteOffset: Int64, reason: String, hint: String) {
        self.code = code
        self.file = file
        self.line = line
        self.column = column
        self.byteOffset = byteOffset
        self.reason = reason
        self.hint = hint
    }

    /// `FILE:LINE:COLUMN: reason`, then the hint on the next line (`FILE: reason` without a position).
    public var description: String {
        let location = line > 0 ? "\(file):\(line):\(column)" : file
        return hint.isEmpty ? "\(location): \(reason)" : "\(location): \(reason)\n\(hint)"
    }
}
