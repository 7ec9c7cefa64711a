import CatalogModels
import Foundation
import Testing

@Suite("Value checks")
struct ValueChecksTests {
    func expectProblem(_ result: ValueCheckResult, _ kind: ValueProblem.Kind, hint: String? = nil, suggestion: String?? = .none,
                       sourceLocation: SourceLocation = #_sourceLocation) {
        guard let problem = result.problem else {
            Issue.record("expected \(kind), got \(result)", sourceLocation: sourceLocation)
            return
        }
        #expect(problem.kind == kind, "\(problem)", sourceLocation: sourceLocation)
        #expect(!problem.message.isEmpty, sourceLocation: sourceLocation)
        #expect(!problem.hint.isEmpty, sourceLocation: sourceLocation)
        if let hint { #expect(problem.hint.contains(hint), "\(problem.hint)", sourceLocation: sourceLocation) }
        if case .some(let expected) = suggestion { #expect(problem.suggestion == expected, "\(problem)", sourceLocation: sourceLocation) }
    }

    // MARK: Account ids

    @Test("12-digit account ids pass, trimmed")
    func accountIdValid() {
        #expect(ValueChecks.accountId("123456789012") == .valid(normalized: "123456789012"))
        #expect(ValueChecks.accountId(" 012345678901\t").normalized == "012345678901")
    }

    @Test("lost leading zeros are recognised and padded")
    func accountIdLeadingZeros() {
        expectProblem(ValueChecks.accountId("12345678901"), .lostLeadingZeros,
                      hint: "lost leading zero(s): pad to 12 digits, format the column as text", suggestion: "012345678901")
        expectProblem(ValueChecks.accountId("1234"), .lostLeadingZeros, suggestion: "000000001234")
        #expect(ValueChecks.accountId("12345678901").problem?.message.contains("11 digits") == true)
    }

    @Test("scientific notation is recognised", arguments: ["1.23457E+11", "1.23457e11", "1.23457E11", "1,23457E+11"])
    func accountIdScientific(_ raw: String) {
        if raw.contains(",") {
            // A comma-decimal locale's rendering is not numeric to us: still not an account id.
            #expect(!ValueChecks.accountId(raw).isValid)
            return
        }
        expectProblem(ValueChecks.accountId(raw), .scientificNotation,
                      hint: "scientific notation: Excel turned it into a number; format the column as Text", suggestion: nil)
        #expect(ValueChecks.accountId(raw).problem?.message.contains("lost digits") == true)
    }

    @Test("exact scientific notation suggests the digits")
    func accountIdScientificExact() {
        expectProblem(ValueChecks.accountId("1.23456789012E+11"), .scientificNotation, suggestion: "123456789012")
        expectProblem(ValueChecks.accountId("1.2345678901E+10"), .scientificNotation, suggestion: "012345678901")
    }

    @Test("separators suggest the normalised form", arguments: [
        ("1234-5678-9012", "123456789012"), ("1234 5678 9012", "123456789012"), ("1234\u{00A0}5678\u{00A0}9012", "123456789012"),
    ])
    func accountIdSeparators(_ raw: String, _ fixed: String) {
        expectProblem(ValueChecks.accountId(raw), .separators, suggestion: fixed)
    }

    @Test("other account id damage")
    func accountIdOther() {
        expectProblem(ValueChecks.accountId(""), .empty)
        expectProblem(ValueChecks.accountId("1234567890123"), .tooManyDigits)
        expectProblem(ValueChecks.accountId("12345678901a"), .invalidCharacters)
        expectProblem(ValueChecks.accountId("123456789012.0"), .invalidFormat, suggestion: "123456789012")
        #expect(ValueChecks.accountId("'012345678901") == .valid(normalized: "012345678901"), "a spreadsheet's text marker, as export writes it")
        expectProblem(ValueChecks.accountId("123-456"), .separators, suggestion: nil)
    }

    // MARK: Entity ids

    @Test("entity ids of each kind, with revisions and references")
    func entityIds() {
        #expect(ValueChecks.entityId("prod-1111111111111").isValid)
        #expect(ValueChecks.entityId("offer-abcdefghij123", kind: .offer).isValid)
        #expect(ValueChecks.entityId("resaleauthz-1111111111111", kind: .resaleAuthorization).isValid)
        #expect(ValueChecks.entityId("offerset-abc123", kind: .offerSet).isValid)
        #expect(ValueChecks.entityId("offer-abc123@2").isValid)
        expectProblem(ValueChecks.entityId("offer-abc123@2", allowRevision: false), .invalidFormat, suggestion: "offer-abc123")
        expectProblem(ValueChecks.entityId("offer-abc123@"), .invalidFormat)
        #expect(ValueChecks.entityId("$CreateRA.Entity.Identifier", allowReference: true).isValid)
        expectProblem(ValueChecks.entityId("$CreateRA.Entity.Identifier"), .invalidFormat)
        expectProblem(ValueChecks.entityId("$Create_RA.Entity.Identifier", allowReference: true), .invalidFormat)
    }

    @Test("entity id damage")
    func entityIdDamage() {
        expectProblem(ValueChecks.entityId(""), .empty)
        expectProblem(ValueChecks.entityId("offer-abc", kind: .resaleAuthorization), .invalidFormat, hint: "resaleauthz-")
        expectProblem(ValueChecks.entityId("1111111111111"), .invalidFormat)
        expectProblem(ValueChecks.entityId("PROD-abc123"), .wrongCase, suggestion: "prod-abc123")
        expectProblem(ValueChecks.entityId("prod-abc 123"), .separators, suggestion: "prod-abc123")
        expectProblem(ValueChecks.entityId("prod-abc_123"), .invalidCharacters)
        expectProblem(ValueChecks.entityId("prod-"), .invalidCharacters)
        expectProblem(ValueChecks.entityId("prod-" + String(repeating: "a", count: 251)), .tooLong)
    }

    // MARK: Dates

    @Test("calendar dates", arguments: [
        ("2025-12-31", true), ("2028-02-29", true), ("2000-02-29", true), ("2025-02-29", false), ("1900-02-29", false),
        ("2025-04-31", false), ("2025-13-01", false), ("2025-00-10", false), ("2025-01-00", false),
    ])
    func calendarDates(_ text: String, _ valid: Bool) {
        let result = ValueChecks.date(text)
        #expect(result.isValid == valid)
        if !valid { #expect(result.problem?.kind == .notACalendarDate) }
    }

    @Test("spreadsheet date damage")
    func dateDamage() {
        expectProblem(ValueChecks.date("45657"), .spreadsheetDateSerial, hint: "format the column as Text", suggestion: "2024-12-31")
        expectProblem(ValueChecks.date("1"), .spreadsheetDateSerial, suggestion: "1900-01-01")
        expectProblem(ValueChecks.date("61"), .spreadsheetDateSerial, suggestion: "1900-03-01")
        expectProblem(ValueChecks.date("12/31/2025"), .wrongDateFormat, suggestion: "2025-12-31")
        expectProblem(ValueChecks.date("31/12/2025"), .wrongDateFormat, suggestion: "2025-12-31")
        expectProblem(ValueChecks.date("31.12.2025"), .wrongDateFormat, suggestion: "2025-12-31")
        expectProblem(ValueChecks.date("05/06/2025"), .wrongDateFormat, hint: "ambiguous", suggestion: nil)
        expectProblem(ValueChecks.date("2025/12/31"), .wrongDateFormat, suggestion: "2025-12-31")
        expectProblem(ValueChecks.date("2025-1-5"), .wrongDateFormat, suggestion: "2025-01-05")
        expectProblem(ValueChecks.date("2025-12-31T00:00:00Z"), .invalidFormat, suggestion: "2025-12-31")
        expectProblem(ValueChecks.date("2025-12-31 00:00:00"), .invalidFormat, suggestion: "2025-12-31")
        expectProblem(ValueChecks.date("next tuesday"), .invalidFormat)
        expectProblem(ValueChecks.date(" "), .empty)
    }

    @Test("future dates against an injected now")
    func futureDates() throws {
        // 2026-11-23T14:00:00Z
        let now = Date(timeIntervalSince1970: 1_795_442_400)
        #expect(ValueChecks.futureDate("2026-11-24", relativeTo: now).isValid)
        #expect(ValueChecks.futureDate("2099-12-31", relativeTo: now).isValid)
        expectProblem(ValueChecks.futureDate("2026-11-23", relativeTo: now), .notInFuture, hint: "after 2026-11-23")
        expectProblem(ValueChecks.futureDate("2020-01-01", relativeTo: now), .notInFuture)
        expectProblem(ValueChecks.futureDate("2026-02-30", relativeTo: now), .notACalendarDate)
        // Just before midnight UTC, "tomorrow" is the next UTC day.
        let lateEvening = Date(timeIntervalSince1970: 1_795_478_399)  // 2026-11-23T23:59:59Z
        #expect(ValueChecks.futureDate("2026-11-24", relativeTo: lateEvening).isValid)
        #expect(!ValueChecks.futureDate("2026-11-23", relativeTo: lateEvening).isValid)
        // Far past and leap years in the UTC conversion.
        #expect(ValueChecks.futureDate("2000-03-01", relativeTo: Date(timeIntervalSince1970: 951_782_400)).isValid)  // now = 2000-02-29
        #expect(!ValueChecks.futureDate("2000-02-29", relativeTo: Date(timeIntervalSince1970: 951_782_400)).isValid)
    }

    @Test("date-times", arguments: [
        ("2099-12-31T23:59:59Z", true), ("2099-12-31T23:59:59.999Z", true), ("2018-09-20T19:45:03.1Z", true),
        ("2099-12-31T24:00:00Z", false), ("2099-02-30T00:00:00Z", false), ("2099-12-31T23:59:59.Z", false),
        ("2099-12-31T23:60:00Z", false),
    ])
    func dateTimes(_ text: String, _ valid: Bool) {
        #expect(ValueChecks.dateTime(text).isValid == valid, "\(ValueChecks.dateTime(text))")
    }

    @Test("date-time fixes")
    func dateTimeFixes() {
        expectProblem(ValueChecks.dateTime("2099-12-31 23:59:59Z"), .invalidFormat, suggestion: "2099-12-31T23:59:59Z")
        expectProblem(ValueChecks.dateTime("2099-12-31T23:59:59+00:00"), .invalidFormat, suggestion: "2099-12-31T23:59:59Z")
        expectProblem(ValueChecks.dateTime("2099-12-31T23:59:59"), .invalidFormat, suggestion: "2099-12-31T23:59:59Z")
        expectProblem(ValueChecks.dateTime("2099-12-31"), .invalidFormat, suggestion: "2099-12-31T00:00:00Z")
        expectProblem(ValueChecks.dateTime("2099-12-31T23:59:59+02:00"), .invalidFormat, suggestion: nil)
    }

    // MARK: Durations

    @Test("ISO 8601 durations", arguments: [
        ("P12M", true), ("P1Y", true), ("P30D", true), ("P1Y6M", true), ("PT1H", true), ("P1Y2M3DT4H5M6S", true),
        ("P2W", true), ("P36M", true), ("P0D", true), ("PT30M", true),
        ("P", false), ("PT", false), ("P1DT", false), ("P1M1Y", false), ("P1.5Y", false), ("P-1D", false),
        ("P1H", false), ("PT1D", false), ("P1Y1Y", false), ("", false), ("1 year", false),
    ])
    func durations(_ text: String, _ valid: Bool) {
        #expect(ValueChecks.duration(text).isValid == valid, "\(text): \(ValueChecks.duration(text))")
    }

    @Test("duration fixes")
    func durationFixes() {
        expectProblem(ValueChecks.duration("p12m"), .wrongCase, suggestion: "P12M")
        expectProblem(ValueChecks.duration("12M"), .invalidFormat, hint: "start with P", suggestion: "P12M")
        expectProblem(ValueChecks.duration("P1Y 6M"), .separators, suggestion: "P1Y6M")
        expectProblem(ValueChecks.duration("12 months"), .invalidFormat, hint: "P12M")
    }

    // MARK: Money

    @Test("currency codes")
    func currencies() {
        #expect(ValueChecks.currencyCode("USD") == .valid(normalized: "USD"))
        #expect(ValueChecks.currencyCode("CHF").isValid)
        expectProblem(ValueChecks.currencyCode("CHF", allowed: ValueChecks.marketplaceCurrencyCodes), .unknownCurrency, hint: "USD")
        #expect(ValueChecks.currencyCode("EUR", allowed: ValueChecks.marketplaceCurrencyCodes).isValid)
        expectProblem(ValueChecks.currencyCode("usd"), .wrongCase, suggestion: "USD")
        expectProblem(ValueChecks.currencyCode("$"), .invalidFormat, suggestion: "USD")
        expectProblem(ValueChecks.currencyCode("€"), .invalidFormat, suggestion: "EUR")
        expectProblem(ValueChecks.currencyCode("US"), .invalidFormat)
        expectProblem(ValueChecks.currencyCode("U5D"), .invalidFormat)
        expectProblem(ValueChecks.currencyCode(""), .empty)
    }

    @Test("prices keep their text", arguments: ["0", "0.0", "10", "1.50", "0.125", "1000000.00"])
    func pricesValid(_ text: String) {
        #expect(ValueChecks.price(text) == .valid(normalized: text))
    }

    @Test("price damage")
    func priceDamage() {
        expectProblem(ValueChecks.price("0.1234"), .tooPrecise, hint: "3 decimal places")
        expectProblem(ValueChecks.price("1.234", maxFractionDigits: 2), .tooPrecise)
        expectProblem(ValueChecks.price("-5"), .negative)
        expectProblem(ValueChecks.price("1E+3"), .scientificNotation)
        expectProblem(ValueChecks.price("$10"), .formattedNumber, suggestion: "10")
        expectProblem(ValueChecks.price("1,000.00"), .formattedNumber, suggestion: "1000.00")
        expectProblem(ValueChecks.price("$1,000.50"), .formattedNumber, suggestion: "1000.50")
        expectProblem(ValueChecks.price("10,5"), .formattedNumber, suggestion: "10.5")
        expectProblem(ValueChecks.price("1,000"), .invalidFormat)  // thousands or decimal comma: ambiguous
        expectProblem(ValueChecks.price(".5"), .formattedNumber, suggestion: "0.5")
        expectProblem(ValueChecks.price("10 USD"), .formattedNumber, suggestion: "10")
        expectProblem(ValueChecks.price("free"), .invalidFormat)
        expectProblem(ValueChecks.price(""), .empty)
    }

    // MARK: Names and tokens

    @Test("change names")
    func changeNames() {
        #expect(ValueChecks.changeName("CreateRA1").isValid)
        #expect(ValueChecks.changeName(String(repeating: "a", count: 72)).isValid)
        expectProblem(ValueChecks.changeName(String(repeating: "a", count: 73)), .tooLong)
        expectProblem(ValueChecks.changeName("create-ra_1"), .invalidCharacters, suggestion: "createra1")
        expectProblem(ValueChecks.changeName(""), .empty)
    }

    @Test("client request tokens, strict and lenient")
    func tokens() {
        #expect(ValueChecks.clientRequestToken("br-0123456789abcdef_X").isValid)
        #expect(ValueChecks.clientRequestToken(String(repeating: "a", count: 36)).isValid)
        expectProblem(ValueChecks.clientRequestToken(String(repeating: "a", count: 37)), .tooLong)
        #expect(ValueChecks.clientRequestToken(String(repeating: "a", count: 37), strict: false).isValid)
        expectProblem(ValueChecks.clientRequestToken(String(repeating: "a", count: 65), strict: false), .tooLong)
        expectProblem(ValueChecks.clientRequestToken("a.b"), .invalidCharacters)
        #expect(ValueChecks.clientRequestToken("a.b!~", strict: false).isValid)
        expectProblem(ValueChecks.clientRequestToken("a b", strict: false), .invalidCharacters)
        expectProblem(ValueChecks.clientRequestToken("é", strict: false), .invalidCharacters)
        expectProblem(ValueChecks.clientRequestToken(""), .empty)
    }

    @Test("change set names")
    func changeSetNames() {
        #expect(ValueChecks.changeSetName("bulkrunner run-1 rows 1-20 @2026:11=ok+").isValid)
        expectProblem(ValueChecks.changeSetName("rows/1"), .invalidCharacters)
        expectProblem(ValueChecks.changeSetName(String(repeating: "a", count: 101)), .tooLong)
    }

    @Test("problems describe themselves with hint and suggestion")
    func problemDescription() throws {
        let problem = try #require(ValueChecks.accountId("1234-5678-9012").problem)
        #expect(problem.description == #"account id "1234-5678-9012" contains separators (write the 12 digits without spaces or dashes); did you mean "123456789012"?"#)
    }
}
