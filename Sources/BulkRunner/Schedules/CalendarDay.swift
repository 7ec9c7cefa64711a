import CatalogModels
import Foundation

/// A calendar date without a time zone, as the Catalog API writes dates inside
/// DetailsDocuments: `YYYY-MM-DD` (`ChargeDate` of a `PaymentScheduleTerm`,
/// `AvailabilityEndDate` of `UpdateAvailability`; AWS Marketplace Catalog API reference,
/// "Working with private offers").
///
/// Stored as a day number (days since 1970-01-01, proleptic Gregorian calendar), so adding
/// days, comparing and finding the weekday are integer arithmetic — no `Calendar`, no
/// locale, no time zone. Years 0001–9999 only (four-digit years, as the API writes them).
public struct CalendarDay: Sendable, Hashable, Comparable, CustomStringConvertible {
    /// Days since 1970-01-01 (negative before).
    public let dayNumber: Int64

    /// The day `dayNumber` days after 1970-01-01.
    public init(dayNumber: Int64) {
        self.dayNumber = dayNumber
    }

    /// The date `year-month-day`; `nil` when it does not exist (`2027-02-29`) or the year is
    /// outside 1…9999.
    public init?(year: Int, month: Int, day: Int) {
        guard (1...9999).contains(year), (1...12).contains(month), day >= 1,
              day <= CalendarDay.daysIn(year: year, month: month) else { return nil }
        dayNumber = CivilDate.days(year: Int64(year), month: Int64(month), day: Int64(day))
    }

    /// Reads exactly `YYYY-MM-DD` (a date that exists); `nil` for anything else. Use
    /// ``parse(_:field:)`` for a message that says what is wrong with a spreadsheet cell.
    public init?(_ text: String) {
        let bytes = Array(text.utf8)
        guard bytes.count == 10, bytes[4] == UInt8(ascii: "-"), bytes[7] == UInt8(ascii: "-") else { return nil }
        func number(_ range: Range<Int>) -> Int? {
            var value = 0
            for byte in bytes[range] {
                guard byte >= 0x30, byte <= 0x39 else { return nil }
                value = value * 10 + Int(byte - 0x30)
            }
            return value
        }
        guard let year = number(0..<4), let month = number(5..<7), let day = number(8..<10) else { return nil }
        self.init(year: year, month: month, day: day)
    }

    /// The UTC calendar day of `date`.
    public init(_ date: Date) {
        let seconds = Int64(date.timeIntervalSince1970.rounded(.down))
        dayNumber = seconds >= 0 ? seconds / 86_400 : (seconds - 86_399) / 86_400
    }

    /// Reads a `YYYY-MM-DD` cell or option value, trimmed. On failure the error says what
    /// spreadsheets did to it (Excel serial numbers, `12/31/2027`, a date-time) using
    /// `ValueChecks.date`.
    ///
    /// - Throws: ``BulkRunnerError`` with code ``BulkRunnerError/Code/invalidOption`` naming `field`.
    public static func parse(_ text: String, field: String) throws(BulkRunnerError) -> CalendarDay {
        switch ValueChecks.date(text) {
        case .valid(let normalized):
            if let day = CalendarDay(normalized) { return day }
            throw BulkRunnerError(code: .invalidOption, field: field, reason: "\"\(text)\" is not a date",
                                  hint: "write the date as YYYY-MM-DD, e.g. 2027-01-31")
        case .invalid(let problem):
            var hint = problem.hint
            if let suggestion = problem.suggestion { hint += "; did you mean \(suggestion)?" }
            throw BulkRunnerError(code: .invalidOption, field: field, reason: problem.message, hint: hint)
        }
    }

    /// The year (1…9999).
    public var year: Int { Int(civil.year) }
    /// The month (1…12).
    public var month: Int { Int(civil.month) }
    /// The day of the month (1…31).
    public var day: Int { Int(civil.day) }

    /// The day of the week.
    public var weekday: Weekday {
        // 1970-01-01 was a Thursday.
        let index = ((dayNumber % 7) + 7 + 3) % 7  // 0 = Monday
        return Weekday.allCases[Int(index)]
    }

    /// Whether the day is a Saturday or a Sunday.
    public var isWeekend: Bool { weekday == .saturday || weekday == .sunday }

    /// The day `days` days later (earlier when negative).
    public func adding(days: Int) -> CalendarDay {
        CalendarDay(dayNumber: dayNumber + Int64(days))
    }

    /// `2027-01-31`.
    public var description: String {
        let (y, m, d) = civil
        return pad(y, 4) + "-" + pad(m, 2) + "-" + pad(d, 2)
    }

    /// The first second of the day as the API's date-time filter values take it
    /// (`DateTimeISO8601`, exactly 20 characters): `2027-01-31T00:00:00Z`.
    public var startTimestamp: String { description + "T00:00:00Z" }

    /// The last second of the day: `2027-01-31T23:59:59Z`.
    public var endTimestamp: String { description + "T23:59:59Z" }

    /// Earlier days first.
    public static func < (lhs: CalendarDay, rhs: CalendarDay) -> Bool { lhs.dayNumber < rhs.dayNumber }

    /// The seven days of the week, Monday first (ISO 8601).
    public enum Weekday: String, Sendable, Hashable, CaseIterable {
        /// Monday.
        case monday = "Monday"
        /// Tuesday.
        case tuesday = "Tuesday"
        /// Wednesday.
        case wednesday = "Wednesday"
        /// Thursday.
        case thursday = "Thursday"
        /// Friday.
        case friday = "Friday"
        /// Saturday.
        case saturday = "Saturday"
        /// Sunday.
        case sunday = "Sunday"
    }

    // MARK: Arithmetic

    private var civil: (year: Int64, month: Int64, day: Int64) { CivilDate.date(days: dayNumber) }

    static func daysIn(year: Int, month: Int) -> Int {
        Int(CivilDate.daysIn(year: Int64(year), month: Int64(month)))
    }

    private func pad(_ value: Int64, _ width: Int) -> String {
        let text = String(value)
        return text.count >= width ? text : String(repeating: "0", count: width - text.count) + text
    }
}
