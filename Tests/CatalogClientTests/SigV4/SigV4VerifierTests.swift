import Hashing
import CatalogClient
import Foundation
import Testing

/// `SigV4Verifier`: accepts what `SigV4Signer` signs, and refuses everything else
/// with the precise reason and the AWS error a service would give.
@Suite("SigV4Verifier")
struct SigV4VerifierTests {
    static let now = Date(timeIntervalSince1970: 1_700_000_000)
    static let longTerm = AWSCredentials(accessKeyId: "AKIAEXAMPLE", secretAccessKey: "secret/one")
    static let temporary = AWSCredentials(accessKeyId: "ASIAEXAMPLE", secretAccessKey: "secret/two", sessionToken: "the-token")

    static let verifier = SigV4Verifier(service: "aws-marketplace", region: "us-east-1") { id in
        [longTerm, temporary].first { $0.accessKeyId == id }
    }

    static func signed(_ credentials: AWSCredentials = longTerm, at date: Date = now, region: String = "us-east-1",
                       service: String = "aws-marketplace", body: String = #"{"Catalog":"AWSMarketplace"}"#) -> HTTPRequest {
        var request = HTTPRequest(method: "POST", url: URL(fileURLWithPath: "/"), headers: [
            ("Content-Type", "application/json"), ("X-Extra", "a  b"), ("User-Agent", "bulkrunner/1.0"),
        ], body: Data(body.utf8))
        if let url = URL(string: "https://catalog.marketplace.us-east-1.amazonaws.com/StartChangeSet?x=1") { request.url = url }
        return SigV4Signer(credentials: credentials, region: region, service: service).sign(request, date: date)
    }

    @Test("accepts its own signer's requests, with and without a session token")
    func accepts() {
        #expect(Self.verifier.verify(Self.signed(), now: Self.now) == .verified(accessKeyId: "AKIAEXAMPLE"))
        #expect(Self.verifier.verify(Self.signed(Self.temporary), now: Self.now) == .verified(accessKeyId: "ASIAEXAMPLE"))
    }

    @Test("accepts a changed unsigned header (User-Agent) and header order")
    func unsignedChangesAreFine() {
        var request = Self.signed()
        request.setHeader("User-Agent", "something else")
        request.headers.reverse()
        #expect(Self.verifier.verify(request, now: Self.now) == .verified(accessKeyId: "AKIAEXAMPLE"))
    }

    @Test("clock skew: up to 5 minutes either way is accepted, more is refused")
    func skew() {
        let request = Self.signed()
        #expect(Self.verifier.verify(request, now: Self.now.addingTimeInterval(300)) == .verified(accessKeyId: "AKIAEXAMPLE"))
        #expect(Self.verifier.verify(request, now: Self.now.addingTimeInterval(-300)) == .verified(accessKeyId: "AKIAEXAMPLE"))
        let late = Self.now.addingTimeInterval(301)
        let outcome = Self.verifier.verify(request, now: late)
        #expect(outcome == .rejected(.requestTimeSkewed(requestTime: Self.now, now: late)))
        if case .rejected(let reason) = outcome {
            #expect(reason.errorType == "InvalidSignatureException" && reason.httpStatus == 403)
            #expect(reason.description.hasPrefix("Signature expired: 20231114T221320Z is now earlier than"))
        }
        let early = Self.now.addingTimeInterval(-301)
        #expect(Self.verifier.verify(request, now: early) == .rejected(.requestTimeSkewed(requestTime: Self.now, now: early)))
    }

    @Test("no Authorization at all")
    func missingAuthentication() {
        var request = Self.signed()
        request.headers.removeAll { $0.name == "Authorization" }
        let outcome = Self.verifier.verify(request, now: Self.now)
        #expect(outcome == .rejected(.missingAuthentication))
        if case .rejected(let reason) = outcome {
            #expect(reason.errorType == "MissingAuthenticationTokenException" && reason.httpStatus == 403)
        }
    }

    @Test("malformed Authorization headers", arguments: [
        "garbage",
        "AWS4-HMAC-SHA1 Credential=AKIAEXAMPLE/20231114/us-east-1/aws-marketplace/aws4_request, SignedHeaders=host, Signature=00",
        "AWS4-HMAC-SHA256 Credential=AKIAEXAMPLE/20231114/us-east-1/aws-marketplace/aws4_request, Signature=00",
        "AWS4-HMAC-SHA256 Credential=AKIAEXAMPLE/20231114/us-east-1/aws-marketplace/aws4_request, SignedHeaders=host",
        "AWS4-HMAC-SHA256 SignedHeaders=host, Signature=00",
        "AWS4-HMAC-SHA256 Credential=AKIAEXAMPLE/20231114/us-east-1, SignedHeaders=host, Signature=00",
        "AWS4-HMAC-SHA256 Credential=AKIAEXAMPLE/20231114/us-east-1/aws-marketplace/aws4_request SignedHeaders=host Signature=00",
    ])
    func malformed(_ authorization: String) {
        var request = Self.signed()
        request.setHeader("Authorization", authorization)
        let outcome = Self.verifier.verify(request, now: Self.now)
        guard case .rejected(.malformedAuthorization(let detail)) = outcome else {
            Issue.record("expected malformedAuthorization, got \(outcome)")
            return
        }
        #expect(!detail.isEmpty)
        #expect(SigV4Rejection.malformedAuthorization(detail).errorType == "IncompleteSignatureException")
        #expect(SigV4Rejection.malformedAuthorization(detail).httpStatus == 400)
    }

    @Test("missing or malformed X-Amz-Date")
    func dates() {
        var request = Self.signed()
        request.headers.removeAll { $0.name == "X-Amz-Date" }
        #expect(Self.verifier.verify(request, now: Self.now) == .rejected(.missingDate))
        request.headers.append(("X-Amz-Date", "2023-11-14T22:13:20Z"))
        #expect(Self.verifier.verify(request, now: Self.now) == .rejected(.malformedDate("2023-11-14T22:13:20Z")))
    }

    @Test("unknown access key")
    func unknownKey() {
        let stranger = AWSCredentials(accessKeyId: "AKIASTRANGER", secretAccessKey: "x")
        let outcome = Self.verifier.verify(Self.signed(stranger), now: Self.now)
        #expect(outcome == .rejected(.unknownAccessKey("AKIASTRANGER")))
        if case .rejected(let reason) = outcome { #expect(reason.errorType == "UnrecognizedClientException") }
    }

    @Test("wrong secret, tampered body, path, query or signed header: signature mismatch with the canonical request")
    func signatureMismatch() throws {
        let wrongSecret = AWSCredentials(accessKeyId: "AKIAEXAMPLE", secretAccessKey: "not-the-secret")
        var tampered: [HTTPRequest] = [Self.signed(wrongSecret)]
        var body = Self.signed()
        body.body = Data(#"{"Catalog":"Other"}"#.utf8)
        tampered.append(body)
        var path = Self.signed()
        path.url = try #require(URL(string: "https://catalog.marketplace.us-east-1.amazonaws.com/ListEntities?x=1"))
        tampered.append(path)
        var query = Self.signed()
        query.url = try #require(URL(string: "https://catalog.marketplace.us-east-1.amazonaws.com/StartChangeSet?x=2"))
        tampered.append(query)
        var header = Self.signed()
        header.setHeader("X-Extra", "changed")
        tampered.append(header)
        var method = Self.signed()
        method.method = "PUT"
        tampered.append(method)
        for request in tampered {
            let outcome = Self.verifier.verify(request, now: Self.now)
            guard case .rejected(.signatureMismatch(let canonical, let stringToSign)) = outcome else {
                Issue.record("expected signatureMismatch, got \(outcome)")
                continue
            }
            #expect(canonical.hasPrefix(request.method + "\n/"))
            #expect(stringToSign.hasPrefix("AWS4-HMAC-SHA256\n20231114T221320Z\n20231114/us-east-1/aws-marketplace/aws4_request\n"))
            #expect(SigV4Rejection.signatureMismatch(canonicalRequest: canonical, stringToSign: stringToSign).description
                .contains("The Canonical String for this request should have been"))
        }
    }

    @Test("a signed header that is no longer in the request")
    func missingSignedHeader() {
        var request = Self.signed()
        request.headers.removeAll { $0.name == "X-Extra" }
        #expect(Self.verifier.verify(request, now: Self.now) == .rejected(.missingSignedHeader("x-extra")))
        #expect(SigV4Rejection.missingSignedHeader("x-extra").errorType == "IncompleteSignatureException")
    }

    @Test("host must be signed")
    func hostMustBeSigned() throws {
        var request = Self.signed()
        let authorization = try #require(request.header("Authorization"))
        request.setHeader("Authorization", authorization.replacingOccurrences(of: "host;", with: ""))
        #expect(Self.verifier.verify(request, now: Self.now) == .rejected(.requiredHeaderNotSigned("host")))
    }

    @Test("scope: another region, service or date is refused")
    func scope() {
        for request in [Self.signed(region: "eu-west-1"), Self.signed(service: "execute-api")] {
            guard case .rejected(.credentialScopeMismatch) = Self.verifier.verify(request, now: Self.now) else {
                Issue.record("expected credentialScopeMismatch")
                continue
            }
        }
        var otherDay = Self.signed()
        otherDay.setHeader("Authorization", (otherDay.header("Authorization") ?? "").replacingOccurrences(of: "/20231114/", with: "/20231113/"))
        guard case .rejected(.credentialScopeMismatch) = Self.verifier.verify(otherDay, now: Self.now) else {
            Issue.record("expected credentialScopeMismatch for the scope date")
            return
        }
        let anyRegion = SigV4Verifier(service: "aws-marketplace") { $0 == Self.longTerm.accessKeyId ? Self.longTerm : nil }
        #expect(anyRegion.verify(Self.signed(region: "eu-west-1"), now: Self.now) == .verified(accessKeyId: "AKIAEXAMPLE"))
    }

    @Test("session token: missing, wrong, or sent with long-term keys")
    func sessionToken() {
        var missing = Self.signed(Self.temporary)
        missing.headers.removeAll { $0.name == "X-Amz-Security-Token" }
        #expect(Self.verifier.verify(missing, now: Self.now) == .rejected(.invalidSessionToken))
        let wrong = Self.signed(AWSCredentials(accessKeyId: "ASIAEXAMPLE", secretAccessKey: "secret/two", sessionToken: "forged"))
        #expect(Self.verifier.verify(wrong, now: Self.now) == .rejected(.invalidSessionToken))
        let unexpected = Self.signed(AWSCredentials(accessKeyId: "AKIAEXAMPLE", secretAccessKey: "secret/one", sessionToken: "t"))
        #expect(Self.verifier.verify(unexpected, now: Self.now) == .rejected(.invalidSessionToken))
    }

    @Test("x-amz-content-sha256 must match the body")
    func payloadHash() {
        let signer = SigV4Signer(credentials: Self.longTerm, region: "us-east-1", service: "aws-marketplace",
                                 options: .init(addContentSHA256Header: true))
        guard let url = URL(string: "https://h.example/x") else { return }
        var request = signer.sign(HTTPRequest(method: "POST", url: url, body: Data("abc".utf8)), date: Self.now)
        #expect(Self.verifier.verify(request, now: Self.now) == .verified(accessKeyId: "AKIAEXAMPLE"))
        request.body = Data("abd".utf8)
        #expect(Self.verifier.verify(request, now: Self.now) == .rejected(.payloadHashMismatch))
    }

    @Test("presigned URLs: accepted until X-Amz-Expires, refused after")
    func presigned() {
        guard let url = URL(string: "https://h.example/DescribeEntity?catalog=AWSMarketplace&entityId=e-1") else { return }
        let signer = SigV4Signer(credentials: Self.temporary, region: "us-east-1", service: "aws-marketplace")
        let request = signer.presign(HTTPRequest(method: "GET", url: url), date: Self.now, expires: 600)
        #expect(Self.verifier.verify(request, now: Self.now.addingTimeInterval(599)) == .verified(accessKeyId: "ASIAEXAMPLE"))
        let later = Self.now.addingTimeInterval(601)
        #expect(Self.verifier.verify(request, now: later)
            == .rejected(.expired(expiry: Self.now.addingTimeInterval(600), now: later)))
        var tampered = request
        if let other = URL(string: (request.url.absoluteString).replacingOccurrences(of: "e-1", with: "e-2")) { tampered.url = other }
        guard case .rejected(.signatureMismatch) = Self.verifier.verify(tampered, now: Self.now) else {
            Issue.record("expected signatureMismatch for a tampered presigned URL")
            return
        }
    }
}
