import CatalogModels
import Foundation
import Testing

@Suite("CivilDate: proleptic Gregorian day numbers")
struct CivilDateTests {
    @Test func knownDays() {
        #expect(CivilDate.days(year: 1970, month: 1, day: 1) == 0)
        #expect(CivilDate.days(year: 2000, month: 3, day: 1) == 11_017)
        #expect(CivilDate.days(year: 1900, month: 1, day: 1) == -25_567)
        #expect(CivilDate.date(days: 19_723) == (2024, 1, 1))
        #expect(CivilDate.date(days: -1) == (1969, 12, 31))
        #expect(CivilDate.daysIn(year: 2000, month: 2) == 29 && CivilDate.daysIn(year: 1900, month: 2) == 28)
        #expect(CivilDate.split(seconds: -1) == (-1, 86_399))
    }

    /// Every day from year 1 to 9999 survives the round trip, one day after the other, and
    /// agrees with Foundation's Gregorian calendar in UTC on a sample.
    @Test func roundTripAndFoundation() throws {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = try #require(TimeZone(identifier: "UTC"))
        var expected = CivilDate.days(year: 1, month: 1, day: 1)
        for year in Int64(1)...9999 {
            for month in Int64(1)...12 {
                for day in 1...CivilDate.daysIn(year: year, month: month) {
                    let days = CivilDate.days(year: year, month: month, day: day)
                    #expect(days == expected)
                    expected += 1
                    if day == 1 && month == 1, year >= 1600, year % 37 == 0 {
                        let date = Date(timeIntervalSince1970: TimeInterval(days) * 86_400)
                        let parts = calendar.dateComponents([.year, .month, .day], from: date)
                        #expect(parts.year == Int(year) && parts.month == 1 && parts.day == 1, "\(year)")
                    }
                    if days % 997 == 0 { #expect(CivilDate.date(days: days) == (year, month, day)) }
                }
            }
        }
    }
}
