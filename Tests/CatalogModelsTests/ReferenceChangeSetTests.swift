import CatalogModels
import Foundation
import TestSupport
import Testing

/// Every public sample change set decodes as a `StartChangeSetRequest` and re-encodes to
/// the same content, with each `DetailsDocument` byte-for-byte in its source order.
@Suite("Reference change sets")
struct ReferenceChangeSetTests {
    static let folder = TestData.url("reference-changesets")

    static let files: [String] = {
        let names = (try? FileManager.default.contentsOfDirectory(atPath: folder.path)) ?? []
        return names.filter { $0.hasSuffix(".json") }.sorted()
    }()

    @Test("the folder holds the samples")
    func folderIsPopulated() {
        #expect(Self.files.count >= 40)
    }

    @Test("decodes and re-encodes preserving content", arguments: files)
    func roundTrip(_ name: String) throws {
        let data = try Data(contentsOf: Self.folder.appendingPathComponent(name))
        let source = try JSONValue(parsing: data)
        let request = try CatalogJSON.decode(StartChangeSetRequest.self, from: data)

        #expect(request.catalog == "AWSMarketplace")
        #expect((1...20).contains(request.changeSet.count))
        for change in request.changeSet {
            #expect(!change.changeType.isEmpty)
            #expect(change.entity.type.contains("@"))
            #expect(change.detailsDocument != nil)
            #expect(change.details == nil)
        }

        // Same content (object key order aside) …
        let reencoded = try CatalogJSON.encodeValue(request)
        #expect(reencoded == source)
        // … and each DetailsDocument exactly as written, key order and number text included.
        let sourceChanges = try #require(source["ChangeSet"]?.arrayValue)
        for (change, sourceChange) in zip(request.changeSet, sourceChanges) {
            #expect(change.detailsDocument?.compactString == sourceChange["DetailsDocument"]?.compactString)
        }
        // Bytes out parse back to the same request.
        let bytes = try CatalogJSON.encode(request)
        #expect(try CatalogJSON.decode(StartChangeSetRequest.self, from: bytes) == request)
        // The HTTP body is the same JSON.
        #expect(try request.httpBody() == bytes)
    }

    @Test("a request with every member round-trips")
    func everyMember() throws {
        let request = StartChangeSetRequest(
            changeSet: [
                Change(changeType: "CreateResaleAuthorization", entity: Entity(type: "ResaleAuthorization@1.0"),
                       entityTags: [Tag(key: "team", value: "channel")],
                       detailsDocument: ["ProductId": "prod-1111111111111", "Name": "RA", "ResellerAccountId": "011111111111"],
                       changeName: "CreateRA"),
                Change(changeType: "UpdateAvailability",
                       entity: Entity(type: "ResaleAuthorization@1.0", identifier: "$CreateRA.Entity.Identifier"),
                       details: #"{"AvailabilityEndDate":"2099-12-31"}"#),
            ],
            changeSetName: "bulkrunner run-1 rows 1-2",
            clientRequestToken: "br-0123456789abcdef",
            changeSetTags: [Tag(key: "run", value: "1")],
            intent: .apply
        )
        let text = String(decoding: try CatalogJSON.encode(request), as: UTF8.self)
        #expect(text.hasPrefix(#"{"Catalog":"AWSMarketplace","ChangeSet":[{"ChangeType":"CreateResaleAuthorization","Entity":{"Type":"ResaleAuthorization@1.0"},"EntityTags":[{"Key":"team","Value":"channel"}],"DetailsDocument":{"ProductId":"prod-1111111111111","Name":"RA","ResellerAccountId":"011111111111"},"ChangeName":"CreateRA"}"#))
        #expect(text.contains(#""Details":"{\"AvailabilityEndDate\":\"2099-12-31\"}""#))
        #expect(text.hasSuffix(#""ChangeSetName":"bulkrunner run-1 rows 1-2","ClientRequestToken":"br-0123456789abcdef","ChangeSetTags":[{"Key":"run","Value":"1"}],"Intent":"APPLY"}"#))
        #expect(!text.contains("null"))
        #expect(try CatalogJSON.decode(StartChangeSetRequest.self, from: Data(text.utf8)) == request)
    }
}
