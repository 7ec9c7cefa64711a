@testable import BulkRunner
import CatalogModels
import Foundation
import Testing

@Suite("Apply: status rules, prices, the record")
struct ApplyRulesTests {
    @Test func statusRulesFollowTheLifecycle() {
        let ra = ExportKind.resaleAuthorizations
        #expect(ApplyRules.problem([.restrict], kind: ra, status: "Active", entityId: "resaleauthz-1") == nil)
        #expect(ApplyRules.problem([.restrict], kind: ra, status: "Draft", entityId: "resaleauthz-1")?.contains("RESTRICT needs an Active resale authorization") == true)
        #expect(ApplyRules.problem([.release], kind: ra, status: "Draft", entityId: "x") == nil)
        #expect(ApplyRules.problem([.release], kind: ra, status: "Active", entityId: "x") != nil)
        #expect(ApplyRules.problem([.extend], kind: ra, status: "Active", entityId: "x") == nil)
        #expect(ApplyRules.problem([.extend], kind: ra, status: "Restricted", entityId: "x") != nil)
        // RENAME, RETARGET and SCHEDULE of an Active authorization only shape a re-grant.
        #expect(ApplyRules.problem([.rename], kind: ra, status: "Active", entityId: "x")?.contains("add REPRICE") == true)
        #expect(ApplyRules.problem([.reprice, .rename, .retarget, .schedule, .extend], kind: ra, status: "Active", entityId: "x") == nil)
        #expect(ApplyRules.isRegrant([.reprice], kind: ra, status: "Active"))
        #expect(!ApplyRules.isRegrant([.reprice], kind: ra, status: "Draft"))
        #expect(ApplyRules.problem([.reprice, .release], kind: ra, status: "Active", entityId: "x")?.contains("RELEASE needs a Draft") == true)
        // Offers.
        #expect(ApplyRules.problem([.extend, .rename], kind: .offers, status: "Released", entityId: "offer-1") == nil)
        #expect(ApplyRules.problem([.retarget], kind: .offers, status: "Released", entityId: "offer-1")?.contains("make a new offer") == true)
        #expect(ApplyRules.problem([.reprice, .retarget, .schedule, .release], kind: .offers, status: "Draft", entityId: "offer-1") == nil)
    }

    private let terms: [JSONValue] = [
        ["Id": "term-1", "Type": "ResaleConfigurableUpfrontPricingTerm", "CurrencyCode": "USD",
         "RateCards": [["Selector": ["Type": "Duration", "Value": "P12M"],
                        "RateCard": [["DimensionKey": "t2.small", "Price": "150"], ["DimensionKey": "t2.large", "Price": "300"]]],
                       ["Selector": ["Type": "Duration", "Value": "P24M"],
                        "RateCard": [["DimensionKey": "t2.small", "Price": "280"]]]]],
        ["Type": "ResaleUsageBasedPricingTerm", "CurrencyCode": "USD", "RateCards": [["RateCard": [["DimensionKey": "m5.large", "Price": "0.12"]]]]],
    ]

    private func prices(_ terms: [JSONValue]) -> [String] {
        terms.flatMap { ($0["RateCards"]?.arrayValue ?? []).flatMap { ($0["RateCard"]?.arrayValue ?? []).map { "\($0["DimensionKey"]!.stringValue!)=\($0["Price"]!.stringValue!)" } } }
    }

    @Test func newPricesReplaceTheNamedDimensionsEverywhere() throws {
        let changed = try ApplyTerms.repriced(terms, changes: [.init(dimensionKey: "t2.small", price: "180")]).get()
        #expect(prices(changed) == ["t2.small=180", "t2.large=300", "t2.small=180", "m5.large=0.12"])
        #expect(changed[0]["Id"] == nil)  // term ids belong to the entity they were read from
        #expect(changed[0]["RateCards"]?[1]?["Selector"]?["Value"] == "P24M")
        let all = try ApplyTerms.repriced(terms, changes: [.init(dimensionKey: nil, price: "99")]).get()
        #expect(prices(all) == ["t2.small=99", "t2.large=99", "t2.small=99", "m5.large=99"])
        let two = try ApplyTerms.repriced(terms, changes: [.init(dimensionKey: "t2.large", price: "310"), .init(dimensionKey: "m5.large", price: "0.2")]).get()
        #expect(prices(two) == ["t2.small=150", "t2.large=310", "t2.small=280", "m5.large=0.2"])
        #expect(ApplyTerms.pricingModel(.object([:]), terms: terms) == "Contract")
    }

    @Test func unknownDimensionsAndTermsWithoutPricesAreRefused() throws {
        guard case .failure(let problem) = ApplyTerms.repriced(terms, changes: [.init(dimensionKey: "t3.nano", price: "1")]) else {
            Issue.record("an unknown dimension was accepted")
            return
        }
        #expect(problem.code == "UNKNOWN_DIMENSION" && problem.message.contains("t2.small, t2.large, m5.large"))
        let fixed: [JSONValue] = [["Type": "FixedUpfrontPricingTerm", "CurrencyCode": "USD", "Price": "0.00", "Duration": "P12M",
                                   "Grants": [["DimensionKey": "Users", "MaxQuantity": 10]]]]
        #expect(try ApplyTerms.repriced(fixed, changes: [.init(dimensionKey: "Users", price: "500")]).get()[0]["Price"] == "500")
        let trial: [JSONValue] = [["Type": "FreeTrialPricingTerm", "Duration": "P21D", "Grants": [["DimensionKey": "Basic"]]]]
        if case .success = ApplyTerms.repriced(trial, changes: [.init(dimensionKey: nil, price: "1")]) { Issue.record("a free trial was repriced") }
        if case .success = ApplyTerms.repriced([], changes: [.init(dimensionKey: nil, price: "1")]) { Issue.record("nothing was repriced") }
    }

    @Test func theRecordRoundTripsThroughJSON() throws {
        let detail = EntityDetail(entityType: "ResaleAuthorization@1.0", entityArn: "arn:aws:aws-marketplace:us-east-1:1:AWSMarketplace/ResaleAuthorization/resaleauthz-1",
                                  entityIdentifier: "resaleauthz-1@3", lastModifiedDate: "2030-01-01T00:00:00.123Z",
                                  detailsDocument: ["Status": "Active", "Terms": [["Type": "BuyerLegalTerm"]]])
        let record = ApplyRecord(identity: try RunIdentity("r0123456789abcdef"), sheetDigest: "abc", checkedAt: Date(timeIntervalSince1970: 1_893_456_123),
                                 force: true, repriceOrder: .restrictFirst, rowsPerChangeSet: 5,
                                 facts: ["resaleauthz-1": .described(detail), "resaleauthz-2": .failed(code: "ResourceNotFoundException", message: "gone")])
        let text = record.json.prettyString()
        #expect(try ApplyRecord(json: try JSONValue(parsing: text)) == record)
        #expect(throws: BulkRunnerError.self) { try ApplyRecord(json: ["Version": 99]) }
    }

    @Test func timestampsCompareAsInstants() {
        #expect(ApplyPlan.sameInstant("2030-01-01T00:00:00Z", "2030-01-01T00:00:00.000Z"))
        #expect(!ApplyPlan.sameInstant("2030-01-01T00:00:00Z", "2030-01-01T00:00:01Z"))
        #expect(!ApplyPlan.sameInstant("01/01/2030 00:00", "2030-01-01T00:00:00Z"))
        #expect(ApplyStepBuilder.timestamp(Date(timeIntervalSince1970: 1_893_456_000 + 3_723)) == "2030-01-01T01:02:03Z")
        #expect(ApplyStepBuilder.changeName("CreateResaleAuthorization", line: 17) == "CreateResaleAuthorizationR000017")
    }
}
