import Foundation

/// Credentials from `AWS_ACCESS_KEY_ID`, `AWS_SECRET_ACCESS_KEY` and `AWS_SESSION_TOKEN`.
///
/// The second source of the AWS SDKs' default chain (AWS SDKs and Tools reference
/// guide, "Standardized credential providers", "AWS access keys"). Reads the
/// injected variables, not the process's. Empty variables count as unset; one key
/// of the pair without the other is an error rather than a silent fall-through.
public struct EnvironmentCredentialsProvider: CredentialsProvider {
    /// The variables read.
    public let environment: [String: String]

    /// Creates a provider over `environment`.
    public init(environment: [String: String]) { self.environment = environment }

    /// The credentials, or a `noCredentials` error when neither key is set.
    public func credentials() async throws -> AWSCredentials {
        try resolve()
    }

    func resolve() throws -> AWSCredentials {
        let source = "environment variables AWS_ACCESS_KEY_ID/AWS_SECRET_ACCESS_KEY"
        let accessKeyId = environment.nonEmpty("AWS_ACCESS_KEY_ID")
        let secret = environment.nonEmpty("AWS_SECRET_ACCESS_KEY")
        switch (accessKeyId, secret) {
        case (nil, nil):
            throw CatalogClientError.sourceAbsent(source, "not set")
        case (_, nil):
            throw CatalogClientError.partialCredentials("the environment", missing: "AWS_SECRET_ACCESS_KEY")
        case (nil, _):
            throw CatalogClientError.partialCredentials("the environment", missing: "AWS_ACCESS_KEY_ID")
        case (let accessKeyId?, let secret?):
            return AWSCredentials(
                accessKeyId: accessKeyId, secretAccessKey: secret, sessionToken: environment.nonEmpty("AWS_SESSION_TOKEN"))
        }
    }
}

extension Dictionary where Key == String, Value == String {
    /// The value of `key` when it is set and not empty or blank.
    func nonEmpty(_ key: String) -> String? {
        guard let value = self[key]?.trimmingCharacters(in: .whitespacesAndNewlines), !value.isEmpty else { return nil }
        return value
    }

    /// Whether `key` is set to `true` (any case).
    func isTrue(_ key: String) -> Bool {
        nonEmpty(key)?.lowercased() == "true"
    }
}
