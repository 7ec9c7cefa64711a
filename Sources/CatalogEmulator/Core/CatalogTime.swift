import CatalogModels
import Foundation

/// The date and time formats of the Catalog API, without `DateFormatter` (whose behaviour
/// depends on the locale and platform): ISO 8601 UTC date-times (`2030-01-01T12:00:00Z`,
/// milliseconds accepted on input) and calendar dates (`2030-12-31`) as details use them.
public enum CatalogTime {
    /// `2030-01-01T12:00:00Z`: the model's `DateTimeISO8601` (20 characters, whole seconds).
    public static func timestamp(_ date: Date) -> String {
        let seconds = Int64((date.timeIntervalSince1970).rounded(.down))
        let (days, secondOfDay) = CivilDate.split(seconds: seconds)
        let (y, m, d) = CivilDate.date(days: days)
        return "\(pad(y, 4))-\(pad(m, 2))-\(pad(d, 2))T\(pad(secondOfDay / 3600, 2)):\(pad(secondOfDay / 60 % 60, 2)):\(pad(secondOfDay % 60, 2))Z"
    }

    /// `2030-01-01`: the UTC calendar date of `date`.
    public static func day(_ date: Date) -> String {
        String(timestamp(date).prefix(10))
    }

    /// Reads `YYYY-MM-DDTHH:MM:SSZ`, also with a fraction (`…:59.999Z`); `nil` otherwise.
    public static func parseTimestamp(_ text: String) -> Date? {
        let bytes = Array(text.utf8)
        guard bytes.count >= 20, bytes.last == UInt8(ascii: "Z"),
              bytes[10] == UInt8(ascii: "T"), bytes[13] == UInt8(ascii: ":"), bytes[16] == UInt8(ascii: ":"),
              let days = parseDayBytes(Array(bytes[0..<10])),
              let hour = number(bytes[11..<13]), let minute = number(bytes[14..<16]), let second = number(bytes[17..<19]),
              hour < 24, minute < 60, second < 60 else { return nil }
        var fraction = 0.0
        if bytes.count > 20 {
            guard bytes[19] == UInt8(ascii: "."), bytes.count > 21 else { return nil }
            let digits = bytes[20..<(bytes.count - 1)]
            guard digits.count <= 9, let value = number(digits) else { return nil }
            fraction = Double(value) / pow(10, Double(digits.count))
        } else if bytes.count != 20 {
            return nil
        }
        let seconds = Double(days * 86_400 + hour * 3600 + minute * 60 + second) + fraction
        return Date(timeIntervalSince1970: seconds)
    }

    /// Reads a calendar date `YYYY-MM-DD` that exists (`2030-02-30` does not); returns the
    /// number of days since 1970-01-01.
    public static func parseDay(_ text: String) -> Int64? {
        let bytes = Array(text.utf8)
        guard bytes.count == 10 else { return nil }
        return parseDayBytes(bytes)
    }

    /// Days since 1970-01-01 of the UTC date of `date`.
    public static func dayNumber(_ date: Date) -> Int64 {
        CivilDate.split(seconds: Int64(date.timeIntervalSince1970.rounded(.down))).days
    }

    /// The date `YYYY-MM-DD` for a day number.
    public static func day(number days: Int64) -> String {
        let (y, m, d) = CivilDate.date(days: days)
        return "\(pad(y, 4))-\(pad(m, 2))-\(pad(d, 2))"
    }

    /// The last second of a calendar date, as a timestamp (`2030-12-31T23:59:59Z`): when an
    /// availability end date ends.
    public static func endOfDayTimestamp(_ day: String) -> String? {
        parseDay(day) == nil ? nil : day + "T23:59:59Z"
    }

    private static func parseDayBytes(_ bytes: [UInt8]) -> Int64? {
        guard bytes.count == 10, bytes[4] == UInt8(ascii: "-"), bytes[7] == UInt8(ascii: "-"),
              let y = number(bytes[0..<4]), let m = number(bytes[5..<7]), let d = number(bytes[8..<10]),
              (1...12).contains(m), d >= 1, d <= CivilDate.daysIn(year: y, month: m) else { return nil }
        return CivilDate.days(year: y, month: m, day: d)
    }

    private static func number(_ bytes: ArraySlice<UInt8>) -> Int64? {
        guard !bytes.isEmpty else { return nil }
        var value: Int64 = 0
        for b in bytes {
            guard b >= 0x30, b <= 0x39 else { return nil }
            value = value * 10 + Int64(b - 0x30)
        }
        return value
    }


    private static func pad(_ value: Int64, _ width: Int) -> String {
        let text = String(value)
        return text.count >= width ? text : String(repeating: "0", count: width - text.count) + text
    }


}
