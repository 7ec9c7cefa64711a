import CatalogModels
import Foundation
import Testing

/// A tiny fake: answers every operation from fixed values, or throws a preset error.
struct FakeCatalog: CatalogAPI {
    var failure: CatalogError?

    func check() throws { if let failure { throw failure } }

    func startChangeSet(_ request: StartChangeSetRequest) async throws -> StartChangeSetResponse {
        try check()
        return StartChangeSetResponse(changeSetId: "cs-\(request.changeSet.count)", changeSetArn: "arn:cs")
    }

    func describeChangeSet(_ request: DescribeChangeSetRequest) async throws -> DescribeChangeSetResponse {
        try check()
        return DescribeChangeSetResponse(changeSetId: request.changeSetId, status: .applying)
    }

    func listChangeSets(_ request: ListChangeSetsRequest) async throws -> ListChangeSetsResponse {
        try check()
        return ListChangeSetsResponse(changeSetSummaryList: [ChangeSetSummaryListItem(changeSetId: "cs-1", status: .succeeded)])
    }

    func cancelChangeSet(_ request: CancelChangeSetRequest) async throws -> CancelChangeSetResponse {
        try check()
        return CancelChangeSetResponse(changeSetId: request.changeSetId)
    }

    func describeEntity(_ request: DescribeEntityRequest) async throws -> DescribeEntityResponse {
        try check()
        return DescribeEntityResponse(entityIdentifier: request.entityId + "@1", detailsDocument: ["Price": .number(JSONNumber(text: "1.50")!)])
    }

    func listEntities(_ request: ListEntitiesRequest) async throws -> ListEntitiesResponse {
        try check()
        return ListEntitiesResponse(entitySummaryList: [EntitySummary(entityType: request.entityType, entityId: "offer-1")])
    }

    func batchDescribeEntities(_ request: BatchDescribeEntitiesRequest) async throws -> BatchDescribeEntitiesResponse {
        try check()
        return BatchDescribeEntitiesResponse(errors: Dictionary(uniqueKeysWithValues: request.entityRequestList.map {
            ($0.entityId, BatchDescribeErrorDetail(errorCode: "ResourceNotFoundException", errorMessage: "gone"))
        }))
    }
}

@Suite("CatalogAPI dispatch")
struct CatalogAPIDispatchTests {
    @Test("send routes every request type to its method")
    func send() async throws {
        let api = FakeCatalog()
        #expect(try await api.send(StartChangeSetRequest(changeSet: [])).changeSetId == "cs-0")
        #expect(try await api.send(DescribeChangeSetRequest(changeSetId: "cs-7")).status == .applying)
        #expect(try await api.send(ListChangeSetsRequest()).changeSetSummaryList?.count == 1)
        #expect(try await api.send(CancelChangeSetRequest(changeSetId: "cs-8")).changeSetId == "cs-8")
        #expect(try await api.send(DescribeEntityRequest(entityId: "offer-1")).entityIdentifier == "offer-1@1")
        #expect(try await api.send(ListEntitiesRequest(entityType: "Offer")).entitySummaryList?.first?.entityType == "Offer")
        #expect(try await api.send(BatchDescribeEntitiesRequest(entityRequestList: [EntityRequest(entityId: "x")])).errors?["x"] != nil)
    }

    @Test("respond parses the wire request and answers 200 with exact JSON")
    func respondSuccess() async throws {
        let api = FakeCatalog()
        let describe = await api.respond(to: .describeEntity, queryItems: [(name: "catalog", value: "AWSMarketplace"), (name: "entityId", value: "offer-9")], body: nil)
        #expect(describe.status == 200)
        #expect(describe.headers.contains { $0.name == "Content-Type" && $0.value == "application/json" })
        #expect(String(decoding: describe.body, as: UTF8.self) == #"{"EntityIdentifier":"offer-9@1","DetailsDocument":{"Price":1.50}}"#)

        let start = await api.respond(to: .startChangeSet, queryItems: [],
                                      body: Data(#"{"Catalog":"AWSMarketplace","ChangeSet":[{"ChangeType":"X","Entity":{"Type":"Offer@1.0"}}]}"#.utf8))
        #expect(start.status == 200)
        #expect(try CatalogJSON.decode(StartChangeSetResponse.self, from: start.body).changeSetId == "cs-1")
    }

    @Test("respond turns request and service errors into rest-json error responses")
    func respondErrors() async {
        let api = FakeCatalog()
        let missing = await api.respond(to: .describeChangeSet, queryItems: [(name: "catalog", value: "AWSMarketplace")], body: nil)
        #expect(missing.status == 422)
        #expect(CatalogError(status: missing.status, headers: missing.headers, body: missing.body).code == .validation)

        let malformed = await api.respond(to: .listEntities, queryItems: [], body: Data("{oops".utf8))
        #expect(malformed.status == 400)
        #expect(CatalogError(status: malformed.status, headers: malformed.headers, body: malformed.body).code == .serialization)

        let throttled = await FakeCatalog(failure: CatalogError(.throttling, message: "Rate exceeded", requestId: "r1"))
            .respond(to: .listChangeSets, queryItems: [], body: Data(#"{"Catalog":"AWSMarketplace"}"#.utf8))
        #expect(throttled.status == 429)
        let decoded = CatalogError(status: throttled.status, headers: throttled.headers, body: throttled.body)
        #expect(decoded == CatalogError(.throttling, message: "Rate exceeded", requestId: "r1", httpStatus: 429))
    }

    @Test("send passes errors through")
    func sendErrors() async {
        let api = FakeCatalog(failure: CatalogError(.resourceInUse, message: "locked"))
        await #expect(throws: CatalogError(.resourceInUse, message: "locked")) {
            try await api.send(StartChangeSetRequest(changeSet: []))
        }
    }
}

@Suite("Entity names")
struct EntityNameTests {
    @Test("names without special characters pass")
    func valid() {
        #expect(ValueChecks.entityName("Acme EMEA resale - 2026 (Q1), v2.0 & co.").isValid)
        #expect(ValueChecks.entityName(String(repeating: "a", count: 100)).isValid)
        #expect(ValueChecks.entityName("Zürich Résale 東京").isValid)
    }

    @Test("special characters, control characters and length are rejected")
    func invalid() throws {
        let quoted = try #require(ValueChecks.entityName("Acme \"Gold\" <EU>").problem)
        #expect(quoted.kind == .invalidCharacters)
        #expect(quoted.message.hasSuffix(#"rejects: " < >"#))
        #expect(quoted.suggestion == "Acme Gold EU")
        let control = try #require(ValueChecks.entityName("line\u{07}bell").problem)
        #expect(control.message.contains("U+7"))
        #expect(ValueChecks.entityName(String(repeating: "a", count: 101)).problem?.kind == .tooLong)
        #expect(ValueChecks.entityName("a", maxLength: 0).problem?.kind == .tooLong)
        #expect(ValueChecks.entityName("  ").problem?.kind == .empty)
        #expect(ValueChecks.entityName("$$$").problem?.suggestion == nil)
    }
}
