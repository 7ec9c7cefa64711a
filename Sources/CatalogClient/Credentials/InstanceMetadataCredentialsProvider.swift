import Foundation

/// Credentials of the IAM role attached to an EC2 instance, from instance metadata (IMDSv2).
///
/// AWS SDKs and Tools reference guide, "Standardized credential providers",
/// "IMDS credential provider": `PUT /latest/api/token` with
/// `X-aws-ec2-metadata-token-ttl-seconds`, then, sending that token as
/// `X-aws-ec2-metadata-token`, `GET /latest/meta-data/iam/security-credentials/`
/// for the role name and `GET …/<role>` for the credentials document. IMDSv1 (no
/// token) is deliberately not used. One attempt per step, no retries: give the
/// transport short timeouts (the default chain uses a 1 s one) so that machines off
/// EC2 fail fast.
///
/// As the last link of the default chain (`absentWhenUnavailable`), an unreachable
/// service or an instance without a role means "no credentials here"; as a profile's
/// `credential_source = Ec2InstanceMetadata` it is an error.
public struct InstanceMetadataCredentialsProvider: CredentialsProvider {
    /// The metadata service's base URL (`http://169.254.169.254`).
    public let endpoint: URL
    /// Sends the requests.
    public let transport: any HTTPTransport
    /// Whether an unreachable service counts as "nothing here" rather than a failure.
    public let absentWhenUnavailable: Bool
    /// The session token's requested lifetime in seconds.
    public let tokenTTL: Int

    static let source = "EC2 instance metadata (IMDSv2)"
    /// The IPv4 service address.
    public static let defaultEndpoint = URL(string: "http://169.254.169.254")!  // a literal that always parses
    /// The IPv6 service address.
    public static let defaultIPv6Endpoint = URL(string: "http://[fd00:ec2::254]")!  // a literal that always parses

    /// Creates the provider.
    public init(
        endpoint: URL = InstanceMetadataCredentialsProvider.defaultEndpoint, transport: any HTTPTransport,
        absentWhenUnavailable: Bool = false, tokenTTL: Int = 21600
    ) {
        self.endpoint = endpoint
        self.transport = transport
        self.absentWhenUnavailable = absentWhenUnavailable
        self.tokenTTL = tokenTTL
    }

    /// Fetches a token, the role name, and the role's credentials.
    public func credentials() async throws -> AWSCredentials {
        let tokenResponse = try await send("PUT", "/latest/api/token", [("X-aws-ec2-metadata-token-ttl-seconds", String(tokenTTL))], step: "token")
        guard tokenResponse.status == 200 else {
            throw unavailable("the session token request answered HTTP \(tokenResponse.status)"
                + (tokenResponse.status == 403 ? " (instance metadata is disabled, or the hop limit is too low for a container)" : ""))
        }
        let token = String(decoding: tokenResponse.body, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
        guard !token.isEmpty, !token.contains(where: { $0 == "\r" || $0 == "\n" }) else {
            throw failure("the session token answer is empty or malformed")
        }
        let tokenHeader = [("X-aws-ec2-metadata-token", token)]

        let roleResponse = try await send("GET", "/latest/meta-data/iam/security-credentials/", tokenHeader, step: "role name")
        if roleResponse.status == 404 { throw unavailable("no IAM role is attached to this instance") }
        guard roleResponse.status == 200 else { throw failure("the role name request answered HTTP \(roleResponse.status)") }
        let roleName = String(decoding: roleResponse.body, as: UTF8.self)
            .split(whereSeparator: \.isNewline).first.map { $0.trimmingCharacters(in: .whitespaces) } ?? ""
        guard !roleName.isEmpty, !roleName.contains("/") else {
            throw unavailable("no IAM role is attached to this instance")
        }

        let path = "/latest/meta-data/iam/security-credentials/" + (roleName.addingPercentEncoding(withAllowedCharacters: .urlPathAllowed) ?? roleName)
        let document = try await send("GET", path, tokenHeader, step: "credentials")
        guard document.status == 200 else { throw failure("the credentials request for role \(roleName) answered HTTP \(document.status)") }
        let object: [String: Any]
        switch CredentialsDocument.object(document.body) {
        case .success(let value): object = value
        case .failure: throw failure("the credentials of role \(roleName) are not a JSON object")
        }
        if let code = object["Code"] as? String, code != "Success" {
            throw failure("the credentials of role \(roleName) are not available (Code \(code))")
        }
        switch CredentialsDocument.credentials(from: object, fields: .metadata) {
        case .success(let credentials): return credentials
        case .failure(let problem): throw failure("the credentials of role \(roleName) are unusable: \(problem.message)")
        }
    }

    private func send(_ method: String, _ path: String, _ headers: [(name: String, value: String)], step: String) async throws -> HTTPResponse {
        guard let url = URL(string: endpoint.absoluteString.trimmingSuffix("/") + path) else {
            throw failure("the endpoint \(endpoint.absoluteString) cannot take the path \(path)")
        }
        do {
            return try await transport.send(HTTPRequest(method: method, url: url, headers: headers))
        } catch is CancellationError {
            throw CancellationError()
        } catch {
            throw unavailable("not reachable (\(step) request: \(error))")
        }
    }

    private func unavailable(_ reason: String) -> CatalogClientError {
        absentWhenUnavailable ? .sourceAbsent(Self.source, reason) : .metadataFailed(Self.source, reason)
    }

    private func failure(_ reason: String) -> CatalogClientError {
        .metadataFailed(Self.source, reason)
    }
}

extension String {
    /// The string without one trailing `suffix`.
    func trimmingSuffix(_ suffix: String) -> String {
        hasSuffix(suffix) ? String(dropLast(suffix.count)) : self
    }
}
