import CatalogClient
import CatalogModels
import Foundation
import Testing

/// Agreement with the AWS SDK: for requests serialised by botocore's own
/// `marketplace-catalog` client (captured by `scripts/sigv4-interop.py` before sending),
/// `CatalogHTTPClient` must produce the same method, the same URL byte for byte, the
/// same JSON body (as parsed JSON: botocore writes `", "` separators and `\u` escapes)
/// and the same Content-Type.
///
/// Reads `CATALOG_SDK_FILE`, else the committed `botocore-serialization.json` beside this file.
@Suite("Catalog SDK agreement (botocore serializer)")
struct CatalogSDKAgreementTests {
    static let fixtureURL: URL = {
        if let path = ProcessInfo.processInfo.environment["CATALOG_SDK_FILE"], !path.isEmpty {
            return URL(fileURLWithPath: path)
        }
        return URL(fileURLWithPath: "\(#filePath)").deletingLastPathComponent().appendingPathComponent("botocore-serialization.json")
    }()

    static let fixtureExists = FileManager.default.fileExists(atPath: fixtureURL.path)

    @Test("every operation serialises as botocore serialises it",
          .enabled(if: fixtureExists, "no botocore-serialization.json and no CATALOG_SDK_FILE"))
    func agreement() async throws {
        let document = try JSONValue(parsing: Data(contentsOf: Self.fixtureURL))
        let cases = try #require(document["cases"]?.arrayValue)
        let endpoint = try #require(document["endpoint"]?.stringValue.flatMap(URL.init(string:)))
        let client = try CatalogHTTPClient(endpoint: endpoint, region: "us-east-1",
                                           credentials: StaticCredentialsProvider(RestJSONFixture.credentials),
                                           transport: ScriptedTransport(), version: "1.0", clock: { RestJSONFixture.now })
        var identical = 0
        for (index, item) in cases.enumerated() {
            let operation = item["operation"]?.stringValue ?? "?"
            let input = item["input"] ?? .null
            let request = try Self.httpRequest(client, operation: operation, input: input)
            var problems: [String] = []
            if request.method != item["method"]?.stringValue { problems.append("method \(request.method)") }
            if request.url.absoluteString != item["url"]?.stringValue {
                problems.append("url \(request.url.absoluteString) ≠ \(item["url"]?.stringValue ?? "")")
            }
            let expectedText: String? = item["body"]?.stringValue
            let expectedBody: JSONValue? = try expectedText.map { try JSONValue(parsing: $0) }
            let ourBody: JSONValue? = request.body.isEmpty ? Optional.none : try JSONValue(parsing: request.body)
            if ourBody != expectedBody {
                problems.append("body \(String(decoding: request.body, as: UTF8.self)) ≠ \(item["body"]?.stringValue ?? "none")")
            }
            if request.header("Content-Type") != item["content_type"]?.stringValue {
                problems.append("content type \(request.header("Content-Type") ?? "none")")
            }
            if problems.isEmpty {
                identical += 1
            } else {
                Issue.record("SDK mismatch in case \(index) (\(operation)): \(problems.joined(separator: "; "))")
            }
        }
        print("SDK agreement: \(identical)/\(cases.count) identical (\(Self.fixtureURL.lastPathComponent))")
        #expect(identical == cases.count)
        #expect(Set(cases.compactMap { $0["operation"]?.stringValue }) == Set(CatalogOperation.allCases.map(\.name)))
    }

    /// Our request for botocore's input parameters (which use the wire member names).
    static func httpRequest(_ client: CatalogHTTPClient, operation: String, input: JSONValue) throws -> HTTPRequest {
        func string(_ key: String) -> String { input[key]?.stringValue ?? "" }
        switch CatalogOperation(rawValue: operation) {
        case .startChangeSet: return try client.httpRequest(for: CatalogJSON.decode(StartChangeSetRequest.self, from: input))
        case .listChangeSets: return try client.httpRequest(for: CatalogJSON.decode(ListChangeSetsRequest.self, from: input))
        case .listEntities: return try client.httpRequest(for: CatalogJSON.decode(ListEntitiesRequest.self, from: input))
        case .batchDescribeEntities:
            return try client.httpRequest(for: CatalogJSON.decode(BatchDescribeEntitiesRequest.self, from: input))
        case .describeChangeSet:
            return try client.httpRequest(for: DescribeChangeSetRequest(catalog: string("Catalog"), changeSetId: string("ChangeSetId")))
        case .cancelChangeSet:
            return try client.httpRequest(for: CancelChangeSetRequest(catalog: string("Catalog"), changeSetId: string("ChangeSetId")))
        case .describeEntity:
            return try client.httpRequest(for: DescribeEntityRequest(catalog: string("Catalog"), entityId: string("EntityId")))
        case nil:
            throw CatalogError(.validation, message: "unknown operation \(operation)")
        }
    }
}
