/// The outcome of a value check: the accepted value (normalised), or a problem with a
/// message for people and a hint on how to fix the spreadsheet cell.
public enum ValueCheckResult: Sendable, Hashable {
    /// The value is acceptable; `normalized` is what to send (e.g. trimmed).
    case valid(normalized: String)
    /// The value is not acceptable.
    case invalid(ValueProblem)

    /// Whether the value passed.
    public var isValid: Bool {
        if case .valid = self { return true }
        return false
    }

    /// The value to send, when valid.
    public var normalized: String? {
        if case .valid(let value) = self { return value }
        return nil
    }

    /// The problem, when invalid.
    public var problem: ValueProblem? {
        if case .invalid(let problem) = self { return problem }
        return nil
    }
}

/// Why a value was rejected: what kind of damage, a sentence for the results file, a fix
/// hint, and, when one can be guessed, a suggested corrected value.
public struct ValueProblem: Sendable, Hashable, CustomStringConvertible {
    /// The kind of problem, for code that reacts to specific damage.
    public var kind: Kind
    /// What is wrong, e.g. `account id "12345678901" has 11 digits`.
    public var message: String
    /// How to fix it, e.g. `lost leading zero(s): pad to 12 digits, format the column as text`.
    public var hint: String
    /// A corrected value when one can be derived safely (e.g. `123456789012` from
    /// `1234-5678-9012`); never a guess at lost digits.
    public var suggestion: String?

    /// Creates a problem.
    public init(kind: Kind, message: String, hint: String, suggestion: String? = nil) {
        self.kind = kind
        self.message = message
        self.hint = hint
        self.suggestion = suggestion
    }

    /// `message (hint)`, plus the suggestion when there is one.
    public var description: String {
        var text = "\(message) (\(hint))"
        if let suggestion { text += "; did you mean \"\(suggestion)\"?" }
        return text
    }

    /// The kinds of problems the checks report.
    public enum Kind: String, Sendable, Hashable, CaseIterable {
        /// Empty or only whitespace.
        case empty
        /// Longer than allowed.
        case tooLong
        /// Characters outside the allowed set.
        case invalidCharacters
        /// Wrong overall shape (prefix, separators, grammar).
        case invalidFormat
        /// Fewer digits than required; a spreadsheet dropped leading zeros.
        case lostLeadingZeros
        /// Too many digits.
        case tooManyDigits
        /// A spreadsheet turned the value into scientific notation (`1.23457E+11`).
        case scientificNotation
        /// Spaces, dashes or other separators inside the value.
        case separators
        /// A spreadsheet stored a date as its serial number (`45657`).
        case spreadsheetDateSerial
        /// A date in another order or separator (`12/31/2025`).
        case wrongDateFormat
        /// A well-formed date that does not exist (`2025-02-30`).
        case notACalendarDate
        /// A date that must be in the future is not.
        case notInFuture
        /// Lower case where upper case is required.
        case wrongCase
        /// A currency code not in the known list.
        case unknownCurrency
        /// A negative amount.
        case negative
        /// More fraction digits than allowed.
        case tooPrecise
        /// A currency symbol or thousands separator in an amount.
        case formattedNumber
    }
}

/// Checks for spreadsheet cells before they go into a change set: each returns a
/// ``ValueCheckResult`` with a message and a fix hint, and recognises common spreadsheet
/// damage (lost leading zeros, scientific notation, date serials).
///
/// Values are trimmed of surrounding whitespace first; the normalised value is what to send.
public enum ValueChecks {}

extension ValueChecks {
    static func trimmed(_ raw: String) -> String {
        var s = Substring(raw)
        while let first = s.first, first.isWhitespace { s = s.dropFirst() }
        while let last = s.last, last.isWhitespace { s = s.dropLast() }
        return String(s)
    }

    static func invalid(_ kind: ValueProblem.Kind, _ message: String, _ hint: String, suggestion: String? = nil) -> ValueCheckResult {
        .invalid(ValueProblem(kind: kind, message: message, hint: hint, suggestion: suggestion))
    }
}
