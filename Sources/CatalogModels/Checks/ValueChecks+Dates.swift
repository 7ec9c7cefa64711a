import Foundation

extension ValueChecks {
    /// Checks an ISO 8601 calendar date `YYYY-MM-DD` (e.g. AvailabilityEndDate) that exists
    /// in the Gregorian calendar (`2025-02-29` is rejected, `2028-02-29` accepted).
    ///
    /// Recognised damage, with a suggestion where it is unambiguous: Excel date serials
    /// (`45657` → `2024-12-31`), `MM/DD/YYYY` or `DD/MM/YYYY` (suggested only when one part
    /// is above 12), `YYYY/MM/DD`, missing zero padding (`2025-1-5`), and a date-time where a
    /// date is wanted (`2025-12-31T00:00:00Z` → `2025-12-31`).
    public static func date(_ raw: String) -> ValueCheckResult {
        let value = trimmed(raw)
        guard !value.isEmpty else { return invalid(.empty, "date is empty", "enter a date as YYYY-MM-DD") }
        if let (y, m, d) = strictDate(value) {
            guard isCalendarDate(y, m, d) else {
                return invalid(.notACalendarDate, "\"\(value)\" is not a real date", notACalendarDateHint(y, m, d))
            }
            return .valid(normalized: value)
        }
        if value.allSatisfy(\.isASCIIDigit) || (value.filter { $0 == "." }.count == 1 && value.allSatisfy { $0.isASCIIDigit || $0 == "." }),
           let serial = Double(value), serial >= 1, serial < 2_958_466 {
            return invalid(.spreadsheetDateSerial, "\"\(value)\" looks like a spreadsheet date serial number",
                           "the spreadsheet stored the date as a number; format the column as Text and enter YYYY-MM-DD",
                           suggestion: excelSerialToDate(Int(serial)))
        }
        if value.count > 10, let (y, m, d) = strictDate(String(value.prefix(10))), isCalendarDate(y, m, d),
           let next = value.dropFirst(10).first, next == "T" || next == " " {
            return invalid(.invalidFormat, "\"\(value)\" is a date-time, not a date", "enter only the date part, YYYY-MM-DD",
                           suggestion: String(value.prefix(10)))
        }
        let parts = value.split(whereSeparator: { $0 == "/" || $0 == "-" || $0 == "." }).map(String.init)
        if parts.count == 3, parts.allSatisfy({ !$0.isEmpty && $0.allSatisfy(\.isASCIIDigit) }) {
            let a = Int(parts[0])!, b = Int(parts[1])!, c = Int(parts[2])!
            if parts[0].count == 4 {
                // Year first: 2025/12/31 or 2025-1-5.
                let fixed = format(a, b, c)
                let ok = isCalendarDate(a, b, c)
                return invalid(.wrongDateFormat, "\"\(value)\" is not written YYYY-MM-DD",
                               "write the date as YYYY-MM-DD with two-digit month and day", suggestion: ok ? fixed : nil)
            }
            if parts[2].count == 4 {
                // Year last: MM/DD/YYYY or DD/MM/YYYY.
                var suggestion: String?
                if a > 12, isCalendarDate(c, b, a) { suggestion = format(c, b, a) }  // DD/MM/YYYY
                else if b > 12, isCalendarDate(c, a, b) { suggestion = format(c, a, b) }  // MM/DD/YYYY
                else if a == b, isCalendarDate(c, a, b) { suggestion = format(c, a, b) }
                return invalid(.wrongDateFormat, "\"\(value)\" is not written YYYY-MM-DD",
                               suggestion == nil
                                   ? "day and month order is ambiguous; write the date as YYYY-MM-DD and format the column as Text"
                                   : "write the date as YYYY-MM-DD and format the column as Text",
                               suggestion: suggestion)
            }
        }
        return invalid(.invalidFormat, "\"\(value)\" is not a date", "write the date as YYYY-MM-DD, e.g. 2026-12-31")
    }

    /// Checks a `YYYY-MM-DD` date (as ``date(_:)``) that is after `now`'s calendar day in UTC
    /// (a date equal to today is rejected, as the service may already consider it past).
    /// Inject `now` for deterministic tests.
    public static func futureDate(_ raw: String, relativeTo now: Date) -> ValueCheckResult {
        let result = date(raw)
        guard case .valid(let value) = result else { return result }
        let today = utcDateString(now)
        guard value > today else {
            return invalid(.notInFuture, "date \(value) is not in the future (today is \(today) UTC)",
                           "choose a date after \(today)")
        }
        return result
    }

    /// Checks an ISO 8601 UTC date-time as the API writes it: `YYYY-MM-DDTHH:MM:SSZ`, with
    /// optional fractional seconds (`…:59.999Z`). Suggests a fix for a space instead of `T`,
    /// a `+00:00` offset instead of `Z`, or a missing `Z`.
    public static func dateTime(_ raw: String) -> ValueCheckResult {
        let value = trimmed(raw)
        guard !value.isEmpty else { return invalid(.empty, "date-time is empty", "enter a UTC date-time as YYYY-MM-DDTHH:MM:SSZ") }
        if isStrictDateTime(value) { return .valid(normalized: value) }
        var fixed = value
        if fixed.count > 10, fixed[fixed.index(fixed.startIndex, offsetBy: 10)] == " " {
            fixed = String(fixed.prefix(10)) + "T" + fixed.dropFirst(11)
        }
        if fixed.hasSuffix("+00:00") || fixed.hasSuffix("-00:00") { fixed = String(fixed.dropLast(6)) + "Z" }
        else if fixed.hasSuffix("+0000") { fixed = String(fixed.dropLast(5)) + "Z" }
        else if fixed.hasSuffix("z") { fixed = String(fixed.dropLast()) + "Z" }
        else if !fixed.hasSuffix("Z"), isStrictDateTime(fixed + "Z") { fixed += "Z" }
        if isStrictDateTime(fixed) {
            return invalid(.invalidFormat, "\"\(value)\" is not written YYYY-MM-DDTHH:MM:SSZ",
                           "write UTC date-times as YYYY-MM-DDTHH:MM:SSZ", suggestion: fixed)
        }
        if case .valid = date(value) {
            return invalid(.invalidFormat, "\"\(value)\" is a date without a time", "add the UTC time, e.g. \(value)T00:00:00Z",
                           suggestion: value + "T00:00:00Z")
        }
        return invalid(.invalidFormat, "\"\(value)\" is not a date-time", "write UTC date-times as YYYY-MM-DDTHH:MM:SSZ, e.g. 2026-12-31T23:59:59Z")
    }

    // MARK: - Helpers

    /// `YYYY-MM-DD` exactly (digits and dashes in place), without calendar validation.
    static func strictDate(_ value: String) -> (Int, Int, Int)? {
        let chars = Array(value)
        guard chars.count == 10, chars[4] == "-", chars[7] == "-" else { return nil }
        for i in [0, 1, 2, 3, 5, 6, 8, 9] where !chars[i].isASCIIDigit { return nil }
        return (Int(String(chars[0..<4]))!, Int(String(chars[5..<7]))!, Int(String(chars[8..<10]))!)
    }

    static func isStrictDateTime(_ value: String) -> Bool {
        let chars = Array(value)
        guard chars.count >= 20, chars[10] == "T", chars.last == "Z",
              let (y, m, d) = strictDate(String(chars[0..<10])), isCalendarDate(y, m, d) else { return false }
        guard chars[13] == ":", chars[16] == ":" else { return false }
        for i in [11, 12, 14, 15, 17, 18] where !chars[i].isASCIIDigit { return false }
        let hh = Int(String(chars[11..<13]))!, mm = Int(String(chars[14..<16]))!, ss = Int(String(chars[17..<19]))!
        guard hh < 24, mm < 60, ss < 60 else { return false }
        if chars.count == 20 { return true }
        // Fractional seconds: '.' then 1–9 digits, then Z.
        guard chars[19] == ".", chars.count >= 22, chars.count <= 29 else { return false }
        return chars[20..<(chars.count - 1)].allSatisfy(\.isASCIIDigit)
    }

    /// Why a `YYYY-MM-DD` that is well formed is not a date: the month, the year or the day.
    static func notACalendarDateHint(_ y: Int, _ m: Int, _ d: Int) -> String {
        if !(1...12).contains(m) {
            return "there is no month \(m): the month comes second in YYYY-MM-DD and runs from 01 to 12"
        }
        if !(1...9999).contains(y) { return "the year must be from 0001 to 9999" }
        if d < 1 { return "there is no day 0: days run from 01 to \(daysIn(y, m)) in \(monthName(m)) \(y)" }
        return "\(monthName(m)) \(y) has \(daysIn(y, m)) days; enter a date that exists"
    }

    static func isLeap(_ y: Int) -> Bool { (y % 4 == 0 && y % 100 != 0) || y % 400 == 0 }

    static func daysIn(_ y: Int, _ m: Int) -> Int {
        switch m {
        case 2: return isLeap(y) ? 29 : 28
        case 4, 6, 9, 11: return 30
        default: return 31
        }
    }

    static func isCalendarDate(_ y: Int, _ m: Int, _ d: Int) -> Bool {
        (1...9999).contains(y) && (1...12).contains(m) && d >= 1 && d <= daysIn(y, m)
    }

    static func monthName(_ m: Int) -> String {
        let names = ["January", "February", "March", "April", "May", "June", "July", "August",
                     "September", "October", "November", "December"]
        return (1...12).contains(m) ? names[m - 1] : "month \(m)"
    }

    static func format(_ y: Int, _ m: Int, _ d: Int) -> String {
        func two(_ n: Int) -> String { n < 10 ? "0\(n)" : "\(n)" }
        let year = String(y)
        return String(repeating: "0", count: max(0, 4 - year.count)) + year + "-" + two(m) + "-" + two(d)
    }

    /// The date of an Excel (1900 system) serial: 1 is 1900-01-01; 60 is Excel's phantom
    /// 1900-02-29, returned as `nil`.
    static func excelSerialToDate(_ serial: Int) -> String? {
        guard serial != 60 else { return nil }
        // Days from 1899-12-31 for serials before the phantom day, 1899-12-30 after it.
        let days = serial < 60 ? serial - 1 : serial - 2
        return civilFromDays(daysFrom1900: days)
    }

    /// Y-M-D of 1900-01-01 plus `daysFrom1900` days (``CivilDate``).
    static func civilFromDays(daysFrom1900: Int) -> String {
        let (y, m, d) = CivilDate.date(days: Int64(daysFrom1900 - 25567))  // 1900-01-01 is day -25567
        return format(Int(y), Int(m), Int(d))
    }

    /// `now` as `YYYY-MM-DD` in UTC.
    static func utcDateString(_ now: Date) -> String {
        let days = Int((now.timeIntervalSince1970 / 86_400).rounded(.down))
        return civilFromDays(daysFrom1900: days + 25567)
    }
}
