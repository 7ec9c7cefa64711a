import CatalogModels
import Foundation
import Testing

@testable import BulkRunner

/// 26 account ids, one more than buyer targeting holds.
let twentySixBuyers: String = (0..<26).map { String(100_000_000_000 + $0) }.joined(separator: ";")

/// Row checks inferred from where a value lands, with the spreadsheet-damage hints.
@Suite struct RowValidationTests {
    /// One row's problems for `value` in column `column` landing in `details` (with `{{V}}`).
    func problems(_ value: String, details: String, changeType: String = "UpdateInformation",
                  entityType: String = "Offer@1.0", identifier: String? = "offer-abc123", column: String = "V") throws -> [String] {
        let workspace = try Workspace()
        let t = try singleChange(changeType, entityType: entityType, identifier: identifier,
                                 details: details.replacingOccurrences(of: "{{V}}", with: "{{\(column)}}"))
        let planned = try plan(t, header: [column], rows: [[value]], in: workspace)
        return planned.summary.sampleProblems.first?.problems.map(\.message) ?? []
    }

    @Test func theLostLeadingZeroMessage() throws {
        let messages = try problems("12345678901", details: #"{"ResellerAccountId": "{{V}}"}"#,
                                    changeType: "CreateResaleAuthorization", entityType: "ResaleAuthorization@1.0",
                                    identifier: nil, column: "Reseller Account Id")
        #expect(messages == ["ResellerAccountId: account id \"12345678901\" has 11 digits, not 12 — Excel dropped the leading zero(s); format the column as Text and enter 012345678901"])
    }

    @Test(arguments: [
        // (value, DetailsDocument, change type, entity type, identifier, fragments expected in the message)
        ("1.23457E+11", #"{"ResellerAccountId": "{{V}}"}"#, "CreateResaleAuthorization", "ResaleAuthorization@1.0", nil,
         ["scientific notation", "Excel turned it into a number", "re-enter the full value"]),
        ("1234-5678-9012", #"{"ResellerAccountId": "{{V}}"}"#, "CreateResaleAuthorization", "ResaleAuthorization@1.0", nil,
         ["contains separators", "did you mean \"123456789012\"?"]),
        ("111111111111;22222222222", #"{"PositiveTargeting": {"BuyerAccounts": "{{V}}"}}"#, "UpdateTargeting", "Offer@1.0", "offer-abc123",
         ["V → BuyerAccounts item 2", "has 11 digits", "enter 022222222222"]),
        ("111111111111;111111111111", #"{"PositiveTargeting": {"BuyerAccounts": "{{V}}"}}"#, "UpdateTargeting", "Offer@1.0", "offer-abc123",
         ["111111111111 is listed twice"]),
        (twentySixBuyers, #"{"PositiveTargeting": {"BuyerAccounts": "{{V}}"}}"#,
         "UpdateTargeting", "Offer@1.0", "offer-abc123", ["26 buyer accounts", "at most 25"]),
        ("offer-abc123", #"{"ProductId": "{{V}}"}"#, "CreateOffer", "Offer@1.0", nil, ["is a offer id, not a product id"]),
        ("prod-abc 123", #"{"ProductId": "{{V}}"}"#, "CreateOffer", "Offer@1.0", nil, ["contains spaces", "\"prod-abc123\""]),
        ("RESALEAUTHZ-abc123", #"{"ResaleAuthorizationId": "{{V}}"}"#, "CreateOfferUsingResaleAuthorization", "Offer@1.0", nil,
         ["upper-case prefix", "\"resaleauthz-abc123\""]),
        ("2025-06-30", #"{"AvailabilityEndDate": "{{V}}"}"#, "UpdateAvailability", "Offer@1.0", "offer-abc123",
         ["date 2025-06-30 is not in the future (today is 2026-01-01 UTC)"]),
        ("2026-01-01", #"{"AvailabilityEndDate": "{{V}}"}"#, "UpdateAvailability", "Offer@1.0", "offer-abc123", ["not in the future"]),
        ("46387", #"{"AvailabilityEndDate": "{{V}}"}"#, "UpdateAvailability", "Offer@1.0", "offer-abc123",
         ["spreadsheet date serial", "format the column as Text and enter 2026-12-31"]),
        ("12/31/2026", #"{"AvailabilityEndDate": "{{V}}"}"#, "UpdateAvailability", "Offer@1.0", "offer-abc123",
         ["not written YYYY-MM-DD", "\"2026-12-31\""]),
        ("2026-02-30", #"{"Terms": [{"Type": "PaymentScheduleTerm", "Schedule": [{"ChargeDate": "{{V}}", "ChargeAmount": "0"}]}]}"#,
         "UpdatePaymentScheduleTerms", "Offer@1.0", "offer-abc123", ["is not a real date", "February 2026 has 28 days"]),
        ("365", #"{"Terms": [{"Type": "ValidityTerm", "AgreementDuration": "{{V}}"}]}"#, "UpdateValidityTerms", "Offer@1.0", "offer-abc123",
         ["number without a unit", "P365D for 365 days"]),
        ("p12m", #"{"Selector": {"Type": "Duration", "Value": "{{V}}"}}"#, "UpdatePricingTerms", "Offer@1.0", "offer-abc123",
         ["lower case", "\"P12M\""]),
        ("usd", #"{"CurrencyCode": "{{V}}"}"#, "UpdatePricingTerms", "Offer@1.0", "offer-abc123", ["not in upper case", "\"USD\""]),
        ("XYZ", #"{"CurrencyCode": "{{V}}"}"#, "UpdatePricingTerms", "Offer@1.0", "offer-abc123", ["not accepted here", "AUD, EUR, GBP, JPY, USD"]),
        ("$1,000.50", #"{"RateCard": [{"DimensionKey": "Users", "Price": "{{V}}"}]}"#, "UpdatePricingTerms", "Offer@1.0", "offer-abc123",
         ["symbols or separators", "\"1000.50\""]),
        ("-5", #"{"Terms": [{"Schedule": [{"ChargeAmount": "{{V}}"}]}]}"#, "UpdatePaymentScheduleTerms", "Offer@1.0", "offer-abc123",
         ["is negative"]),
        ("Acme <EU> | \"Gold\"", #"{"Name": "{{V}}"}"#, "UpdateInformation", "ResaleAuthorization@1.0", "resaleauthz-abc123",
         ["characters the service rejects: < > | \"", "did you mean \"Acme EU Gold\"?"]),
        (String(repeating: "n", count: 101), #"{"Name": "{{V}}"}"#, "CreateResaleAuthorization", "ResaleAuthorization@1.0", nil,
         ["name is 101 characters long", "at most 100"]),
        ("www.example.com/eula.pdf", #"{"Terms": [{"Documents": [{"Type": "CustomEula", "Url": "{{V}}"}]}]}"#, "UpdateLegalTerms", "Offer@1.0",
         "offer-abc123", ["not a web address", "\"https://www.example.com/eula.pdf\""]),
        ("resaleauthz-abc123", #"{}"#, "UpdateAvailability", "Offer@1.0", "{{V}}", ["is a resale authorization id, not a offer id"]),
        ("$Create.Entity.Identifier", #"{}"#, "ReleaseOffer", "Offer@1.0", "{{V}}", ["looks like a reference", "enter the entity id itself"]),
        ("Offer", #"{}"#, "AddDimensions", "{{V}}", "prod-abc123", ["is not an entity type", "SaaSProduct@1.0"]),
    ])
    func valuesAreCheckedByWhereTheyLand(value: String, details: String, changeType: String, entityType: String,
                                         identifier: String?, fragments: [String]) throws {
        let messages = try problems(value, details: details, changeType: changeType, entityType: entityType, identifier: identifier)
        #expect(messages.count == 1, "\(messages)")
        for fragment in fragments {
            #expect(messages.first?.contains(fragment) == true, "\(fragment) in \(messages)")
        }
    }

    @Test(arguments: [
        ("012345678901", #"{"ResellerAccountId": "{{V}}"}"#, "CreateResaleAuthorization", "ResaleAuthorization@1.0", String?.none),
        ("prod-abc123", #"{"ProductId": "{{V}}"}"#, "CreateOffer", "Offer@1.0", nil),
        ("offer-abc123@4", #"{}"#, "UpdateAvailability", "Offer@1.0", "{{V}}"),
        ("2026-01-02", #"{"AvailabilityEndDate": "{{V}}"}"#, "UpdateAvailability", "Offer@1.0", "offer-abc123"),
        ("P1Y6M", #"{"AgreementDuration": "{{V}}"}"#, "UpdateValidityTerms", "Offer@1.0", "offer-abc123"),
        ("0.125", #"{"Price": "{{V}}"}"#, "UpdatePricingTerms", "Offer@1.0", "offer-abc123"),
        ("Acme – Zürich & Co. (EU)", #"{"Name": "{{V}}"}"#, "CreateResaleAuthorization", "ResaleAuthorization@1.0", nil),
        ("  012345678901  ", #"{"ResellerAccountId": "{{V}}"}"#, "CreateResaleAuthorization", "ResaleAuthorization@1.0", nil),
    ])
    func goodValuesPass(value: String, details: String, changeType: String, entityType: String, identifier: String?) throws {
        #expect(try problems(value, details: details, changeType: changeType, entityType: entityType, identifier: identifier).isEmpty)
    }

    @Test func fastPathsAgreeWithTheFullChecks() {
        // The byte-level fast paths must accept only what the full checks accept unchanged.
        let context = CheckContext(today: testToday, allowedCurrencies: ValueChecks.marketplaceCurrencyCodes)
        let samples = ["012345678901", "12345678901", "0123456789012", "prod-abc", "prod-", "offer-abc@", "offer-abc@2",
                       "offerset-abc", "resaleauthz-x1", "Prod-abc", "2026-01-02", "2026-01-01", "2025-12-31", "0000-01-01",
                       "2028-02-29", "2027-02-29", "P12M", "P", "PM", "P1Y6M", "P0D", "USD", "EUR", "XYZ", "usd", "10", "10.", ".5",
                       "1.2345", "1.234", "Acme", "A\"B", "", "https://x.example/e", "http://", "Offer@1.0", "Offer@", "@1.0"]
        let checks: [FieldCheck] = [.accountId, .entityId(nil), .entityId(.offer), .futureDate, .date, .duration, .currencyCode,
                                    .price, .resaleAuthorizationName, .url, .entityType]
        for check in checks {
            for sample in samples where check.isFastValid(sample, context: context) {
                #expect(check.run(sample, context: context) == .valid(normalized: sample), "\(check) \(sample)")
            }
        }
    }

    @Test func everyProblemOfARowIsReported() throws {
        let workspace = try Workspace()
        let planned = try plan(try Template.load("grant"),
                               header: ["RESELLER_ACCOUNT_ID", "PRODUCT_ID", "NAME", "DIMENSION_KEY", "PRICE", "EXPIRY_DATE"],
                               rows: [["1234567890", "prod-abc123", "Acme", "Users", "ten", "2020-01-01"]], in: workspace)
        let results = try planned.results(workspace)
        #expect(results[0].outcome == .invalid)
        #expect(results[0].errorCode == "INVALID_VALUE")
        let message = try #require(results[0].errorMessage)
        // A column named like its field is named once; others show both.
        #expect(message.hasPrefix("ResellerAccountId: account id \"1234567890\" has 10 digits"))
        #expect(message.contains(" | Price: \"ten\" is not a price"))
        #expect(message.contains(" | EXPIRY_DATE → AvailabilityEndDate: date 2020-01-01 is not in the future"))
        #expect(planned.summary.sampleProblems[0].description.contains(".csv:2: ResellerAccountId: account id"))
    }

    @Test func anInvalidConstantStopsBeforeAnyRow() throws {
        let workspace = try Workspace()
        let error = #expect(throws: BulkRunnerError.self) {
            try plan(try Template.load("grant"), header: ["RESELLER_ACCOUNT_ID", "PRODUCT_ID", "NAME"],
                     rows: [["012345678901", "prod-abc123", "Acme"]],
                     constants: ["DIMENSION_KEY": "Users", "PRICE": "10", "CURRENCY": "usd"], in: workspace)
        }
        #expect(error?.code == .invalidConstant)
        #expect(error?.field == "--set CURRENCY")
        #expect(error?.file == "builtin:grant")
        #expect(error?.reason.contains("did you mean \"USD\"?") == true)
    }

    // MARK: - Duplicates, strictness, limits

    @Test func aRepeatedRowIsADuplicateOfTheFirst() throws {
        let workspace = try Workspace()
        let t = try Template.load("restrict")
        let rows = [["resaleauthz-aaa"], ["resaleauthz-bbb"], [" resaleauthz-aaa "]]
        let planned = try plan(t, header: ["Resale Authorization Id"], rows: rows, in: workspace)
        #expect(planned.summary.duplicateRows == 1)
        #expect(planned.summary.invalidRows == 1)
        #expect(planned.summary.exitStatus == 1)
        let results = try planned.results(workspace)
        #expect(results.map(\.outcome) == [.planned, .planned, .invalid])
        #expect(results[2].errorCode == "DUPLICATE_ROW")
        #expect(results[2].errorMessage?.hasPrefix("duplicate of line 2:") == true)
        // Allowed on request: then the two rows go one after the other (same entity).
        let allowed = try plan(t, header: ["Resale Authorization Id"], rows: rows, options: testOptions(allowDuplicates: true), in: workspace)
        #expect(allowed.summary.invalidRows == 0)
        #expect(allowed.sets.count == 2)
        #expect(allowed.sets[1].dependencies == [1])
        #expect(allowed.sets[1].wave == 1)
    }

    @Test func strictModePlansNothingWhenARowIsInvalid() throws {
        let workspace = try Workspace()
        let planned = try plan(try Template.load("restrict"), header: ["RESALE_AUTHORIZATION_ID"],
                               rows: [["resaleauthz-aaa"], ["offer-bbb"]], options: testOptions(strict: true), in: workspace)
        #expect(planned.sets.isEmpty)
        #expect(planned.summary.stoppedByStrict)
        #expect(planned.summary.heldRows == 1)
        #expect(planned.summary.exitStatus == 1)
        let results = try planned.results(workspace)
        #expect(results.map(\.outcome) == [.notSent, .invalid], "held back, never sent: NOT_SENT, not PENDING")
        #expect(results[0].errorMessage?.contains("--strict") == true)
        #expect(planned.summary.text.contains("nothing planned"))
    }

    @Test func aRowOfMoreThanTwentyChangesIsInvalid() throws {
        let workspace = try Workspace()
        let changes = (1...21).map { i in
            #"{"ChangeType": "UpdateInformation", "Entity": {"Type": "Offer@1.0", "Identifier": "{{OFFER\#(i)"# + (i == 21 ? "?" : "") + #"}}"}, "DetailsDocument": {}}"#
        }
        let t = try template(#"{"ChangeSet": ["# + changes.joined(separator: ",\n") + "]}")
        let header = (1...21).map { "OFFER\($0)" }
        let planned = try plan(t, header: header, rows: [header.indices.map { "offer-a\($0)x" }, header.indices.map { $0 == 20 ? "" : "offer-b\($0)x" }],
                               in: workspace)
        #expect(planned.summary.invalidRows == 1)
        #expect(planned.summary.sampleProblems[0].problems[0].code == .tooManyChanges)
        #expect(planned.summary.sampleProblems[0].problems[0].message.contains("makes 21 changes; a change set holds at most 20"))
        #expect(planned.sets.count == 1)
        #expect(planned.sets[0].request.changeSet.count == 20)
    }

    @Test func twoColumnsHoldingTheSameIdForOneChangeTypeConflict() throws {
        let workspace = try Workspace()
        let t = try template("""
        {"ChangeSet": [
          {"ChangeType": "UpdateAvailability", "Entity": {"Type": "Offer@1.0", "Identifier": "{{A}}"}, "DetailsDocument": {"AvailabilityEndDate": "2026-12-31"}},
          {"ChangeType": "UpdateAvailability", "Entity": {"Type": "Offer@1.0", "Identifier": "{{B}}"}, "DetailsDocument": {"AvailabilityEndDate": "2026-12-31"}}
        ]}
        """)
        let planned = try plan(t, header: ["A", "B"], rows: [["offer-x1", "offer-x1@2"], ["offer-x1", "offer-y2"]], in: workspace)
        #expect(planned.summary.invalidRows == 1)
        #expect(planned.summary.sampleProblems[0].problems[0].code == .conflictingChanges)
    }
}
