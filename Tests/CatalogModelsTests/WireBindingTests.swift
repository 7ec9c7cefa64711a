import CatalogModels
import Foundation
import Testing

@Suite("Wire binding")
struct WireBindingTests {
    func pairs(_ items: [(name: String, value: String)]) -> [String] { items.map { "\($0.name)=\($0.value)" } }

    @Test("operations carry the model's HTTP binding")
    func operations() {
        let table: [(CatalogOperation, String, String, Bool, [String])] = [
            (.startChangeSet, "POST", "/StartChangeSet", true, []),
            (.describeChangeSet, "GET", "/DescribeChangeSet", false, ["catalog", "changeSetId"]),
            (.listChangeSets, "POST", "/ListChangeSets", true, []),
            (.cancelChangeSet, "PATCH", "/CancelChangeSet", false, ["catalog", "changeSetId"]),
            (.describeEntity, "GET", "/DescribeEntity", false, ["catalog", "entityId"]),
            (.listEntities, "POST", "/ListEntities", true, []),
            (.batchDescribeEntities, "POST", "/BatchDescribeEntities", true, []),
        ]
        #expect(CatalogOperation.allCases.count == table.count)
        for (op, method, path, body, query) in table {
            #expect(op.httpMethod == method)
            #expect(op.path == path)
            #expect(op.hasBody == body)
            #expect(op.queryMemberNames == query)
            #expect(op.name == String(path.dropFirst()))
            #expect(CatalogOperation(method: method, path: path) == op)
            #expect(CatalogOperation(method: method.lowercased(), path: path + "/?x=1") == op)
        }
        #expect(CatalogOperation(method: "POST", path: "/DescribeChangeSet") == nil)
        #expect(CatalogOperation(method: "GET", path: "/Nope") == nil)
        #expect(CatalogOperation.startChangeSet.documentedRateLimit == 5)
        #expect(CatalogOperation.describeEntity.documentedRateLimit == 20)
        #expect(CatalogOperation.batchDescribeEntities.documentedRateLimit == nil)
    }

    @Test("DescribeChangeSet binds catalog and changeSetId to the query")
    func describeChangeSet() throws {
        let request = DescribeChangeSetRequest(changeSetId: "cs-abc123")
        #expect(DescribeChangeSetRequest.operation == .describeChangeSet)
        #expect(pairs(request.queryItems) == ["catalog=AWSMarketplace", "changeSetId=cs-abc123"])
        #expect(try request.httpBody() == nil)
        #expect(String(decoding: try CatalogJSON.encode(request), as: UTF8.self) == "{}")
        #expect(try DescribeChangeSetRequest(queryItems: request.queryItems) == request)
        #expect(try DescribeChangeSetRequest(httpQueryItems: [(name: "changeSetId", value: "cs-1"), (name: "catalog", value: "AWSMarketplace")],
                                             body: nil) == DescribeChangeSetRequest(changeSetId: "cs-1"))
        #expect(throws: (any Error).self) { try CatalogJSON.decode(DescribeChangeSetRequest.self, from: Data("{}".utf8)) }
    }

    @Test("CancelChangeSet and DescribeEntity bind to the query")
    func otherQueryOperations() throws {
        let cancel = CancelChangeSetRequest(changeSetId: "cs-9")
        #expect(pairs(cancel.queryItems) == ["catalog=AWSMarketplace", "changeSetId=cs-9"])
        #expect(try cancel.httpBody() == nil)
        #expect(try CancelChangeSetRequest(queryItems: cancel.queryItems) == cancel)

        let describe = DescribeEntityRequest(entityId: "resaleauthz-abc@2")
        #expect(pairs(describe.queryItems) == ["catalog=AWSMarketplace", "entityId=resaleauthz-abc@2"])
        #expect(try describe.httpBody() == nil)
        #expect(try DescribeEntityRequest(queryItems: describe.queryItems) == describe)
    }

    @Test("a missing or empty query member is a validation error")
    func missingQueryMember() {
        for items in [[(name: "catalog", value: "AWSMarketplace")],
                      [(name: "catalog", value: "AWSMarketplace"), (name: "changeSetId", value: "")],
                      [(name: "changeSetId", value: "cs-1")]] {
            do {
                _ = try DescribeChangeSetRequest(httpQueryItems: items, body: nil)
                Issue.record("accepted \(items)")
            } catch let error as CatalogError {
                #expect(error.code == .validation)
                #expect(error.httpStatus == 422)
            } catch {
                Issue.record("unexpected \(error)")
            }
        }
    }

    @Test("body operations have no query items and send JSON")
    func bodyOperations() throws {
        let list = ListChangeSetsRequest(filterList: [Filter(name: "Status", valueList: ["PREPARING", "APPLYING"])],
                                         sort: Sort(sortBy: "StartTime", sortOrder: .descending), maxResults: 20)
        #expect(list.queryItems.isEmpty)
        let body = try #require(try list.httpBody())
        #expect(String(decoding: body, as: UTF8.self)
            == #"{"Catalog":"AWSMarketplace","FilterList":[{"Name":"Status","ValueList":["PREPARING","APPLYING"]}],"Sort":{"SortBy":"StartTime","SortOrder":"DESCENDING"},"MaxResults":20}"#)
        #expect(try ListChangeSetsRequest(httpQueryItems: [], body: body) == list)
        #expect(throws: CatalogError.self) { try ListChangeSetsRequest(queryItems: []) }

        let batch = BatchDescribeEntitiesRequest(entityRequestList: [EntityRequest(entityId: "offer-1"), EntityRequest(entityId: "offer-2")])
        #expect(batch.queryItems.isEmpty)
        let batchBody = try #require(try batch.httpBody())
        #expect(String(decoding: batchBody, as: UTF8.self)
            == #"{"EntityRequestList":[{"Catalog":"AWSMarketplace","EntityId":"offer-1"},{"Catalog":"AWSMarketplace","EntityId":"offer-2"}]}"#)
        #expect(try BatchDescribeEntitiesRequest(httpQueryItems: [], body: batchBody) == batch)
    }

    @Test("ListEntities with typed filters and sort encodes the wire names")
    func listEntities() throws {
        let request = ListEntitiesRequest(
            entityType: "ResaleAuthorization",
            maxResults: 50,
            ownershipType: .owned,
            entityTypeFilters: .resaleAuthorization(ResaleAuthorizationFilters(
                productId: WildcardFilter(valueList: ["prod-1111111111111"]),
                createdDate: DateFilter(dateRange: DateRange(afterValue: "2025-01-01T00:00:00Z")),
                resellerAccountID: WildcardFilter(valueList: ["011111111111"]),
                status: ValueListFilter(valueList: ["Draft", "Active"])
            )),
            entityTypeSort: .resaleAuthorization(Sort(sortBy: "CreatedDate", sortOrder: .ascending))
        )
        let text = String(decoding: try #require(try request.httpBody()), as: UTF8.self)
        #expect(text == #"{"Catalog":"AWSMarketplace","EntityType":"ResaleAuthorization","MaxResults":50,"OwnershipType":"SELF","EntityTypeFilters":{"ResaleAuthorizationFilters":{"ProductId":{"ValueList":["prod-1111111111111"]},"CreatedDate":{"DateRange":{"AfterValue":"2025-01-01T00:00:00Z"}},"ResellerAccountID":{"ValueList":["011111111111"]},"Status":{"ValueList":["Draft","Active"]}}},"EntityTypeSort":{"ResaleAuthorizationSort":{"SortBy":"CreatedDate","SortOrder":"ASCENDING"}}}"#)
        #expect(try ListEntitiesRequest(httpQueryItems: [], body: Data(text.utf8)) == request)

        let offers = ListEntitiesRequest(entityType: "Offer", entityTypeFilters: .offer(OfferFilters(
            buyerAccounts: WildcardFilter(wildCardValue: "2222"), state: ValueListFilter(valueList: ["Released"]))))
        #expect(String(decoding: try #require(try offers.httpBody()), as: UTF8.self)
            == #"{"Catalog":"AWSMarketplace","EntityType":"Offer","EntityTypeFilters":{"OfferFilters":{"BuyerAccounts":{"WildCardValue":"2222"},"State":{"ValueList":["Released"]}}}}"#)
    }

    @Test("body errors: malformed JSON is a serialization error, a missing member a validation error")
    func bodyErrors() {
        func code(_ body: String) -> CatalogError.Code? {
            do {
                _ = try StartChangeSetRequest(httpQueryItems: [], body: Data(body.utf8))
                return nil
            } catch let error as CatalogError {
                return error.code
            } catch {
                return .unknown("\(error)")
            }
        }
        #expect(code("{\"Catalog\": ") == .serialization)
        #expect(code("{\"Catalog\": 5, \"ChangeSet\": []}") == .serialization)
        #expect(code("{\"Catalog\": \"AWSMarketplace\"}") == .validation)
        #expect(code("") == .validation)
        #expect(code("{\"Catalog\": \"AWSMarketplace\", \"ChangeSet\": []}") == nil)
    }

    @Test("a DescribeChangeSet response in the API reference's shape decodes")
    func describeChangeSetResponse() throws {
        let wire = """
        {
          "ChangeSetId": "76yesvf8y165pa4f37ngb1ezo",
          "ChangeSetArn": "arn:aws:aws-marketplace:us-east-1:123456789012:AWSMarketplace/ChangeSet/76yesvf8y165pa4f37ngb1ezo",
          "ChangeSetName": "bulkrunner-run1-0001",
          "Intent": "APPLY",
          "StartTime": "2018-09-20T19:45:03.115Z",
          "EndTime": "2018-09-20T19:48:12Z",
          "Status": "FAILED",
          "FailureCode": "CLIENT_ERROR",
          "FailureDescription": "One or more changes failed validation",
          "ChangeSet": [
            {
              "ChangeType": "CreateResaleAuthorization",
              "ChangeName": "CreateRA",
              "Entity": {"Type": "ResaleAuthorization@1.0", "Identifier": "resaleauthz-abcdefghijklm@1"},
              "Details": "{\\"ResellerAccountId\\":\\"111111111111\\"}",
              "DetailsDocument": {"ResellerAccountId": "111111111111", "Price": 1.50},
              "ErrorDetailList": [
                {"ErrorCode": "INVALID_RESELLER_ACCOUNT", "ErrorMessage": "The reseller account is not valid."}
              ]
            },
            {"ChangeType": "ReleaseResaleAuthorization", "Entity": {"Type": "ResaleAuthorization@1.0"}, "ErrorDetailList": []}
          ],
          "SomeFutureMember": {"ignored": true}
        }
        """
        let response = try CatalogJSON.decode(DescribeChangeSetResponse.self, from: Data(wire.utf8))
        #expect(response.changeSetId == "76yesvf8y165pa4f37ngb1ezo")
        #expect(response.changeSetArn?.hasPrefix("arn:aws:aws-marketplace:") == true)
        #expect(response.intent == .apply)
        #expect(response.startTime == "2018-09-20T19:45:03.115Z")
        #expect(response.status == .failed)
        #expect(response.status?.isFinal == true)
        #expect(response.failureCode == .clientError)
        let first = try #require(response.changeSet?.first)
        #expect(first.entity?.identifier == "resaleauthz-abcdefghijklm@1")
        #expect(first.errorDetailList?.first?.errorCode == "INVALID_RESELLER_ACCOUNT")
        #expect(first.detailsDocument?["Price"]?.numberValue?.text == "1.50")
        #expect(try first.detailsJSON()?["ResellerAccountId"] == "111111111111")
        #expect(response.changeSet?[1].errorDetailList == [])
        // Through Foundation's decoder too (what a plain client might use).
        let viaFoundation = try JSONDecoder().decode(DescribeChangeSetResponse.self, from: Data(wire.utf8))
        #expect(viaFoundation.status == .failed)
        #expect(viaFoundation.changeSet?.count == 2)
        // And back out: the emulator's body re-decodes to the same value.
        let again = try CatalogJSON.decode(DescribeChangeSetResponse.self, from: try CatalogJSON.encode(response))
        #expect(again == response)
    }

    @Test("statuses tolerate unknown values")
    func statuses() throws {
        let item = try CatalogJSON.decode(ChangeSetSummaryListItem.self, from: Data(#"{"Status":"PAUSED","FailureCode":"NEW_CODE"}"#.utf8))
        #expect(item.status == ChangeStatus(rawValue: "PAUSED"))
        #expect(item.status?.isFinal == false)
        #expect(item.status?.isOpen == false)
        #expect(item.failureCode?.rawValue == "NEW_CODE")
        #expect(String(decoding: try CatalogJSON.encode(item), as: UTF8.self) == #"{"Status":"PAUSED","FailureCode":"NEW_CODE"}"#)
        #expect(ChangeStatus.preparing.isOpen && ChangeStatus.applying.isOpen)
        #expect(ChangeStatus.succeeded.isFinal && ChangeStatus.cancelled.isFinal && ChangeStatus.failed.isFinal)
        #expect(!ChangeStatus.preparing.isFinal)
        #expect(OwnershipType.owned.rawValue == "SELF")
        #expect(Intent.validate.rawValue == "VALIDATE")
        let literal: Sort.Order = "ASCENDING"
        #expect(literal == .ascending)
    }

    @Test("ListChangeSets, ListEntities and BatchDescribeEntities responses decode")
    func otherResponses() throws {
        let list = try CatalogJSON.decode(ListChangeSetsResponse.self, from: Data("""
        {"ChangeSetSummaryList":[{"ChangeSetId":"cs1","ChangeSetArn":"arn:x","ChangeSetName":"n","StartTime":"2099-12-31T23:59:59.999Z",
          "Status":"SUCCEEDED","EntityIdList":["resaleauthz-1","offer-2"]}],"NextToken":"tok/+=="}
        """.utf8))
        #expect(list.changeSetSummaryList?.first?.entityIdList == ["resaleauthz-1", "offer-2"])
        #expect(list.nextToken == "tok/+==")

        let entities = try CatalogJSON.decode(ListEntitiesResponse.self, from: Data("""
        {"EntitySummaryList":[
          {"Name":"RA one","EntityType":"ResaleAuthorization","EntityId":"resaleauthz-1","EntityArn":"arn:ra","LastModifiedDate":"2024-01-01T00:00:00Z",
           "ResaleAuthorizationSummary":{"Name":"RA one","ProductId":"prod-1","ProductName":"P","ManufacturerAccountId":"111111111111",
             "ManufacturerLegalName":"M","ResellerAccountID":"022222222222","ResellerLegalName":"R","Status":"Active",
             "OfferExtendedStatus":"Used","CreatedDate":"2024-01-01T00:00:00Z","AvailabilityEndDate":"2025-01-01T00:00:00Z"}},
          {"EntityType":"Offer","EntityId":"offer-1","OfferSummary":{"Name":"o","ProductId":"prod-1","ResaleAuthorizationId":"resaleauthz-1",
             "BuyerAccounts":["333333333333"],"State":"Released","Targeting":["BuyerAccounts"]}},
          {"EntityType":"SaaSProduct","EntityId":"prod-2","Visibility":"Public","SaaSProductSummary":{"ProductTitle":"T","Visibility":"Public"}}
        ]}
        """.utf8))
        let summaries = try #require(entities.entitySummaryList)
        #expect(summaries[0].resaleAuthorizationSummary?.resellerAccountID == "022222222222")
        #expect(summaries[0].resaleAuthorizationSummary?.offerExtendedStatus == "Used")
        #expect(summaries[1].offerSummary?.buyerAccounts == ["333333333333"])
        #expect(summaries[2].saaSProductSummary?.productTitle == "T")
        #expect(entities.nextToken == nil)

        let batch = try CatalogJSON.decode(BatchDescribeEntitiesResponse.self, from: Data("""
        {"EntityDetails":{"offer-1":{"EntityType":"Offer@1.0","EntityArn":"arn:o","EntityIdentifier":"offer-1@3",
           "LastModifiedDate":"2024-01-01T00:00:00Z","DetailsDocument":{"Name":"x","Terms":[]}}},
         "Errors":{"offer-404":{"ErrorCode":"ResourceNotFoundException","ErrorMessage":"not found"}}}
        """.utf8))
        #expect(batch.entityDetails?["offer-1"]?.entityIdentifier == "offer-1@3")
        #expect(batch.entityDetails?["offer-1"]?.detailsDocument?["Name"] == "x")
        #expect(batch.errors?["offer-404"]?.errorCode == "ResourceNotFoundException")
        // Map members encode in sorted key order: the same value always gives the same bytes.
        let many = BatchDescribeEntitiesResponse(errors: Dictionary(uniqueKeysWithValues: (0..<30).map {
            ("offer-\(String($0, radix: 36))", BatchDescribeErrorDetail(errorCode: "E"))
        }))
        let bytes = String(decoding: try CatalogJSON.encode(many), as: UTF8.self)
        let keys = try #require(try JSONValue(parsing: bytes)["Errors"]?.objectValue?.keys)
        #expect(keys == keys.sorted())
        #expect(keys.count == 30)

        let describe = try CatalogJSON.decode(DescribeEntityResponse.self, from: Data("""
        {"EntityType":"ResaleAuthorization@1.0","EntityIdentifier":"resaleauthz-1@1","EntityArn":"arn:ra",
         "LastModifiedDate":"2024-01-01T00:00:00Z","Details":"{\\"Status\\":\\"Draft\\"}","DetailsDocument":{"Status":"Draft"}}
        """.utf8))
        #expect(try describe.detailsJSON()?["Status"] == "Draft")
        let started = try CatalogJSON.decode(StartChangeSetResponse.self, from: Data(#"{"ChangeSetId":"cs","ChangeSetArn":"arn"}"#.utf8))
        #expect(started == StartChangeSetResponse(changeSetId: "cs", changeSetArn: "arn"))
        let cancelled = try CatalogJSON.decode(CancelChangeSetResponse.self, from: Data(#"{"ChangeSetId":"cs"}"#.utf8))
        #expect(cancelled.changeSetId == "cs" && cancelled.changeSetArn == nil)
    }
}
