import CatalogModels
import Foundation

/// The AWS Marketplace Catalog API over HTTPS: rest-json requests signed with SigV4
/// (signing name `aws-marketplace`), sent through an `HTTPTransport`.
///
/// Each call builds the request from the operation's binding (`CatalogOperation`:
/// method, path, query members; the rest is the JSON body), adds `Host` and
/// `User-Agent: bulkrunner/<version>`, signs it with the provider's current
/// credentials at the injected clock's time, sends it once, and decodes a 2xx body as
/// the operation's response or any other answer as a `CatalogError` (rest-json error
/// rules: `x-amzn-ErrorType` with its `:namespace` cut, `Message`/`message`).
///
/// Deliberately does **not** retry: the engine owns retries, rate limits and
/// idempotency. One-off callers (`bulkrunner api`) wrap calls in `RetryPolicy.withRetries`.
/// Does not fill in a missing `ClientRequestToken` either: a request is sent exactly
/// as given, so the same value sent twice is the same request.
///
/// Every method throws `CatalogError` only (cancellation excepted: a cancelled task's
/// `CancellationError` from the transport passes through).
public struct CatalogHTTPClient: CatalogAPI {
    /// The signing name of the Catalog API (not its endpoint prefix).
    public static let signingName = "aws-marketplace"

    /// The endpoint, e.g. `https://catalog.marketplace.us-east-1.amazonaws.com`; operation
    /// paths are appended to its path.
    public let endpoint: URL
    /// The signing region, e.g. `us-east-1`.
    public let region: String
    /// Where credentials come from, asked once per call.
    public let credentials: any CredentialsProvider
    /// Sends the signed requests.
    public let transport: any HTTPTransport
    /// The clock that dates signatures (`X-Amz-Date`).
    public let clock: @Sendable () -> Date
    /// The `User-Agent` header value, `bulkrunner/<version>`.
    public let userAgent: String
    /// How long one attempt of a call may take, in seconds, before it fails with a `timeout`
    /// network error (retryable: the caller's retry takes over); `nil` leaves it to the
    /// transport's own timeout. Catalog calls are small JSON exchanges answered in well under
    /// a second, so a deadline of a few seconds stops a silent connection (a black hole, a
    /// half-open socket) from stalling a run for the transport's generic 30 s.
    public let attemptTimeout: TimeInterval?

    /// Creates a client.
    ///
    /// Throws `CatalogClientError` (`invalidEndpoint`, `insecureEndpoint`) when
    /// `endpoint` is not an `https` URL — plain `http` is refused unless its host is this
    /// machine (`localhost`, 127.0.0.0/8, `::1`): a signed request never travels unencrypted.
    /// `attemptTimeout` (seconds, > 0) is the per-attempt deadline of every call (see
    /// ``attemptTimeout``).
    public init(endpoint: URL, region: String, credentials: any CredentialsProvider, transport: any HTTPTransport,
                version: String, clock: @escaping @Sendable () -> Date = { Date() },
                attemptTimeout: TimeInterval? = nil) throws {
        self.endpoint = try EndpointValidation.validate(endpoint.absoluteString, setting: "the Catalog API endpoint")
        self.region = region
        self.credentials = credentials
        self.transport = transport
        self.clock = clock
        self.userAgent = "bulkrunner/\(version)"
        self.attemptTimeout = attemptTimeout.flatMap { $0 > 0 && $0.isFinite ? $0 : nil }
    }

    /// `StartChangeSet`.
    public func startChangeSet(_ request: StartChangeSetRequest) async throws -> StartChangeSetResponse {
        try await send(request)
    }

    /// `DescribeChangeSet`.
    public func describeChangeSet(_ request: DescribeChangeSetRequest) async throws -> DescribeChangeSetResponse {
        try await send(request)
    }

    /// `ListChangeSets`.
    public func listChangeSets(_ request: ListChangeSetsRequest) async throws -> ListChangeSetsResponse {
        try await send(request)
    }

    /// `CancelChangeSet`.
    public func cancelChangeSet(_ request: CancelChangeSetRequest) async throws -> CancelChangeSetResponse {
        try await send(request)
    }

    /// `DescribeEntity`.
    public func describeEntity(_ request: DescribeEntityRequest) async throws -> DescribeEntityResponse {
        try await send(request)
    }

    /// `ListEntities`.
    public func listEntities(_ request: ListEntitiesRequest) async throws -> ListEntitiesResponse {
        try await send(request)
    }

    /// `BatchDescribeEntities`.
    public func batchDescribeEntities(_ request: BatchDescribeEntitiesRequest) async throws -> BatchDescribeEntitiesResponse {
        try await send(request)
    }

    /// Sends any Catalog request once: build, sign, send, decode.
    public func send<Request: CatalogRequest>(_ request: Request) async throws -> Request.Response {
        let signed = try await signedRequest(for: request)
        let token = signed.header("X-Amz-Security-Token")
        let response: HTTPResponse
        do {
            response = try await transport.send(signed)
        } catch let error as CatalogError {
            throw Self.scrubbing(token, from: error)
        } catch let error as CancellationError {
            throw error
        } catch {
            // Whether the request reached the service is unknown: report it as a dropped
            // connection ("may have been applied"), never as "no connection was made".
            throw Self.scrubbing(token, from: CatalogError(
                .connectionReset, message: "\(Request.operation.name) failed in the transport: \(error)"))
        }
        do {
            return try Self.decode(Request.self, from: response)
        } catch let error as CatalogError {
            throw Self.scrubbing(token, from: error)
        }
    }

    /// `error` with every occurrence of the session token it was sent with replaced by
    /// `<redacted>`: the AWS front door quotes the canonical request, token included, in
    /// an `InvalidSignatureException`, and an error message ends up in logs and results.
    static func scrubbing(_ token: String?, from error: CatalogError) -> CatalogError {
        guard let token, !token.isEmpty, error.message.contains(token) else { return error }
        return CatalogError(error.code, message: error.message.replacingOccurrences(of: token, with: "<redacted>"),
                            requestId: error.requestId, httpStatus: error.httpStatus)
    }
}
