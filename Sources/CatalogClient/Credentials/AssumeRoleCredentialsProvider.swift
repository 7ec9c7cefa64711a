import Foundation

/// Signs a request for a service: SigV4 in production, a recorder in tests.
typealias RequestSigning = @Sendable (_ request: HTTPRequest, _ credentials: AWSCredentials, _ region: String,
                                      _ service: String, _ date: Date) -> HTTPRequest

/// Temporary credentials of an IAM role, obtained with STS `AssumeRole`.
///
/// AWS SDKs and Tools reference guide, "Assume role credential provider": the source
/// credentials sign (SigV4, service `sts`) a Query API call,
/// `POST https://sts.<region>.amazonaws.com/` with the form body
/// `Action=AssumeRole&Version=2011-06-15&RoleArn=…&RoleSessionName=…`
/// (plus `ExternalId` and `DurationSeconds` when given). The XML answer's
/// `Credentials` become the result; an `<Error>` becomes `assumeRoleFailed` with
/// STS's code and message. Each call assumes the role again: wrap the provider in a
/// `CachingCredentialsProvider` (the resolved configuration does).
public struct AssumeRoleCredentialsProvider: CredentialsProvider {
    /// What the role is assumed with.
    public struct Role: Sendable, Equatable {
        /// The role's ARN.
        public var roleArn: String
        /// The session name recorded in CloudTrail (2–64 of `[A-Za-z0-9+=,.@_-]`).
        public var sessionName: String
        /// The external id the role's trust policy requires, if any.
        public var externalId: String?
        /// The session's lifetime in seconds (900 to 43200), or `nil` for STS's one hour.
        public var durationSeconds: Int?

        /// Creates a role description.
        public init(roleArn: String, sessionName: String, externalId: String? = nil, durationSeconds: Int? = nil) {
            self.roleArn = roleArn
            self.sessionName = sessionName
            self.externalId = externalId
            self.durationSeconds = durationSeconds
        }
    }

    /// The credentials that call STS.
    public let source: any CredentialsProvider
    /// The role to assume.
    public let role: Role
    /// The STS region (part of the signature's scope).
    public let region: String
    /// The STS endpoint, `https://sts.<region>.amazonaws.com` unless configured.
    public let endpoint: URL
    /// Sends the request.
    public let transport: any HTTPTransport
    let now: @Sendable () -> Date
    let sign: RequestSigning

    /// Creates a provider that assumes `role` with credentials from `source`.
    public init(
        source: any CredentialsProvider, role: Role, region: String, endpoint: URL? = nil,
        transport: any HTTPTransport, now: @escaping @Sendable () -> Date = { Date() }
    ) {
        self.init(source: source, role: role, region: region, endpoint: endpoint, transport: transport, now: now, sign: STSSigning.sigV4)
    }

    init(
        source: any CredentialsProvider, role: Role, region: String, endpoint: URL?, transport: any HTTPTransport,
        now: @escaping @Sendable () -> Date, sign: @escaping RequestSigning
    ) {
        self.source = source
        self.role = role
        self.region = region
        self.endpoint = endpoint ?? Self.regionalEndpoint(region: region)
        self.transport = transport
        self.now = now
        self.sign = sign
    }

    /// `https://sts.<region>.amazonaws.com` (`.amazonaws.com.cn` in China).
    public static func regionalEndpoint(region: String) -> URL {
        let suffix = region.hasPrefix("cn-") ? "amazonaws.com.cn" : "amazonaws.com"
        return URL(string: "https://sts.\(region).\(suffix)") ?? URL(string: "https://sts.amazonaws.com")!  // literal parses
    }

    /// The global endpoint `https://sts.amazonaws.com`, used when `sts_regional_endpoints = legacy`.
    public static let globalEndpoint = URL(string: "https://sts.amazonaws.com")!  // a literal that always parses

    /// Gets the source credentials, then calls AssumeRole with them.
    public func credentials() async throws -> AWSCredentials {
        let sourceCredentials = try await source.credentials()
        let request = sign(makeRequest(), sourceCredentials, region, "sts", now())
        let response: HTTPResponse
        do {
            response = try await transport.send(request)
        } catch is CancellationError {
            throw CancellationError()
        } catch {
            throw CatalogClientError.assumeRoleFailed(role.roleArn, "STS at \(endpoint.host ?? endpoint.absoluteString) did not answer (\(error))")
        }
        let leaves = STSResponseParser.leaves(response.body)
        guard response.status == 200 else {
            var reason = "STS answered HTTP \(response.status)"
            if let leaves {
                let error = STSResponseParser.error(leaves)
                if let code = error.code { reason += " \(code)" }
                if let message = error.message { reason += ": \(message)" }
                if let requestId = error.requestId { reason += " (request id \(requestId))" }
            }
            throw CatalogClientError.assumeRoleFailed(role.roleArn, reason)
        }
        guard let leaves, let credentials = STSResponseParser.credentials(leaves) else {
            throw CatalogClientError.assumeRoleFailed(role.roleArn, "STS's answer holds no Credentials element")
        }
        return credentials
    }

    /// The unsigned AssumeRole request.
    func makeRequest() -> HTTPRequest {
        var parameters = [
            ("Action", "AssumeRole"), ("Version", "2011-06-15"),
            ("RoleArn", role.roleArn), ("RoleSessionName", role.sessionName),
        ]
        if let externalId = role.externalId { parameters.append(("ExternalId", externalId)) }
        if let duration = role.durationSeconds { parameters.append(("DurationSeconds", String(duration))) }
        let body = parameters.map { "\(Self.formEncode($0.0))=\(Self.formEncode($0.1))" }.joined(separator: "&")
        var url = endpoint
        if var components = URLComponents(url: endpoint, resolvingAgainstBaseURL: false), components.path.isEmpty {
            components.path = "/"
            url = components.url ?? endpoint
        }
        return HTTPRequest(
            method: "POST", url: url,
            headers: [("Content-Type", "application/x-www-form-urlencoded; charset=utf-8")],
            body: Data(body.utf8))
    }

    /// Percent-encodes everything but RFC 3986 unreserved characters.
    static func formEncode(_ value: String) -> String {
        let allowed = CharacterSet(charactersIn: "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-._~")
        return value.addingPercentEncoding(withAllowedCharacters: allowed) ?? value
    }
}
