import BulkRunner
import CatalogModels
import Testing

@Suite("Payment schedules")
struct PaymentScheduleTests {
    private func day(_ text: String) -> CalendarDay { CalendarDay(text)! }

    private func rows(_ schedule: PaymentSchedule) -> [String] {
        schedule.payments.map { "\($0.chargeDate) \($0.chargeAmount)" }
    }

    @Test func quarterlyByCountSplitsEvenly() throws {
        let schedule = try PaymentSchedule.generate(spec: "total=12000;first=2027-01-01;every=90;count=4")
        #expect(rows(schedule) == ["2027-01-01 3000.00", "2027-04-01 3000.00", "2027-06-30 3000.00", "2027-09-28 3000.00"])
        #expect(schedule.total.description == "12000.00")
        #expect(schedule.currencyCode == "USD")
    }

    @Test func termJSONHasTheAPIShape() throws {
        let schedule = try PaymentSchedule.generate(spec: "total=370;first=2024-01-01;every=30;count=2")
        #expect(schedule.term.compactString
            == #"{"Type":"PaymentScheduleTerm","CurrencyCode":"USD","Schedule":[{"ChargeDate":"2024-01-01","ChargeAmount":"185.00"},{"ChargeDate":"2024-01-31","ChargeAmount":"185.00"}]}"#)
        #expect(schedule.detailsDocument.compactString.hasPrefix(#"{"Terms":[{"Type":"PaymentScheduleTerm""#))
        #expect(schedule.scheduleJSON.arrayValue?.count == 2)
        let resale = try PaymentSchedule.generate(spec: "total=450;first=2023-09-01;every=90;count=2;type=resale")
        #expect(resale.term["Type"]?.stringValue == "ResalePaymentScheduleTerm")
    }

    @Test func remainderGoesFirstOrLast() throws {
        let last = try PaymentSchedule.generate(spec: "total=100;first=2027-01-01;every=30;count=3")
        #expect(last.payments.map(\.chargeAmount.description) == ["33.33", "33.33", "33.34"])
        let first = try PaymentSchedule.generate(spec: "total=100;first=2027-01-01;every=30;count=3;remainder=first")
        #expect(first.payments.map(\.chargeAmount.description) == ["33.34", "33.33", "33.33"])
        #expect(first.total.minorUnits == 10_000)
        // Two cents left over three payments: the whole remainder on one payment.
        let odd = try PaymentSchedule.generate(spec: "total=1000.07;first=2027-01-01;every=15;count=3;remainder=first")
        #expect(odd.payments.map(\.chargeAmount.description) == ["333.37", "333.35", "333.35"])
    }

    @Test func yenHasNoMinorUnit() throws {
        let schedule = try PaymentSchedule.generate(spec: "total=100000;currency=JPY;first=2027-01-01;every=30;count=3")
        #expect(schedule.payments.map(\.chargeAmount.description) == ["33333", "33333", "33334"])
        #expect(schedule.term["CurrencyCode"]?.stringValue == "JPY")
        let error = #expect(throws: BulkRunnerError.self) {
            try PaymentSchedule.generate(spec: "total=100000.50;currency=JPY;first=2027-01-01;every=30;count=3")
        }
        #expect(error?.field == "total")
        #expect(error?.reason.contains("JPY has no minor unit") == true)
    }

    @Test(arguments: [15, 30, 90, 365])
    func everyFrequencySpacesDatesByItsDays(days: Int) throws {
        let schedule = try PaymentSchedule.generate(spec: "total=1200;first=2027-03-01;every=\(days);count=4")
        let numbers = schedule.payments.map(\.chargeDate.dayNumber)
        #expect(zip(numbers, numbers.dropFirst()).allSatisfy { $1 - $0 == Int64(days) })
        #expect(schedule.payments.first?.chargeDate == day("2027-03-01"))
    }

    @Test func frequencySpellings() throws {
        for every in ["30", "30d", "30 days", "P30D", "p30d"] {
            let schedule = try PaymentSchedule.generate(spec: "total=60;first=2027-01-01;every=\(every);count=2")
            #expect(schedule.payments.last?.chargeDate == day("2027-01-31"), "every=\(every)")
        }
    }

    @Test func endDateIncludesEveryDateOnOrBeforeIt() throws {
        let byEnd = try PaymentSchedule.generate(spec: "total=13000;first=2027-01-01;end=2027-12-31;every=30")
        #expect(byEnd.payments.count == 13)
        #expect(byEnd.payments.last?.chargeDate == day("2027-12-27"))
        let byCount = try PaymentSchedule.generate(spec: "total=13000;first=2027-01-01;count=13;every=30")
        #expect(byEnd == byCount)
        // An end date on a payment date includes it.
        let exact = try PaymentSchedule.generate(spec: "total=200;first=2027-01-01;end=2027-01-31;every=30")
        #expect(rows(exact) == ["2027-01-01 100.00", "2027-01-31 100.00"])
        // An end date equal to the first date: one payment of the whole total.
        let single = try PaymentSchedule.generate(spec: "total=99.99;first=2027-05-05;end=2027-05-05;every=365")
        #expect(rows(single) == ["2027-05-05 99.99"])
    }

    @Test func businessDaysMoveWeekendsToMonday() throws {
        // 2027-01-02 is a Saturday, 2027-01-17 a Sunday, 2027-02-01 a Monday.
        #expect(day("2027-01-02").weekday == .saturday)
        let schedule = try PaymentSchedule.generate(spec: "total=300;first=2027-01-02;every=15;count=3;days=business")
        #expect(rows(schedule) == ["2027-01-04 100.00", "2027-01-18 100.00", "2027-02-01 100.00"])
        #expect(schedule.payments.allSatisfy { !$0.chargeDate.isWeekend })
        let calendar = try PaymentSchedule.generate(spec: "total=300;first=2027-01-02;every=15;count=3")
        #expect(calendar.payments.map(\.chargeDate.description) == ["2027-01-02", "2027-01-17", "2027-02-01"])
    }

    @Test func businessDaysSkipHolidays() throws {
        // 2027-01-01 is a Friday holiday: the next business day is Monday 2027-01-04, itself a holiday here.
        let schedule = try PaymentSchedule.generate(
            spec: "total=200;first=2027-01-01;every=365;count=2;days=business;holidays=2027-01-01 2027-01-04 + 2028-01-03")
        // 2028-01-01 is a Saturday: Monday the 3rd is a holiday, so Tuesday.
        #expect(rows(schedule) == ["2027-01-05 100.00", "2028-01-04 100.00"])
        // Holidays separated by the pair separator continue the list.
        let commas = try PaymentSchedule.generate(
            spec: "payment-schedule(total=200, first=2027-01-01, every=365, count=2, days=business, holidays=2027-01-01, 2027-01-04, 2028-01-03)")
        #expect(commas == schedule)
    }

    @Test func businessDaysNeverPassTheEndDate() throws {
        // 2027-01-31 is a Sunday and the end date: the payment moves back to Friday the 29th.
        #expect(day("2027-01-31").weekday == .sunday)
        let schedule = try PaymentSchedule.generate(spec: "total=200;first=2027-01-01;end=2027-01-31;every=30;days=business")
        #expect(rows(schedule) == ["2027-01-01 100.00", "2027-01-29 100.00"])
        // A weekend with no business day between the first date and the end date.
        let error = #expect(throws: BulkRunnerError.self) {
            try PaymentSchedule.generate(spec: "total=100;first=2027-01-02;end=2027-01-03;every=30;days=business")
        }
        #expect(error?.field == "days")
        #expect(error?.reason.contains("Saturday") == true)
    }

    @Test func namesResolveThroughTheRow() throws {
        let row = ["TOTAL": "24000", "FIRST_CHARGE": "2027-02-01", "END_DATE": "2028-01-31", "BLANK": " "]
        let schedule = try PaymentSchedule.generate(
            spec: "payment-schedule(total=TOTAL,first=FIRST_CHARGE,end=END_DATE,every=90,remainder=last,days=business)",
            resolve: { row[$0] })
        #expect(schedule.payments.count == 5)
        #expect(schedule.total.description == "24000.00")
        #expect(schedule.payments.allSatisfy { !$0.chargeDate.isWeekend })

        let blank = #expect(throws: BulkRunnerError.self) {
            try PaymentSchedule.generate(spec: "total=BLANK;first=2027-01-01;every=30;count=2", resolve: { row[$0] })
        }
        #expect(blank?.field == "total")
        #expect(blank?.reason.contains("BLANK is blank") == true)

        let damaged = ["TOTAL": "$12,000"]
        let bad = #expect(throws: BulkRunnerError.self) {
            try PaymentSchedule.generate(spec: "total=TOTAL;first=2027-01-01;every=30;count=2", resolve: { damaged[$0] })
        }
        #expect(bad?.reason.hasPrefix("TOTAL: ") == true)

        let missing = #expect(throws: BulkRunnerError.self) {
            try PaymentSchedule.generate(spec: "total=NOPE;first=2027-01-01;every=30;count=2", resolve: { row[$0] })
        }
        #expect(missing?.field == "total")
    }

    @Test func specWrittenBackReadsTheSame() throws {
        let spec = "total=1000.08;first=2027-01-01;end=2027-12-31;every=90;remainder=first;days=business;holidays=2027-12-24+2027-07-05;currency=EUR;type=resale"
        let parameters = try PaymentSchedule.Parameters(spec: spec)
        #expect(try PaymentSchedule.Parameters(spec: parameters.spec) == parameters)
        #expect(parameters.spec == "total=1000.08;first=2027-01-01;end=2027-12-31;every=90;remainder=first;days=business;holidays=2027-07-05+2027-12-24;currency=EUR;type=resale")
        let keys = try PaymentSchedule.Parameters(spec: "Total = 10 ; FIRST_CHARGE_DATE=2027-01-01; Frequency=15; Payments=2")
        #expect(keys.frequency == .every15Days)
        #expect(keys.extent == .count(2))
    }

    @Test(arguments: [
        ("first=2027-01-01;every=30;count=2", "total", "needs 'total'"),
        ("total=100;every=30;count=2", "first", "needs 'first'"),
        ("total=100;first=2027-01-01;count=2", "every", "needs 'every'"),
        ("total=100;first=2027-01-01;every=30", "count", "an end date or a count"),
        ("total=100;first=2027-01-01;every=30;count=2;end=2027-12-31", "count", "not both"),
        ("total=100;first=2027-01-01;every=31;count=2", "every", "15, 30, 90 or 365"),
        ("total=0;first=2027-01-01;every=30;count=2", "total", "more than 0"),
        ("total=-5;first=2027-01-01;every=30;count=2", "total", "negative"),
        ("total=12,000;first=2027-01-01;every=30;count=2", "schedule", "not key=value"),
        ("total=1.5E+4;first=2027-01-01;every=30;count=2", "total", "scientific notation"),
        ("total=100.005;first=2027-01-01;every=30;count=2", "total", "2 decimal places"),
        ("total=0.02;first=2027-01-01;every=30;count=3", "total", "cannot be split into 3 payments"),
        ("total=100;first=2027-02-30;every=30;count=2", "first", "not a real date"),
        ("total=100;first=01/31/2027;every=30;count=2", "first", "not written YYYY-MM-DD"),
        ("total=100;first=2027-06-01;end=2027-01-01;every=30", "end", "before the first charge date"),
        ("total=100;first=2027-01-01;every=30;count=0", "count", "1 to 60"),
        ("total=100;first=2027-01-01;every=30;count=61", "count", "1 to 60"),
        ("total=100;first=2027-01-01;every=15;end=2099-01-01", "end", "more than 60 payments"),
        ("total=100;first=2027-01-01;every=30;count=2;remainder=middle", "remainder", "first or the last"),
        ("total=100;first=2027-01-01;every=30;count=2;days=weekends", "days", "calendar or business"),
        ("total=100;first=2027-01-01;every=30;count=2;currency=usd", "currency", "upper case"),
        ("total=100;first=2027-01-01;every=30;count=2;type=agreement", "type", "offer or resale"),
        ("total=100;first=2027-01-01;every=30;count=2;due=2027-01-01", "due", "unknown payment schedule key"),
        ("total=100;total=200;first=2027-01-01;every=30;count=2", "total", "given twice"),
        ("total=100;first=2027-01-01;every=30;count=2;holidays=2027-13-01", "holidays", "not"),
        ("payment-schedule(total=100;first=2027-01-01", "schedule", "not closed"),
    ])
    func invalidSpecsSayWhatIsWrong(spec: String, field: String, fragment: String) {
        let error = #expect(throws: BulkRunnerError.self) { try PaymentSchedule.generate(spec: spec) }
        #expect(error?.code == .invalidOption)
        #expect(error?.field == field, "\(spec): \(String(describing: error))")
        #expect(error?.reason.contains(fragment) == true, "\(spec): \(String(describing: error))")
    }

    @Test func generateFromParametersDirectly() throws {
        let parameters = PaymentSchedule.Parameters(
            total: "1000", currencyCode: "GBP", firstChargeDate: day("2027-06-05"), extent: .count(2),
            frequency: .every365Days, remainder: .first, dayRule: .business, termType: .resaleAuthorization)
        let schedule = try PaymentSchedule.generate(parameters)
        // 2027-06-05 is a Saturday; 2028-06-04 a Sunday.
        #expect(rows(schedule) == ["2027-06-07 500.00", "2028-06-05 500.00"])
        #expect(schedule.term["Type"]?.stringValue == "ResalePaymentScheduleTerm")
        #expect(schedule.term["CurrencyCode"]?.stringValue == "GBP")
    }
}

@Suite("Calendar days and amounts")
struct CalendarDayTests {
    @Test func parsesAndPrintsDates() throws {
        let day = try #require(CalendarDay("2028-02-29"))
        #expect(day.year == 2028 && day.month == 2 && day.day == 29)
        #expect(day.description == "2028-02-29")
        #expect(day.adding(days: 1).description == "2028-03-01")
        #expect(day.startTimestamp == "2028-02-29T00:00:00Z")
        #expect(day.endTimestamp == "2028-02-29T23:59:59Z")
        #expect(CalendarDay("2027-02-29") == nil)
        #expect(CalendarDay("2027-1-05") == nil)
        #expect(CalendarDay("2027-01-05T00:00:00Z") == nil)
        #expect(CalendarDay(dayNumber: 0).description == "1970-01-01")
        #expect(CalendarDay(dayNumber: -1).description == "1969-12-31")
    }

    @Test func weekdays() {
        #expect(CalendarDay("1970-01-01")?.weekday == .thursday)
        #expect(CalendarDay("1969-12-29")?.weekday == .monday)
        #expect(CalendarDay("2027-01-01")?.weekday == .friday)
        #expect(CalendarDay("2030-01-06")?.weekday == .sunday)
        #expect(CalendarDay("2030-01-06")?.isWeekend == true)
        #expect(CalendarDay("2030-01-07")?.isWeekend == false)
    }

    @Test func parseErrorsCarrySpreadsheetHints() {
        let error = #expect(throws: BulkRunnerError.self) { try CalendarDay.parse("46388", field: "first") }
        #expect(error?.reason.contains("date serial") == true)
        #expect(error?.hint.contains("did you mean") == true)
    }

    @Test func amountsAreExact() throws {
        #expect(CurrencyAmount(decimal: "12000", fractionDigits: 2)?.minorUnits == 1_200_000)
        #expect(CurrencyAmount(decimal: "0.1", fractionDigits: 2)?.description == "0.10")
        #expect(CurrencyAmount(decimal: "0.005", fractionDigits: 2) == nil)
        #expect(CurrencyAmount(decimal: "1.", fractionDigits: 2) == nil)
        #expect(CurrencyAmount(decimal: ".5", fractionDigits: 2) == nil)
        #expect(CurrencyAmount(decimal: "-1", fractionDigits: 2) == nil)
        #expect(CurrencyAmount(decimal: "1e3", fractionDigits: 2) == nil)
        #expect(CurrencyAmount(decimal: "999999999999999.99", fractionDigits: 2)?.description == "999999999999999.99")
        #expect(CurrencyAmount(minorUnits: 5, fractionDigits: 2).description == "0.05")
        #expect(CurrencyAmount(minorUnits: 5, fractionDigits: 0).description == "5")
        #expect(CurrencyAmount(minorUnits: 1234, fractionDigits: 3).description == "1.234")
        #expect(CurrencyAmount.fractionDigits(currency: "JPY") == 0)
        #expect(CurrencyAmount.fractionDigits(currency: "USD") == 2)
        #expect(CurrencyAmount.fractionDigits(currency: "KWD") == 3)
    }
}

@Suite("Schedule command-line options")
struct ScheduleOptionsTests {
    @Test func optionsAndFlagsBecomeParameters() throws {
        let parameters = try PaymentSchedule.Parameters(
            options: ["total": ["12000"], "first": ["2027-01-01"], "every": ["90"], "count": ["4"], "remainder": ["first"],
                      "holiday": ["2027-04-01", "2027-06-30"], "currency": ["EUR"]],
            flags: ["business-days", "resale"])
        #expect(parameters.dayRule == .business && parameters.termType == .resaleAuthorization)
        #expect(parameters.holidays == [CalendarDay("2027-04-01")!, CalendarDay("2027-06-30")!])
        let schedule = try PaymentSchedule.generate(parameters)
        #expect(schedule.payments.map(\.chargeDate.description) == ["2027-01-01", "2027-04-02", "2027-07-01", "2027-09-28"])
        #expect(schedule.summary == "4 payments from 2027-01-01 to 2027-09-28, total 12000.00 EUR")

        let spec = try PaymentSchedule.Parameters(options: ["spec": ["total=10;first=2027-01-01;every=15;count=1"]], flags: [])
        #expect(try PaymentSchedule.generate(spec).summary == "1 payment on 2027-01-01, total 10.00 USD")
        let mixed = #expect(throws: BulkRunnerError.self) {
            try PaymentSchedule.Parameters(options: ["spec": ["total=10"], "total": ["5"]], flags: ["business-days"])
        }
        #expect(mixed?.reason.contains("--total, --business-days") == true)
    }

    /// The fields `fields` raise an error; `corrected` mends them into parameters that make a schedule.
    func corrected(_ fields: [(key: String, value: String)]) throws -> PaymentSchedule.Parameters? {
        do {
            _ = try PaymentSchedule.generate(try PaymentSchedule.Parameters(fields: fields))
            Issue.record("\(fields) made a schedule")
            return nil
        } catch {
            let mended = PaymentSchedule.Parameters.corrected(fields, after: error)
            if let mended { _ = try PaymentSchedule.generate(mended) }
            return mended
        }
    }

    @Test func aFaultyScheduleIsMendedWithTheUsersOwnValues() throws {
        let base: [(key: String, value: String)] = [("total", "100"), ("first", "2029-01-01"), ("every", "30"), ("count", "2")]
        func with(_ key: String, _ value: String?) -> [(key: String, value: String)] {
            var fields = base.filter { $0.key != key }
            if let value { fields.append((key, value)) }
            return fields
        }
        #expect(try corrected(with("every", "45"))?.spec == "total=100;first=2029-01-01;count=2;every=30")
        #expect(try corrected(with("every", "100"))?.frequency == .every90Days, "the nearest allowed frequency")
        #expect(try corrected(with("count", nil))?.spec == "total=100;first=2029-01-01;count=4;every=30")
        #expect(try corrected(base + [("end", "2029-05-01")])?.extent == .count(2), "end or count: the end is dropped")
        #expect(try corrected(with("count", "99"))?.extent == .count(60))
        #expect(try corrected(with("total", "1.005"))?.total == "1.01")
        #expect(try corrected(with("total", "$12,000"))?.total == "12000")
        #expect(try corrected(with("total", "0.01"))?.extent == .count(1), "fewer payments of at least one cent")
        #expect(try corrected(with("first", "12/31/2029"))?.firstChargeDate.description == "2029-12-31", "the date the message suggests")
        #expect(try corrected(with("total", nil))?.total == "12000", "a missing key gets an example")
        #expect(try corrected([("total", "100")])?.spec == "total=100;first=2027-01-01;count=4;every=30", "every missing key at once")
        #expect(try corrected(with("remainder", "middle"))?.remainder == .last)
        #expect(try corrected(with("count", nil) + [("end", "2028-01-01")])?.extent == .endDate(CalendarDay("2029-12-31")!))
        #expect(try corrected([("total", "100"), ("first", "2029-01-01"), ("every", "15"), ("end", "2035-01-01")])?.frequency == .every90Days)
        #expect(try corrected([("totl", "100"), ("first", "2029-01-01"), ("every", "30"), ("count", "2")])?.total == "100", "a misspelt key renamed")
        #expect(try corrected(with("total", "100.5") + [("currency", "JPY")])?.total == "101")
    }
}

@Suite("Schedules in templates")
struct ScheduleTemplateTests {
    @Test func theTermTypeFollowsTheEntity() throws {
        let row = ["TOTAL": "900", "FIRST": "2027-01-01"]
        let spec = "payment-schedule(total=TOTAL;first=FIRST;every=30;count=3)"
        let resale = try PaymentSchedule.generate(spec: spec, entityType: "ResaleAuthorization@1.0") { row[$0] }
        #expect(resale.term["Type"]?.stringValue == "ResalePaymentScheduleTerm")
        let offer = try PaymentSchedule.generate(spec: spec + "", entityType: "Offer@1.0") { row[$0] }
        #expect(offer.term["Type"]?.stringValue == "PaymentScheduleTerm")
        #expect(offer.payments.map(\.chargeAmount.description) == ["300.00", "300.00", "300.00"])
    }
}
