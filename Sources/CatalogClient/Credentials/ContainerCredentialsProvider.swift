import Foundation

/// Credentials from the ECS (or EKS Pod Identity) container credentials endpoint.
///
/// AWS SDKs and Tools reference guide, "Standardized credential providers",
/// "Container credential provider": `AWS_CONTAINER_CREDENTIALS_RELATIVE_URI` is a path
/// on `http://169.254.170.2`; otherwise `AWS_CONTAINER_CREDENTIALS_FULL_URI` is a whole
/// URL, which must be https or go to a loopback address or the ECS/EKS container
/// hosts (169.254.170.2, 169.254.170.23, fd00:ec2::23). The `Authorization` header comes
/// from the file named by `AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE`, else from
/// `AWS_CONTAINER_AUTHORIZATION_TOKEN`. One GET, no retries; the answer is a JSON
/// document with `AccessKeyId`, `SecretAccessKey`, `Token` and `Expiration`.
/// Errors show the host only: neither the token nor the credentials path.
public struct ContainerCredentialsProvider: CredentialsProvider {
    /// The variables read.
    public let environment: [String: String]
    /// Reads the authorization token file.
    public let fileReader: any FileReader
    /// Sends the request; give it short timeouts.
    public let transport: any HTTPTransport

    static let source = "ECS container credentials"

    /// Creates the provider.
    public init(environment: [String: String], fileReader: any FileReader = LocalFileReader(), transport: any HTTPTransport) {
        self.environment = environment
        self.fileReader = fileReader
        self.transport = transport
    }

    /// Whether either URI variable is set.
    public var isConfigured: Bool {
        environment.nonEmpty("AWS_CONTAINER_CREDENTIALS_RELATIVE_URI") != nil
            || environment.nonEmpty("AWS_CONTAINER_CREDENTIALS_FULL_URI") != nil
    }

    /// Fetches the credentials.
    public func credentials() async throws -> AWSCredentials {
        let url = try endpoint()
        var request = HTTPRequest(method: "GET", url: url, headers: [("Accept", "application/json")])
        if let token = try authorizationToken() { request.setHeader("Authorization", token) }

        let host = url.host ?? "the container endpoint"
        let response: HTTPResponse
        do {
            response = try await transport.send(request)
        } catch {
            throw CatalogClientError.metadataFailed(Self.source, "the endpoint at \(host) did not answer (\(error))")
        }
        guard response.status == 200 else {
            var reason = "the endpoint at \(host) answered HTTP \(response.status)"
            if case .success(let object) = CredentialsDocument.object(response.body),
               let message = (object["message"] ?? object["Message"]) as? String {
                reason += ": " + String(message.prefix(300))
            }
            throw CatalogClientError.metadataFailed(Self.source, reason)
        }
        let object: [String: Any]
        switch CredentialsDocument.object(response.body) {
        case .success(let value): object = value
        case .failure: throw CatalogClientError.metadataFailed(Self.source, "the endpoint at \(host) did not answer with a JSON object")
        }
        switch CredentialsDocument.credentials(from: object, fields: .metadata) {
        case .success(let credentials): return credentials
        case .failure(let problem): throw CatalogClientError.metadataFailed(Self.source, "its answer is unusable: \(problem.message)")
        }
    }

    /// The URL to ask, from the two variables.
    func endpoint() throws -> URL {
        if let relative = environment.nonEmpty("AWS_CONTAINER_CREDENTIALS_RELATIVE_URI") {
            let path = relative.hasPrefix("/") ? relative : "/" + relative
            guard let url = URL(string: "http://169.254.170.2" + path) else {
                throw CatalogClientError.metadataFailed(Self.source, "AWS_CONTAINER_CREDENTIALS_RELATIVE_URI is not a URL path")
            }
            return url
        }
        guard let full = environment.nonEmpty("AWS_CONTAINER_CREDENTIALS_FULL_URI") else {
            throw CatalogClientError.sourceAbsent(
                Self.source, "AWS_CONTAINER_CREDENTIALS_RELATIVE_URI and AWS_CONTAINER_CREDENTIALS_FULL_URI are not set")
        }
        guard let components = URLComponents(string: full), let scheme = components.scheme?.lowercased(),
              let host = components.host, !host.isEmpty, let url = components.url else {
            throw CatalogClientError.metadataFailed(Self.source, "AWS_CONTAINER_CREDENTIALS_FULL_URI is not a URL")
        }
        switch scheme {
        case "https":
            return url
        case "http":
            let bare = host.trimmingCharacters(in: CharacterSet(charactersIn: "[]")).lowercased()
            if EndpointValidation.isLoopback(host: host) || ["169.254.170.2", "169.254.170.23", "fd00:ec2::23"].contains(bare) {
                return url
            }
            throw CatalogClientError.metadataFailed(
                Self.source,
                "AWS_CONTAINER_CREDENTIALS_FULL_URI uses plain http to \(host); only https, loopback addresses "
                    + "and the container hosts 169.254.170.2, 169.254.170.23 and fd00:ec2::23 are allowed")
        default:
            throw CatalogClientError.metadataFailed(Self.source, "AWS_CONTAINER_CREDENTIALS_FULL_URI must be an http or https URL")
        }
    }

    /// The `Authorization` value: the token file wins over the variable.
    func authorizationToken() throws -> String? {
        var token: String?
        if let path = environment.nonEmpty("AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE") {
            let data: Data?
            do { data = try fileReader.readFile(atPath: path) } catch { data = nil }
            guard let data else {
                throw CatalogClientError.metadataFailed(
                    Self.source, "the token file \(path) named by AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE cannot be read")
            }
            token = String(decoding: data, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
        } else {
            token = environment.nonEmpty("AWS_CONTAINER_AUTHORIZATION_TOKEN")
        }
        if let token, token.contains(where: { $0 == "\r" || $0 == "\n" }) {
            throw CatalogClientError.metadataFailed(Self.source, "the authorization token contains a line break")
        }
        return token
    }
}
