import CatalogModels
import Foundation
import Testing

@testable import BulkRunner

/// Packing rows into change sets, ChangeNames and references, ordering by entity, creation
/// keys, subsets.
@Suite struct PackingTests {
    /// A template of `changes` changes per row: one create and updates referring to it.
    func template(changesPerRow changes: Int) throws -> Template {
        var list = [#"{"ChangeType": "CreateOffer", "ChangeName": "Offer", "Entity": {"Type": "Offer@1.0"}, "DetailsDocument": {"ProductId": "{{PRODUCT}}"}}"#]
        let types = ["UpdateInformation", "UpdateTargeting", "UpdateLegalTerms", "UpdateAvailability", "UpdatePricingTerms",
                     "UpdateValidityTerms", "UpdateSupportTerms", "UpdateRenewalTerms", "UpdatePaymentScheduleTerms", "ReleaseOffer"]
        for type in types.prefix(changes - 1) {
            list.append(#"{"ChangeType": "\#(type)", "Entity": {"Type": "Offer@1.0", "Identifier": "$Offer.Entity.Identifier"}, "DetailsDocument": {"Note": "{{NOTE}}"}}"#)
        }
        return try BulkRunnerTests.template(#"{"ChangeSet": ["# + list.joined(separator: ",") + "]}")
    }

    func rows(_ count: Int) -> [[String]] {
        (0..<count).map { ["prod-p\($0)", "note \($0)"] }
    }

    @Test func setsHoldAtMostTwentyChangesOfWholeRows() throws {
        let workspace = try Workspace()
        let seven = try plan(try template(changesPerRow: 7), header: ["PRODUCT", "NOTE"], rows: rows(5), in: workspace)
        #expect(seven.sets.map(\.request.changeSet.count) == [14, 14, 7])
        #expect(seven.sets.map { $0.rows.map(\.line) } == [[2, 3], [4, 5], [6]])
        #expect(seven.sets[0].rows[1].changeIndices == Array(7..<14))
        let four = try plan(try template(changesPerRow: 4), header: ["PRODUCT", "NOTE"], rows: rows(11), in: workspace)
        #expect(four.sets.map(\.request.changeSet.count) == [20, 20, 4])
        #expect(four.summary.changeSets == 3 && four.summary.changes == 44)
        let one = try plan(try template(changesPerRow: 1), header: ["PRODUCT", "NOTE"], rows: rows(45), in: workspace)
        #expect(one.sets.map(\.rows.count) == [20, 20, 5])
    }

    @Test func rowsPerChangeSetCapsTheRows() throws {
        let workspace = try Workspace()
        let planned = try plan(try template(changesPerRow: 2), header: ["PRODUCT", "NOTE"], rows: rows(7),
                               options: testOptions(rowsPerChangeSet: 3), in: workspace)
        #expect(planned.sets.map(\.rows.count) == [3, 3, 1])
        let error = #expect(throws: BulkRunnerError.self) {
            try plan(try template(changesPerRow: 2), header: ["PRODUCT", "NOTE"], rows: rows(1),
                     options: testOptions(rowsPerChangeSet: 21), in: workspace)
        }
        #expect(error?.code == .invalidOption)
    }

    @Test func changeNamesAreUniquePerRowAndReferencesFollow() throws {
        let workspace = try Workspace()
        let planned = try plan(try template(changesPerRow: 3), header: ["PRODUCT", "NOTE"], rows: rows(2), in: workspace)
        let changes = planned.sets[0].request.changeSet
        #expect(changes.map(\.changeName) == ["OfferR000002", "UpdateInformationR000002", "UpdateTargetingR000002",
                                              "OfferR000003", "UpdateInformationR000003", "UpdateTargetingR000003"])
        #expect(changes[1].entity.identifier == "$OfferR000002.Entity.Identifier")
        #expect(changes[5].entity.identifier == "$OfferR000003.Entity.Identifier")
        // A set of one row names only what the template names and what creates.
        let single = try plan(try template(changesPerRow: 3), header: ["PRODUCT", "NOTE"], rows: rows(2),
                              options: testOptions(rowsPerChangeSet: 1), in: workspace)
        #expect(single.sets[0].request.changeSet.map(\.changeName) == ["OfferR000002", nil, nil])
        let unnamedCreate = try singleChange("CreateOffer", identifier: nil, details: #"{"ProductId": "{{P}}"}"#)
        let draft = try plan(unnamedCreate, header: ["P"], rows: [["prod-x1"]], in: workspace)
        #expect(draft.sets[0].request.changeSet[0].changeName == "CreateOfferR000002")
    }

    @Test func rowsTouchingTheSameEntityAreNeverOpenTogether() throws {
        let workspace = try Workspace()
        let t = try BulkRunnerTests.template("""
        {"ChangeSet": [{"ChangeType": "{{TYPE_IS_LITERAL}}UpdateAvailability", "Entity": {"Type": "Offer@1.0", "Identifier": "{{OFFER}}"},
                        "DetailsDocument": {"AvailabilityEndDate": "{{DATE}}"}}]}
        """.replacingOccurrences(of: "{{TYPE_IS_LITERAL}}", with: ""))
        let planned = try plan(t, header: ["OFFER", "DATE"], rows: [
            ["offer-a1", "2026-06-30"], ["offer-b2", "2026-06-30"], ["offer-a1@3", "2026-07-31"],
            ["offer-c3", "2026-06-30"], ["offer-b2", "2026-08-31"], ["offer-a1", "2026-09-30"],
        ], in: workspace)
        #expect(planned.summary.invalidRows == 0)
        #expect(planned.sets.map { $0.rows.map(\.line) } == [[2, 3], [4, 5, 6], [7]])
        #expect(planned.sets.map(\.dependencies) == [[], [1], [2]])
        #expect(planned.sets.map(\.wave) == [0, 1, 2])
        #expect(planned.sets[1].targetEntityIds == ["offer-a1", "offer-b2", "offer-c3"])
        #expect(planned.summary.waves == 3)
        for set in planned.sets {
            // Never two rows of one entity in a set.
            let targets = set.rows.flatMap(\.targetEntityIds)
            #expect(Set(targets).count == targets.count)
        }
    }

    @Test func aLiteralTargetSerialisesEveryRow() throws {
        let workspace = try Workspace()
        let t = try singleChange("AddDimensions", entityType: "SaaSProduct@1.0", identifier: "prod-fixed1",
                                 details: #"[{"Key": "{{KEY}}", "Name": "{{KEY}}", "Description": "d", "Unit": "Units", "Types": ["ExternallyMetered"]}]"#)
        let planned = try plan(t, header: ["KEY"], rows: [["a"], ["b"], ["c"]], in: workspace)
        #expect(planned.sets.count == 3)
        #expect(planned.sets.map(\.dependencies) == [[], [1], [2]])
    }

    @Test func creationKeysIdentifyWhatEachCreateMakes() throws {
        let workspace = try Workspace()
        let grant = try plan(try Template.load("grant"),
                             header: ["RESELLER_ACCOUNT_ID", "PRODUCT_ID", "NAME", "DIMENSION_KEY", "PRICE"],
                             rows: [["012345678901", "prod-abc123", "Acme EU", "Users", "10"]], in: workspace)
        let key = try #require(grant.sets[0].creations.first)
        #expect(grant.sets[0].creations.count == 1)
        #expect(key.changeIndex == 0)
        #expect(key.changeName == "ResaleAuthorizationR000002")
        #expect(key.entityType == "ResaleAuthorization@1.0")
        #expect(key.fields.map(\.name) == ["ResellerAccountId", "ProductId", "Name"])
        #expect(key.value(of: "Name") == "Acme EU")
        let filters = try #require(key.listEntitiesRequest?.entityTypeFilters?.resaleAuthorizationFilters)
        #expect(key.listEntitiesRequest?.entityType == "ResaleAuthorization")
        #expect(filters.resellerAccountID?.valueList == ["012345678901"])
        #expect(filters.productId?.valueList == ["prod-abc123"])
        #expect(filters.name?.valueList == ["Acme EU"])
        #expect(key.filterDescription == "ListEntities ResaleAuthorization with ResaleAuthorizationFilters ResellerAccountID=[012345678901] ProductId=[prod-abc123] Name=[\"Acme EU\"]")
        #expect(grant.sets[0].rows[0].creations == [key])

        let offer = try plan(try Template.load("private-offer"),
                             header: ["PRODUCT_ID", "OFFER_NAME", "BUYER_ACCOUNTS", "EXPIRY_DATE", "DIMENSION_KEY", "PRICE"],
                             rows: [["prod-abc123", "Gold", "111111111111 222222222222", "2026-12-31", "Users", "10"]], in: workspace)
        let offerKey = try #require(offer.sets[0].creations.first)
        #expect(offerKey.fields.map { "\($0.name)=\($0.value)" } == ["ProductId=prod-abc123", "Name=Gold", "BuyerAccounts=111111111111,222222222222"])
        #expect(offerKey.listEntitiesRequest?.entityTypeFilters?.offerFilters?.buyerAccounts?.valueList == ["111111111111", "222222222222"])
        // Updates of existing entities create nothing.
        let restrict = try plan(try Template.load("restrict"), header: ["RESALE_AUTHORIZATION_ID"], rows: [["resaleauthz-a1"]], in: workspace)
        #expect(restrict.sets[0].creations.isEmpty)
    }

    @Test func subsetsCarryTheirRowsChangesAndADeterministicToken() throws {
        let workspace = try Workspace()
        let planned = try plan(try template(changesPerRow: 3), header: ["PRODUCT", "NOTE"], rows: rows(6), in: workspace)
        let parent = planned.sets[0]
        #expect(parent.rows.map(\.rowIndex) == [0, 1, 2, 3, 4, 5])
        let cut = parent.subset(rows: [3, 1, 99])
        #expect(cut.rows.map(\.rowIndex) == [1, 3])
        #expect(cut.rows.map(\.changeIndices) == [[0, 1, 2], [3, 4, 5]])
        #expect(cut.request.changeSet == Array(parent.request.changeSet[3..<6]) + Array(parent.request.changeSet[9..<12]))
        #expect(cut.parentToken == parent.clientRequestToken)
        #expect(cut.clientRequestToken != parent.clientRequestToken)
        #expect(cut.request.clientRequestToken == cut.clientRequestToken)
        #expect(ValueChecks.clientRequestToken(cut.clientRequestToken).isValid)
        #expect(cut.changeSetName == "bulkrunner test 000001 rows 3+5")
        #expect(cut.request.changeSetName == cut.changeSetName)
        #expect(cut.sequenceNumber == parent.sequenceNumber && cut.dependencies == parent.dependencies)
        #expect(cut.creations.map(\.changeIndex) == [0, 3])
        #expect(parent.subset(rows: [1, 3]) == cut)
        #expect(parent.subset(rows: [1]).clientRequestToken != cut.clientRequestToken)
        // Consecutive lines make ranges; nested subsets keep the root name.
        #expect(parent.subset(rows: [0, 1, 2, 4]).changeSetName == "bulkrunner test 000001 rows 2-4+6")
        #expect(cut.subset(rows: [3]).changeSetName == "bulkrunner test 000001 rows 5")
        #expect(ValueChecks.changeSetName(parent.subset(rows: [0, 2, 4]).changeSetName).isValid)
    }

    @Test func theRequestIsBuiltOnDemandAndEqualsItsJSON() throws {
        let workspace = try Workspace()
        let planned = try plan(try Template.load("grant"),
                               header: ["RESELLER_ACCOUNT_ID", "PRODUCT_ID", "NAME", "DIMENSION_KEY", "PRICE", "CUSTOM_EULA_URL"],
                               rows: [["012345678901", "prod-abc123", "Acme", "Users", "10", ""],
                                      ["012345678902", "prod-abc123", "Acme 2", "Users", "11", "https://e.example/x.pdf"]],
                               in: workspace)
        let set = planned.sets[0]
        let request = set.request
        #expect(request == set.request)
        let body = try CatalogJSON.encodeValue(request)
        #expect(set.bodyJSON == body)
        #expect(try CatalogJSON.decode(StartChangeSetRequest.self, from: Data(set.prettyJSON.utf8)) == request)
        let canonical = try json(set.canonicalBodyWithoutToken)
        var expected = body
        expected["ClientRequestToken"] = nil
        #expect(canonical == expected)
        #expect(set.canonicalBodyWithoutToken == expected.canonicalString)
    }
}
