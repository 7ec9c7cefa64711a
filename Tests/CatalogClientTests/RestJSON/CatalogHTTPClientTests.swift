import Hashing
import CatalogClient
import CatalogModels
import Foundation
import Testing

/// `CatalogHTTPClient`: exact requests per operation, response and error decoding,
/// the plain-http refusal.
@Suite("CatalogHTTPClient")
struct CatalogHTTPClientTests {
    typealias Fixture = RestJSONFixture

    /// One operation call and the request it must produce.
    struct Expectation: Sendable, CustomTestStringConvertible {
        var name: String
        var call: @Sendable (CatalogHTTPClient) async throws -> Void
        var method: String
        var url: String
        var body: String?
        var testDescription: String { name }
    }

    static let change = Change(changeType: "CreateResaleAuthorization", entity: Entity(type: "ResaleAuthorization@1.0"),
                               detailsDocument: ["Name": "RA é", "ResellerAccountId": "123456789012"], changeName: "RA1")

    static let expectations: [Expectation] = [
        Expectation(name: "StartChangeSet", call: { _ = try await $0.startChangeSet(
            StartChangeSetRequest(changeSet: [change], changeSetName: "run 1", clientRequestToken: "tok-1")) },
            method: "POST", url: "https://catalog.marketplace.us-east-1.amazonaws.com/StartChangeSet",
            body: #"{"Catalog":"AWSMarketplace","ChangeSet":[{"ChangeType":"CreateResaleAuthorization","Entity":{"Type":"ResaleAuthorization@1.0"},"DetailsDocument":{"Name":"RA é","ResellerAccountId":"123456789012"},"ChangeName":"RA1"}],"ChangeSetName":"run 1","ClientRequestToken":"tok-1"}"#),
        Expectation(name: "DescribeChangeSet", call: { _ = try await $0.describeChangeSet(DescribeChangeSetRequest(changeSetId: "cs 1/é")) },
                    method: "GET",
                    url: "https://catalog.marketplace.us-east-1.amazonaws.com/DescribeChangeSet?catalog=AWSMarketplace&changeSetId=cs%201%2F%C3%A9",
                    body: nil),
        Expectation(name: "ListChangeSets", call: { _ = try await $0.listChangeSets(ListChangeSetsRequest(
            filterList: [Filter(name: "ChangeSetName", valueList: ["a", "b"])], maxResults: 20)) },
            method: "POST", url: "https://catalog.marketplace.us-east-1.amazonaws.com/ListChangeSets",
            body: #"{"Catalog":"AWSMarketplace","FilterList":[{"Name":"ChangeSetName","ValueList":["a","b"]}],"MaxResults":20}"#),
        Expectation(name: "CancelChangeSet", call: { _ = try await $0.cancelChangeSet(CancelChangeSetRequest(changeSetId: "cs-1")) },
                    method: "PATCH",
                    url: "https://catalog.marketplace.us-east-1.amazonaws.com/CancelChangeSet?catalog=AWSMarketplace&changeSetId=cs-1",
                    body: nil),
        Expectation(name: "DescribeEntity", call: { _ = try await $0.describeEntity(DescribeEntityRequest(entityId: "resaleauthz-~1.x_y")) },
                    method: "GET",
                    url: "https://catalog.marketplace.us-east-1.amazonaws.com/DescribeEntity?catalog=AWSMarketplace&entityId=resaleauthz-~1.x_y",
                    body: nil),
        Expectation(name: "ListEntities", call: { _ = try await $0.listEntities(ListEntitiesRequest(
            entityType: "ResaleAuthorization", nextToken: "n/+=", maxResults: 50)) },
            method: "POST", url: "https://catalog.marketplace.us-east-1.amazonaws.com/ListEntities",
            body: #"{"Catalog":"AWSMarketplace","EntityType":"ResaleAuthorization","NextToken":"n/+=","MaxResults":50}"#),
        Expectation(name: "BatchDescribeEntities", call: { _ = try await $0.batchDescribeEntities(BatchDescribeEntitiesRequest(
            entityRequestList: [EntityRequest(entityId: "e-1"), EntityRequest(entityId: "e-2")])) },
            method: "POST", url: "https://catalog.marketplace.us-east-1.amazonaws.com/BatchDescribeEntities",
            body: #"{"EntityRequestList":[{"Catalog":"AWSMarketplace","EntityId":"e-1"},{"Catalog":"AWSMarketplace","EntityId":"e-2"}]}"#),
    ]

    @Test("each operation: exact method, URL, body and signed headers", arguments: expectations)
    func request(_ expectation: Expectation) async throws {
        let transport = ScriptedTransport()
        try await expectation.call(try Fixture.client(transport))
        let sent = await transport.requests
        try #require(sent.count == 1)
        let request = sent[0]
        #expect(request.method == expectation.method)
        #expect(request.url.absoluteString == expectation.url)
        #expect(request.body == Data((expectation.body ?? "").utf8))
        let names = request.headers.map(\.name)
        let authorization = try #require(request.header("Authorization"))
        if expectation.body != nil {
            #expect(names == ["Host", "User-Agent", "Content-Type", "X-Amz-Date", "Authorization"])
            #expect(request.header("Content-Type") == "application/json")
            #expect(authorization.contains("SignedHeaders=content-type;host;x-amz-date, "))
        } else {
            #expect(names == ["Host", "User-Agent", "X-Amz-Date", "Authorization"])
            #expect(authorization.contains("SignedHeaders=host;x-amz-date, "))
        }
        #expect(request.header("Host") == "catalog.marketplace.us-east-1.amazonaws.com")
        #expect(request.header("User-Agent") == "bulkrunner/1.2.3")
        #expect(request.header("X-Amz-Date") == "20240506T070809Z")
        #expect(authorization.hasPrefix("AWS4-HMAC-SHA256 Credential=AKIAIOSFODNN7EXAMPLE/20240506/us-east-1/aws-marketplace/aws4_request, "))
        #expect(Fixture.verifier.verify(request, now: Fixture.now) == .verified(accessKeyId: "AKIAIOSFODNN7EXAMPLE"))
    }

    @Test("Authorization equals botocore's for the same request (golden values from botocore 1.43)")
    func goldenAuthorization() async throws {
        let transport = ScriptedTransport()
        _ = try await Fixture.client(transport).listChangeSets(ListChangeSetsRequest(maxResults: 20))
        let temporary = AWSCredentials(accessKeyId: Fixture.credentials.accessKeyId,
                                       secretAccessKey: Fixture.credentials.secretAccessKey, sessionToken: "session-token")
        _ = try await Fixture.client(transport, credentials: temporary).describeChangeSet(DescribeChangeSetRequest(changeSetId: "cs 1/é"))
        let sent = await transport.requests
        try #require(sent.count == 2)
        #expect(sent[0].body == Data(#"{"Catalog":"AWSMarketplace","MaxResults":20}"#.utf8))
        #expect(sent[0].header("Authorization") == "AWS4-HMAC-SHA256 Credential=AKIAIOSFODNN7EXAMPLE/20240506/us-east-1/aws-marketplace/aws4_request, SignedHeaders=content-type;host;x-amz-date, Signature=c62be8a0a93ccada6b26eeae7673dfc826afda6e3e98875884b7ea846ffc0414")
        #expect(sent[1].header("X-Amz-Security-Token") == "session-token")
        #expect(sent[1].header("Authorization") == "AWS4-HMAC-SHA256 Credential=AKIAIOSFODNN7EXAMPLE/20240506/us-east-1/aws-marketplace/aws4_request, SignedHeaders=host;x-amz-date;x-amz-security-token, Signature=b9248b843a8adfea5d7d802de56f338beafd2a001fdac1ce8957a25185ad67e5")
    }

    @Test("an endpoint with a port and a path prefix (the emulator on loopback)")
    func endpointWithPathPrefix() async throws {
        let transport = ScriptedTransport()
        let client = try Fixture.client(transport, endpoint: URL(string: "http://127.0.0.1:4566/catalog/"))
        _ = try await client.describeEntity(DescribeEntityRequest(entityId: "e-1"))
        let sent = await transport.requests
        #expect(sent.first?.url.absoluteString == "http://127.0.0.1:4566/catalog/DescribeEntity?catalog=AWSMarketplace&entityId=e-1")
        #expect(sent.first?.header("Host") == "127.0.0.1:4566")
    }

    @Test("plain http is refused unless the host is this machine", arguments: [
        ("http://catalog.marketplace.us-east-1.amazonaws.com", false), ("http://10.0.0.1:8080", false),
        ("http://localhost.example.com", false), ("http://127.0.0.1:4566", true), ("http://127.9.9.9", true),
        ("http://localhost:8080", true), ("http://[::1]:9000", true), ("https://catalog.example.com", true),
    ])
    func plainHTTPRefusal(_ endpoint: String, _ allowed: Bool) throws {
        let make = { try Fixture.client(ScriptedTransport(), endpoint: URL(string: endpoint)) }
        #if canImport(FoundationNetworking)
        if endpoint.contains("[") {
            // Allowed as this machine, but refused on Linux as unreachable (RegionAndEndpointTests).
            let error = try #require(throws: CatalogClientError.self) { _ = try make() }
            #expect(error.code == .invalidEndpoint && error.description.contains("http://127.0.0.1:9000"))
            return
        }
        #endif
        if allowed {
            #expect(throws: Never.self) { _ = try make() }
        } else {
            let error = try #require(throws: CatalogClientError.self) { _ = try make() }
            #expect(error.code == .insecureEndpoint)
            #expect(error.description.contains("unencrypted"))
        }
    }

    @Test("2xx bodies decode as each operation's response")
    func responses() async throws {
        let transport = ScriptedTransport([
            ScriptedTransport.json(200, #"{"ChangeSetId":"cs-1","ChangeSetArn":"arn:aws:catalog:us-east-1:123456789012:ChangeSet/cs-1"}"#),
            ScriptedTransport.json(200, #"{"ChangeSetId":"cs-1","Status":"SUCCEEDED","StartTime":"2024-05-06T07:08:09.123Z","ChangeSet":[]}"#),
            ScriptedTransport.json(200, #"{"ChangeSetSummaryList":[{"ChangeSetId":"cs-1","Status":"APPLYING","EntityIdList":["e-1"]}],"NextToken":"n"}"#),
            ScriptedTransport.json(200, #"{"ChangeSetId":"cs-1"}"#),
            ScriptedTransport.json(200, #"{"EntityType":"ResaleAuthorization@1.0","DetailsDocument":{"Status":"Draft"},"Details":"{}"}"#),
            ScriptedTransport.json(200, #"{"EntitySummaryList":[],"NextToken":null}"#),
            ScriptedTransport.json(200, #"{"EntityDetails":{},"Errors":{}}"#),
            .response(HTTPResponse(status: 200)),
        ])
        let client = try Fixture.client(transport)
        #expect(try await client.startChangeSet(StartChangeSetRequest(changeSet: [Self.change])).changeSetId == "cs-1")
        let described = try await client.describeChangeSet(DescribeChangeSetRequest(changeSetId: "cs-1"))
        #expect(described.status == .succeeded && described.startTime == "2024-05-06T07:08:09.123Z")
        #expect(try await client.listChangeSets(ListChangeSetsRequest()).changeSetSummaryList?.first?.entityIdList == ["e-1"])
        #expect(try await client.cancelChangeSet(CancelChangeSetRequest(changeSetId: "cs-1")).changeSetId == "cs-1")
        #expect(try await client.describeEntity(DescribeEntityRequest(entityId: "e-1")).detailsDocument?["Status"] == "Draft")
        #expect(try await client.listEntities(ListEntitiesRequest(entityType: "Offer")).entitySummaryList == [])
        #expect(try await client.batchDescribeEntities(BatchDescribeEntitiesRequest(entityRequestList: [EntityRequest(entityId: "e")])).errors == [:])
        #expect(try await client.cancelChangeSet(CancelChangeSetRequest(changeSetId: "cs-1")).changeSetId == nil, "empty body reads as {}")
    }

    /// An error response and the `CatalogError` it must become.
    struct ErrorCase: Sendable, CustomTestStringConvertible {
        var status: Int
        var type: String?
        var body: String
        var code: CatalogError.Code
        var message: String
        var retryable: Bool
        var testDescription: String { "\(status) \(type ?? "(no header)")" }
    }

    static let errorCases: [ErrorCase] = [
        ErrorCase(status: 429, type: "ThrottlingException:http://internal.amazon.com/coral/com.amazonaws.marketplacecatalog/",
                  body: #"{"Message":"Rate exceeded"}"#, code: .throttling, message: "Rate exceeded", retryable: true),
        ErrorCase(status: 423, type: "ResourceInUseException", body: #"{"message":"Entity e-1 is locked"}"#,
                  code: .resourceInUse, message: "Entity e-1 is locked", retryable: true),
        ErrorCase(status: 402, type: "ServiceQuotaExceededException:ns", body: #"{"Message":"Too many open change sets"}"#,
                  code: .serviceQuotaExceeded, message: "Too many open change sets", retryable: true),
        ErrorCase(status: 422, type: "ValidationException", body: #"{"message":"1 validation error detected"}"#,
                  code: .validation, message: "1 validation error detected", retryable: false),
        ErrorCase(status: 403, type: "AccessDeniedException:x", body: #"{"Message":"not authorized"}"#,
                  code: .accessDenied, message: "not authorized", retryable: false),
        ErrorCase(status: 404, type: "ResourceNotFoundException", body: #"{"Message":"no such change set"}"#,
                  code: .resourceNotFound, message: "no such change set", retryable: false),
        ErrorCase(status: 415, type: "ResourceNotSupportedException", body: #"{"message":"unsupported"}"#,
                  code: .resourceNotSupported, message: "unsupported", retryable: false),
        ErrorCase(status: 500, type: "InternalServiceException:http://internal", body: #"{"Message":"oops"}"#,
                  code: .internalService, message: "oops", retryable: true),
        ErrorCase(status: 403, type: "InvalidSignatureException", body: #"{"message":"Signature expired"}"#,
                  code: .invalidSignature, message: "Signature expired", retryable: false),
        ErrorCase(status: 403, type: "UnrecognizedClientException", body: #"{"message":"The security token included in the request is invalid."}"#,
                  code: .unrecognizedClient, message: "The security token included in the request is invalid.", retryable: false),
        ErrorCase(status: 403, type: "MissingAuthenticationTokenException", body: #"{"message":"Missing Authentication Token"}"#,
                  code: .missingAuthenticationToken, message: "Missing Authentication Token", retryable: false),
        ErrorCase(status: 403, type: "ExpiredTokenException", body: #"{"message":"The security token included in the request is expired"}"#,
                  code: .expiredToken, message: "The security token included in the request is expired", retryable: false),
        ErrorCase(status: 400, type: "IncompleteSignatureException", body: #"{"message":"Authorization header requires 'Credential'"}"#,
                  code: .incompleteSignature, message: "Authorization header requires 'Credential'", retryable: false),
        ErrorCase(status: 404, type: nil, body: #"{"__type":"aws.marketplace#ResourceNotFoundException","Message":"gone"}"#,
                  code: .resourceNotFound, message: "gone", retryable: false),
        ErrorCase(status: 503, type: nil, body: "<html>Service Unavailable</html>",
                  code: .internalService, message: "<html>Service Unavailable</html>", retryable: true),
    ]

    @Test("error responses decode per rest-json", arguments: errorCases)
    func errors(_ errorCase: ErrorCase) async throws {
        var headers: [(name: String, value: String)] = [(name: "x-amzn-RequestId", value: "req-123")]
        if let type = errorCase.type { headers.append((name: "x-amzn-ErrorType", value: type)) }
        let transport = ScriptedTransport([.response(HTTPResponse(status: errorCase.status, headers: headers, body: Data(errorCase.body.utf8)))])
        let error = try await #require(throws: CatalogError.self) {
            _ = try await Fixture.client(transport).describeChangeSet(DescribeChangeSetRequest(changeSetId: "cs-1"))
        }
        #expect(error.code == errorCase.code)
        #expect(error.message == errorCase.message)
        #expect(error.requestId == "req-123")
        #expect(error.httpStatus == errorCase.status)
        #expect(error.isRetryable == errorCase.retryable)
    }

    @Test("a 2xx body that is not the response shape is a SerializationException with the request id")
    func unreadableSuccess() async throws {
        let transport = ScriptedTransport([ScriptedTransport.json(200, "not json", headers: [(name: "x-amzn-RequestId", value: "r-9")])])
        let error = try await #require(throws: CatalogError.self) {
            _ = try await Fixture.client(transport).describeEntity(DescribeEntityRequest(entityId: "e-1"))
        }
        #expect(error.code == .serialization && error.requestId == "r-9" && error.httpStatus == 200)
        #expect(error.message.contains("DescribeEntity"))
    }

    @Test("transport failures: CatalogError passes through, anything else is a reset (it may have been applied)")
    func transportFailures() async throws {
        struct Odd: Error {}
        let transport = ScriptedTransport([.failure(CatalogError(.timeout, message: "no answer in 30 s")), .failure(Odd())])
        let client = try Fixture.client(transport)
        let timeout = try await #require(throws: CatalogError.self) { _ = try await client.listChangeSets(ListChangeSetsRequest()) }
        #expect(timeout.code == .timeout && timeout.isRetryable)
        let other = try await #require(throws: CatalogError.self) { _ = try await client.listChangeSets(ListChangeSetsRequest()) }
        #expect(other.code == .connectionReset && other.message.contains("ListChangeSets") && other.isRetryable)
    }

    @Test("missing credentials: a CatalogError naming the operation, nothing sent")
    func credentialsFailure() async throws {
        let transport = ScriptedTransport()
        guard let endpoint = Fixture.endpoint else { return }
        let client = try CatalogHTTPClient(endpoint: endpoint, region: "us-east-1", credentials: FailingCredentials(),
                                           transport: transport, version: "1.2.3", clock: { Fixture.now })
        let error = try await #require(throws: CatalogError.self) { _ = try await client.startChangeSet(StartChangeSetRequest(changeSet: [Self.change])) }
        #expect(error.code == .unknown("CredentialsUnavailable") && !error.isRetryable)
        #expect(error.message.contains("StartChangeSet") && error.message.contains("no credentials anywhere"))
        #expect(await transport.requests.isEmpty)
    }

    @Test("the clock dates the signature")
    func clock() async throws {
        let transport = ScriptedTransport()
        guard let endpoint = Fixture.endpoint else { return }
        let client = try CatalogHTTPClient(endpoint: endpoint, region: "eu-west-1", credentials: StaticCredentialsProvider(Fixture.credentials),
                                           transport: transport, version: "9", clock: { Date(timeIntervalSince1970: 0) })
        _ = try await client.listEntities(ListEntitiesRequest(entityType: "Offer"))
        let request = try #require(await transport.requests.first)
        #expect(request.header("X-Amz-Date") == "19700101T000000Z")
        #expect(request.header("Authorization")?.contains("/19700101/eu-west-1/aws-marketplace/aws4_request") == true)
        #expect(request.header("User-Agent") == "bulkrunner/9")
    }

    @Test("every call carries the per-attempt deadline; none by default; nonsense means none")
    func attemptTimeout() async throws {
        guard let endpoint = Fixture.endpoint else { return }
        let transport = ScriptedTransport()
        func client(_ timeout: TimeInterval?) throws -> CatalogHTTPClient {
            try CatalogHTTPClient(endpoint: endpoint, region: "us-east-1", credentials: StaticCredentialsProvider(Fixture.credentials),
                                  transport: transport, version: "9", clock: { Fixture.now }, attemptTimeout: timeout)
        }
        _ = try await client(7).startChangeSet(StartChangeSetRequest(changeSet: [Self.change], clientRequestToken: "t"))
        _ = try await client(7).describeChangeSet(DescribeChangeSetRequest(changeSetId: "cs-1"))
        _ = try await client(nil).listEntities(ListEntitiesRequest(entityType: "Offer"))
        _ = try await client(0).listEntities(ListEntitiesRequest(entityType: "Offer"))
        _ = try await client(-.infinity).listEntities(ListEntitiesRequest(entityType: "Offer"))
        _ = try await client(7).listEntities(ListEntitiesRequest(entityType: "Offer"))
        #expect(await transport.requests.map(\.timeout) == [7, 7, nil, nil, nil, 7])
        // The deadline is not signed: the same call with and without it has the same signature.
        let requests = await transport.requests
        #expect(requests[2].header("Authorization") != nil)
        #expect(requests[2].header("Authorization") == requests[5].header("Authorization"))
        #expect(try client(7).httpRequest(for: ListEntitiesRequest(entityType: "Offer")).timeout == 7)
    }
}
