import BulkRunner
import CSVKit
import CatalogModels
import Foundation
import TestSupport
import Testing

@Suite("Export format")
struct ExportFormatTests {
    @Test func columnsAreDocumentedAndDistinctFromResultColumns() {
        for kind in ExportKind.allCases {
            let names = ExportFormat.header(kind)
            #expect(Set(names.map(ColumnName.normalize)).count == names.count, "\(kind): no two columns alike")
            #expect(names.first == kind.idColumn.name)
            #expect(names.suffix(6) == ["Action", "NewAvailabilityEndDate", "NewPrice", "NewName", "NewBuyerAccounts", "NewPaymentSchedule"])
            // An export fed to a run keeps every column: none is mistaken for a results column.
            #expect(names.allSatisfy { !RowResult.isResultColumn($0) }, "\(kind)")
            #expect(ExportFormat.columnsDescription(kind).split(separator: "\n").count == names.count)
            #expect(ExportKind(headerNames: names) == kind)
        }
        #expect(ExportKind(headerNames: ["Name", "Status"]) == nil)
        #expect(ExportKind(headerNames: ["offer id", "resale_authorization_id"]) == .offers)
        #expect(ExportKind.offers.defaultFileName(on: CalendarDay("2030-01-31")!) == "offers-20300131.csv")
    }

    @Test func accountIdsAreProtectedAndUnprotected() {
        #expect(ExportFormat.protect("012345678901", in: .resellerAccountId) == "'012345678901")
        #expect(ExportFormat.protect("012345678901;123456789012", in: .buyerAccounts) == "'012345678901;123456789012")
        #expect(ExportFormat.protect("", in: .buyerAccounts) == "")
        #expect(ExportFormat.protect("'012345678901", in: .buyerAccounts) == "'012345678901")
        #expect(ExportFormat.protect("012345678901", in: .name) == "012345678901")
        #expect(ExportFormat.unprotect("'012345678901", in: .resellerAccountId) == "012345678901")
        #expect(ExportFormat.unprotect(" 012345678901 ", in: .resellerAccountId) == "012345678901")
        #expect(ExportFormat.unprotect("'=HYPERLINK(x)", in: .name) == "=HYPERLINK(x)")
        #expect(ExportFormat.unprotect("'-5 off", in: nil) == "-5 off")
        #expect(ExportFormat.unprotect("'Til Tuesday", in: .name) == "'Til Tuesday")
    }

    @Test func rowsSurviveTheCSVFormulaGuard() throws {
        let summary = EntitySummary(
            name: "=cmd|' /C calc'!A0", entityType: "ResaleAuthorization", entityId: "resaleauthz-abc",
            lastModifiedDate: "2030-01-01T00:00:00Z",
            resaleAuthorizationSummary: ResaleAuthorizationSummary(
                name: "=cmd|' /C calc'!A0", productId: "prod-1", resellerAccountID: "000000000042", status: "Active"))
        let entity = ExportedEntity(kind: .resaleAuthorizations, summary: summary)
        let writer = CSVWriter(options: CSVWriter.Options(recordEnd: .lf))
        try writer.write(ExportFormat.header(.resaleAuthorizations))
        try writer.write(ExportFormat.cells(for: entity))
        #expect(writer.string.contains("'=cmd|' /C calc'!A0"))
        let row = try #require(try ExportSheetReader(string: writer.string).next())
        #expect(row.value(.name) == "=cmd|' /C calc'!A0")
        #expect(row.value(.resellerAccountId) == "000000000042")
        #expect(row.entityId == "resaleauthz-abc")
        #expect(row.value(.pricing) == "", "not described: no pricing")
    }

    @Test func pricingSummariesOfThePublicSamples() throws {
        func terms(_ json: String) throws -> [JSONValue] { try JSONValue(parsing: json).arrayValue ?? [] }
        #expect(PricingSummary.pricing([]) == "—")
        #expect(PricingSummary.pricing(try terms(#"[{"Type":"LegalTerm","Documents":[]}]"#)) == "—")
        #expect(PricingSummary.pricing(try terms(#"""
            [{"Type":"ConfigurableUpfrontPricingTerm","CurrencyCode":"USD","RateCards":[{"Selector":{"Type":"Duration","Value":"P12M"},
              "RateCard":[{"DimensionKey":"BasicService","Price":"150"},{"DimensionKey":"PremiumService","Price":"300"}]}]}]
            """#)) == "Contract USD: P12M BasicService=150, PremiumService=300")
        #expect(PricingSummary.pricing(try terms(#"""
            [{"Type":"UsageBasedPricingTerm","CurrencyCode":"USD","RateCards":[{"RateCard":[{"DimensionKey":"m5.large","Price":"0.13"}]}]},
             {"Type":"ConfigurableUpfrontPricingTerm","CurrencyCode":"USD","RateCards":[{"Selector":{"Type":"Duration","Value":"P365D"},
              "RateCard":[{"DimensionKey":"m5.large","Price":"20.03"}]}]}]
            """#)) == "Usage USD: m5.large=0.13 | Contract USD: P365D m5.large=20.03")
        #expect(PricingSummary.pricing(try terms(#"""
            [{"Type":"ResaleFixedUpfrontPricingTerm","CurrencyCode":"USD","Price":"0.00","Duration":"P12M","Grants":[{"DimensionKey":"Users","MaxQuantity":10}]}]
            """#)) == "Upfront USD: P12M 0.00 (Users: 10)")
        #expect(PricingSummary.pricing(try terms(#"""
            [{"Type":"FreeTrialPricingTerm","Duration":"P21D","Grants":[{"DimensionKey":"WorkloadSmall"},{"DimensionKey":"WorkloadMedium"}]}]
            """#)) == "Free trial: P21D (WorkloadSmall, WorkloadMedium)")
        #expect(PricingSummary.pricing(try terms(#"[{"Type":"ResaleUsageBasedPricingTerm","CurrencyCode":"EUR","RateCards":[{"RateCard":[{"DimensionKey":"t2.micro","Price":150}]}]}]"#))
            == "Usage EUR: t2.micro=150")
        #expect(PricingSummary.pricing(try terms(#"[{"Type":"ByolPricingTerm"},{"Type":"RecurringPaymentTerm","CurrencyCode":"USD","BillingPeriod":"Monthly","Price":"99.00"}]"#))
            == "BYOL | Recurring USD: Monthly 99.00")
        #expect(PricingSummary.paymentSchedule(try terms(#"""
            [{"Type":"ResalePaymentScheduleTerm","CurrencyCode":"USD","Schedule":[{"ChargeDate":"2023-09-01","ChargeAmount":"200.00"},{"ChargeDate":"2023-12-01T00:00:00Z","ChargeAmount":"250.00"}]}]
            """#)) == "USD: 2023-09-01=200.00, 2023-12-01=250.00")
        #expect(PricingSummary.paymentSchedule([]) == "—")
    }

    @Test func everyReferenceSampleTermSummarises() throws {
        let folder = TestData.url("reference-changesets")
        let files = try FileManager.default.contentsOfDirectory(atPath: folder.path).filter { $0.hasSuffix(".json") }
        var pricingTerms = 0
        for file in files {
            let value = try JSONValue(parsing: Data(contentsOf: folder.appendingPathComponent(file)))
            for change in value["ChangeSet"]?.arrayValue ?? [] where change["ChangeType"]?.stringValue == "UpdatePricingTerms" {
                let terms = change["DetailsDocument"]?["Terms"]?.arrayValue ?? []
                let summary = PricingSummary.pricing(terms)
                #expect(summary != "—", "\(file)")
                #expect(!summary.contains("?"), "\(file): \(summary)")
                pricingTerms += terms.count
            }
        }
        #expect(pricingTerms > 10)
    }
}

@Suite("Export queries")
struct ExportQueryTests {
    @Test func filtersBecomeTheTypedRequest() throws {
        var query = ExportQuery(kind: .resaleAuthorizations)
        query.statuses = ["Active"]
        query.names = .contains("Acme")
        query.resellerAccountIds = ["012345678901"]
        query.availabilityEndDate = try .parse(after: "2030-01-01", before: "2030-06-30", field: "expires")
        try query.validate()
        let request = query.listRequest(maxResults: 50, nextToken: "t")
        #expect(request.entityType == "ResaleAuthorization")
        #expect(request.maxResults == 50 && request.nextToken == "t")
        let filters = try #require(request.entityTypeFilters?.resaleAuthorizationFilters)
        #expect(filters.status?.valueList == ["Active"])
        #expect(filters.name?.wildCardValue == "Acme")
        #expect(filters.resellerAccountID?.valueList == ["012345678901"])
        #expect(filters.availabilityEndDate?.dateRange == DateRange(afterValue: "2030-01-01T00:00:00Z", beforeValue: "2030-06-30T23:59:59Z"))
        #expect(request.entityTypeSort?.resaleAuthorizationSort == Sort(sortBy: "EntityId", sortOrder: .ascending))
        let body = try CatalogJSON.encodeValue(request).compactString
        #expect(body.contains(#""EntityTypeFilters":{"ResaleAuthorizationFilters":{"#))
        #expect(ExportQuery(kind: .offers).listRequest(maxResults: 10, nextToken: nil).entityTypeFilters == nil)

        var offers = ExportQuery(kind: .offers)
        offers.productIds = .anyOf(["prod-1"])
        offers.buyerAccount = "0123"
        offers.sort = try .parse("releasedate:desc", kind: .offers)
        let offerRequest = offers.listRequest(maxResults: 50, nextToken: nil)
        #expect(offerRequest.entityTypeFilters?.offerFilters?.productId?.valueList == ["prod-1"])
        #expect(offerRequest.entityTypeFilters?.offerFilters?.buyerAccounts?.wildCardValue == "0123")
        #expect(offerRequest.entityTypeSort?.offerSort == Sort(sortBy: "ReleaseDate", sortOrder: .descending))
    }

    @Test func textAndDateOptionsParse() throws {
        #expect(try ExportQuery.TextMatch.parse(["a", " b "], field: "name") == .anyOf(["a", "b"]))
        #expect(try ExportQuery.TextMatch.parse(["*Acme*"], field: "name") == .contains("Acme"))
        #expect(try ExportQuery.TextMatch.parse([], field: "name") == nil)
        #expect(throws: BulkRunnerError.self) { try ExportQuery.TextMatch.parse(["a", "b*"], field: "name") }
        #expect(throws: BulkRunnerError.self) { try ExportQuery.TextMatch.parse(["**"], field: "name") }
        let exact = try #require(try ExportQuery.DateBounds.parse(after: "2030-01-01T10:00:00Z", before: "2030-02-01T10:00:00.250Z", field: "modified"))
        #expect(exact == ExportQuery.DateBounds(after: "2030-01-01T10:00:00Z", before: "2030-02-01T10:00:00Z"))
        #expect(try ExportQuery.DateBounds.parse(after: nil, before: " ", field: "x") == nil)
        let reversed = #expect(throws: BulkRunnerError.self) { try ExportQuery.DateBounds.parse(after: "2030-02-01", before: "2030-01-01", field: "created") }
        #expect(reversed?.reason.contains("starts") == true)
        let serial = #expect(throws: BulkRunnerError.self) { try ExportQuery.DateBounds.parse(after: "47484", before: nil, field: "created") }
        #expect(serial?.field == "created-after")
        #expect(throws: BulkRunnerError.self) { try ExportQuery.Ordering.parse("Price", kind: .offers) }
        #expect(throws: BulkRunnerError.self) { try ExportQuery.Ordering.parse("Name:sideways", kind: .offers) }
    }

    @Test(arguments: [
        ("reseller on offers", "reseller-account-id"),
        ("too many values", "entity-id"),
        ("bad status", "status"),
        ("two partial filters", "filters"),
        ("short account id", "reseller-account-id"),
        ("offer product wildcard", "product-id"),
        ("nine filters", "filters"),
        ("bad targeting", "targeting"),
    ])
    func invalidQueriesNameTheFilter(label: String, field: String) {
        var query = ExportQuery(kind: .resaleAuthorizations)
        switch label {
        case "reseller on offers":
            query = ExportQuery(kind: .offers)
            query.resellerAccountIds = ["123456789012"]
        case "too many values": query.entityIds = (1...11).map { "resaleauthz-\($0)" }
        case "bad status": query.statuses = ["Released"]
        case "two partial filters":
            query.names = .contains("a")
            query.productNames = .contains("b")
        case "short account id": query.resellerAccountIds = ["12345678901"]
        case "offer product wildcard":
            query = ExportQuery(kind: .offers)
            query.productIds = .contains("prod")
        case "nine filters":
            query.entityIds = ["a"]
            query.names = .anyOf(["n"])
            query.productIds = .anyOf(["p"])
            query.productNames = .anyOf(["pn"])
            query.resellerAccountIds = ["123456789012"]
            query.resellerLegalNames = .anyOf(["r"])
            query.statuses = ["Active"]
            query.offerExtendedStatuses = ["OffersCreated"]
            query.createdDate = ExportQuery.DateBounds(after: "2030-01-01T00:00:00Z")
        default:
            query = ExportQuery(kind: .offers)
            query.targeting = ["Everyone"]
        }
        let error = #expect(throws: BulkRunnerError.self) { try query.validate() }
        #expect(error?.field == field, "\(label): \(String(describing: error))")
        #expect(error?.code == .invalidOption)
    }
}

@Suite("Export command-line options")
struct ExportOptionsTests {
    @Test func optionsBecomeAQuery() throws {
        let query = try ExportQuery(kind: .resaleAuthorizations, options: [
            "status": ["active", "Draft,restricted"], "reseller-account-id": ["012345678901, 123456789012"],
            "name": ["*EMEA*"], "expires-before": ["2030-12-31"], "sort": ["ResellerLegalName:desc"],
            "output": ["ignored.csv"], "state": ["Released"],
        ])
        #expect(query.statuses == ["Active", "Draft", "Restricted"])
        #expect(query.resellerAccountIds == ["012345678901", "123456789012"])
        #expect(query.names == .contains("EMEA"))
        #expect(query.availabilityEndDate == ExportQuery.DateBounds(before: "2030-12-31T23:59:59Z"))
        #expect(query.sort == ExportQuery.Ordering(field: "ResellerLegalName", descending: true))
        #expect(query.filterCount == 4)

        let offers = try ExportQuery(kind: .offers, options: [
            "state": ["released"], "product-id": ["prod-a,prod-b"], "buyer-account": ["*0123*"], "targeting": ["buyeraccounts"],
            "released-after": ["2030-01-01"],
        ])
        #expect(offers.statuses == ["Released"])
        #expect(offers.productIds == .anyOf(["prod-a", "prod-b"]))
        #expect(offers.buyerAccount == "0123")
        #expect(offers.targeting == ["BuyerAccounts"])
        #expect(offers.releaseDate == ExportQuery.DateBounds(after: "2030-01-01T00:00:00Z"))
        let names = Set(ExportQuery.options(for: .offers).map(\.name))
        #expect(!names.contains("reseller-account-id") && names.contains("buyer-account"))

        let bad = #expect(throws: BulkRunnerError.self) { try ExportQuery(kind: .offers, options: ["state": ["Active"]]) }
        #expect(bad?.field == "status")
        #expect(throws: BulkRunnerError.self) { try ExportQuery(kind: .offers, options: ["product-id": ["prod-*"]]) }
    }

    @Test func exportOptionsAreChecked() {
        #expect(throws: Never.self) { try ExportOptions().validate() }
        for options in [ExportOptions(pageSize: 0), ExportOptions(batchSize: 21), ExportOptions(listEntitiesRate: 11),
                        ExportOptions(batchDescribeRate: 0), ExportOptions(batchDescribeRate: 10.5), ExportOptions(maxAttempts: 0)] {
            #expect(throws: BulkRunnerError.self) { try options.validate() }
        }
    }
}
