@testable import CatalogClient
import CatalogModels
import Foundation
import Testing

/// Regression tests from the adversarial review of the client: secrets in every textual
/// form, the SDKs' retryable codes, and the token AWS echoes in signature errors.
@Suite("Review: secrets, retries, echoes")
struct ClientReviewTests {
    static let secret = "wJalrXUtnFEMI-review-secret"
    static let token = "FwoGZXIvYXdzEreview+session/token=="
    static let bearer = "container-bearer-review-token"
    static let credentials = AWSCredentials(accessKeyId: "AKIDREVIEW", secretAccessKey: secret, sessionToken: token)

    /// Every way a value can end up as text: interpolation, `String(reflecting:)`, `dump`.
    static func renderings(_ value: Any) -> [String] {
        var dumped = ""
        dump(value, to: &dumped)
        return ["\(value)", String(reflecting: value), dumped]
    }

    static func expectNoSecrets(_ value: Any, sourceLocation: SourceLocation = #_sourceLocation) {
        for text in renderings(value) {
            for secret in [secret, token, URIEncoding.encode(token), bearer, "EC2-METADATA-review-token"] {
                #expect(!text.contains(secret), "\(text)", sourceLocation: sourceLocation)
            }
        }
    }

    @Test("signed requests, signing stages and credentials print no secret, even through dump")
    func noSecretsInAnyRendering() throws {
        let url = try #require(URL(string: "https://catalog.marketplace.us-east-1.amazonaws.com/DescribeEntity?entityId=e-1"))
        let signer = SigV4Signer(credentials: Self.credentials, region: "us-east-1", service: "aws-marketplace")
        let date = Date(timeIntervalSince1970: 1_714_979_289)
        let signed = signer.sign(HTTPRequest(method: "GET", url: url), date: date)
        #expect(signed.header("X-Amz-Security-Token") == Self.token, "the request itself still carries the token")
        Self.expectNoSecrets(signed)
        Self.expectNoSecrets(SignableRequest(signed))
        Self.expectNoSecrets(signer.headerSignature(for: SignableRequest(HTTPRequest(method: "GET", url: url)), date: date))
        Self.expectNoSecrets(signer.presign(HTTPRequest(method: "GET", url: url), date: date, expires: 60))
        Self.expectNoSecrets(Self.credentials)
        Self.expectNoSecrets(signer)
        let container = HTTPRequest(method: "GET", url: URL(string: "http://169.254.170.2/v2/creds")!,
                                    headers: [("Authorization", Self.bearer)])
        Self.expectNoSecrets(container)
        let imds = HTTPRequest(method: "GET", url: URL(string: "http://169.254.169.254/latest/meta-data/")!,
                               headers: [("X-aws-ec2-metadata-token", "EC2-METADATA-review-token")])
        Self.expectNoSecrets(imds)
        // What stays visible: enough to debug.
        #expect("\(signed)".contains("Credential=AKIDREVIEW/20240506/us-east-1/aws-marketplace/aws4_request"))
        #expect("\(signed)".contains("DescribeEntity?entityId=e-1"))
    }

    @Test("a signature mismatch names the canonical request without the session token")
    func verifierRejectionHasNoToken() throws {
        let url = try #require(URL(string: "https://catalog.marketplace.us-east-1.amazonaws.com/ListEntities"))
        let date = Date(timeIntervalSince1970: 1_714_979_289)
        let wrong = AWSCredentials(accessKeyId: "AKIDREVIEW", secretAccessKey: "not-the-secret", sessionToken: Self.token)
        let signed = SigV4Signer(credentials: wrong, region: "us-east-1", service: "aws-marketplace")
            .sign(HTTPRequest(method: "POST", url: url, body: Data("{}".utf8)), date: date)
        let verifier = SigV4Verifier(service: "aws-marketplace", region: "us-east-1") { _ in Self.credentials }
        guard case .rejected(let rejection) = verifier.verify(signed, now: date) else {
            Issue.record("a request signed with the wrong secret must be refused")
            return
        }
        #expect(rejection.errorType == "InvalidSignatureException")
        #expect(rejection.description.contains("x-amz-security-token:<redacted>"))
        #expect(!rejection.description.contains(Self.token))
    }

    @Test("the client strips its session token from an error the service echoes it in")
    func echoedTokenIsScrubbed() async throws {
        // What the AWS front door answers to a bad signature: the canonical request it expected, token included.
        let echo = "The request signature we calculated does not match the signature you provided.\\n\\n"
            + "The Canonical String for this request should have been\\n'GET\\n/DescribeEntity\\ncatalog=AWSMarketplace&entityId=e-1\\n"
            + "host:catalog.marketplace.us-east-1.amazonaws.com\\nx-amz-date:20240506T070809Z\\n"
            + "x-amz-security-token:\(Self.token)\\n\\nhost;x-amz-date;x-amz-security-token\\ne3b0'\\n(token \(Self.token))"
        let transport = ScriptedTransport([ScriptedTransport.json(
            403, "{\"message\":\"\(echo)\"}", headers: [(name: "x-amzn-ErrorType", value: "InvalidSignatureException")])])
        let client = try RestJSONFixture.client(transport, credentials: Self.credentials)
        let error = try await #require(throws: CatalogError.self) {
            _ = try await client.describeEntity(DescribeEntityRequest(entityId: "e-1"))
        }
        #expect(error.code == .invalidSignature)
        #expect(error.message.contains("The Canonical String"))
        #expect(!error.message.contains(Self.token) && !"\(error)".contains(Self.token))
        let sent = await transport.requests
        #expect(sent.first?.header("X-Amz-Security-Token") == Self.token, "the token is still sent")
    }

    @Test("the SDKs' standard-mode throttling and transient codes are retried at any status; back-pressure is not",
          arguments: [
              ("TooManyRequestsException", 400, true), ("RequestTimeoutException", 408, true),
              ("PriorRequestNotComplete", 400, true), ("RequestLimitExceeded", 400, true),
              ("ThrottlingException", 400, true), ("ResourceInUseException", 423, false),
              ("ServiceQuotaExceededException", 402, false), ("ValidationException", 422, false),
              ("ConflictException", 409, false), ("InvalidSignatureException", 403, false),
          ])
    func standardModeCodes(name: String, status: Int, retried: Bool) {
        let error = CatalogError(status: status, headers: [(name: "x-amzn-ErrorType", value: name)], body: Data())
        #expect(RetryPolicy.standard.isRetryable(error) == retried)
        let decision = RetryPolicy.standard.decide(after: error, attempt: 1, random: 0.5)
        #expect((decision != .giveUp(.notRetryable)) == retried)
    }
}

extension ClientReviewTests {
    @Test("full jitter stays within [0, ceiling] whatever the random source gives, NaN and infinities included")
    func jitterBounds() {
        let policy = RetryPolicy(maxAttempts: 10, baseDelay: 0.5, maxDelay: 20)
        let error = CatalogError(.throttling, message: "Rate exceeded", httpStatus: 429)
        for attempt in 1..<10 {
            for random in [-1, 0, 0.25, 0.999_999, 1, 7, .nan, .infinity, -.infinity] as [Double] {
                guard case .retry(let delay) = policy.decide(after: error, attempt: attempt, random: random) else {
                    Issue.record("attempt \(attempt) must be retried")
                    continue
                }
                #expect(delay >= 0 && delay <= policy.ceiling(beforeRetry: attempt), "random \(random) → \(delay)")
            }
        }
    }
}
