import CatalogModels
import Foundation

/// A SigV4 timestamp: ISO 8601 basic format in UTC, `YYYYMMDD'T'HHMMSS'Z'`, whole
/// seconds (AWS "Elements of an AWS API request signature": `X-Amz-Date`), and its
/// first eight characters, the date of the credential scope.
///
/// Computed with proleptic-Gregorian day arithmetic rather than `DateFormatter`, so
/// it needs no locale or time zone database and gives the same text everywhere.
struct AmzDate: Sendable, Equatable {
    /// The full timestamp, e.g. `20150830T123600Z`.
    let timestamp: String
    /// The scope date, e.g. `20150830`.
    var dateStamp: String { String(timestamp.prefix(8)) }

    /// The timestamp of `date`, with fractional seconds dropped (rounded down).
    init(_ date: Date) {
        let seconds = Int64(date.timeIntervalSince1970.rounded(.down))
        let (days, secondOfDay) = CivilDate.split(seconds: seconds)
        let (year, month, day) = CivilDate.date(days: days)
        let hour = secondOfDay / 3600, minute = secondOfDay / 60 % 60, second = secondOfDay % 60
        timestamp = Self.pad(year, 4) + Self.pad(month, 2) + Self.pad(day, 2) + "T"
            + Self.pad(hour, 2) + Self.pad(minute, 2) + Self.pad(second, 2) + "Z"
    }

    /// The instant a `YYYYMMDD'T'HHMMSS'Z'` timestamp names, or `nil` if `text` is not
    /// exactly that shape with a real calendar date and time.
    static func parse(_ text: String) -> Date? {
        let bytes = Array(text.utf8)
        guard bytes.count == 16, bytes[8] == UInt8(ascii: "T"), bytes[15] == UInt8(ascii: "Z") else { return nil }
        func number(_ range: Range<Int>) -> Int64? {
            var value: Int64 = 0
            for byte in bytes[range] {
                guard byte >= UInt8(ascii: "0"), byte <= UInt8(ascii: "9") else { return nil }
                value = value * 10 + Int64(byte - UInt8(ascii: "0"))
            }
            return value
        }
        guard let year = number(0..<4), let month = number(4..<6), let day = number(6..<8),
              let hour = number(9..<11), let minute = number(11..<13), let second = number(13..<15),
              (1...12).contains(month), day >= 1, hour < 24, minute < 60, second < 60
        else { return nil }
        // Reject 31 February and the like.
        guard day <= CivilDate.daysIn(year: year, month: month) else { return nil }
        let days = CivilDate.days(year: year, month: month, day: day)
        return Date(timeIntervalSince1970: TimeInterval(days * 86_400 + hour * 3600 + minute * 60 + second))
    }

    private static func pad(_ value: Int64, _ width: Int) -> String {
        let digits = String(value)
        return digits.count >= width ? digits : String(repeating: "0", count: width - digits.count) + digits
    }


}
