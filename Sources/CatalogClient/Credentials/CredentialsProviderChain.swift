import Foundation

/// Tries providers in order and uses the first that has credentials.
///
/// The shape of the AWS SDKs' default chain (AWS SDKs and Tools reference guide,
/// "Standardized credential providers"). A link that simply has nothing (no
/// variables set, no such profile, no instance metadata) passes to the next; a link
/// that is configured but fails (a malformed profile, a failing `credential_process`,
/// a refused AssumeRole) stops the chain with its own error, because silently using
/// other credentials would act as a different identity. When no link has anything,
/// the error lists every link and why it had nothing. The first link that succeeds
/// is remembered and asked directly next time.
public actor CredentialsProviderChain: CredentialsProvider {
    /// One source of the chain.
    public struct Link: Sendable {
        /// What the source is, for messages: "environment variables AWS_ACCESS_KEY_ID/…".
        public var name: String
        /// The provider; it throws a `noCredentials` error when it has nothing.
        public var provider: any CredentialsProvider

        /// Creates a link.
        public init(name: String, provider: any CredentialsProvider) {
            self.name = name
            self.provider = provider
        }
    }

    /// The links, in order.
    public nonisolated let links: [Link]
    private var chosen: Int?

    /// Creates a chain of `links`.
    public init(_ links: [Link]) { self.links = links }

    /// The name of the link that provided credentials last, if any has.
    public var activeSource: String? { chosen.map { links[$0].name } }

    /// Credentials from the first link that has them.
    public func credentials() async throws -> AWSCredentials {
        if let chosen { return try await links[chosen].provider.credentials() }
        var attempts: [String] = []
        for (index, link) in links.enumerated() {
            do {
                let credentials = try await link.provider.credentials()
                chosen = index
                return credentials
            } catch let error as CatalogClientError where error.isSourceAbsent {
                attempts.append("\(link.name): \(error.absenceReason ?? "nothing found")")
            }
        }
        throw CatalogClientError.noCredentials(attempts: attempts)
    }
}

/// A link that has nothing, with the reason: an option not given, a source skipped.
struct AbsentCredentialsProvider: CredentialsProvider {
    var source: String
    var reason: String
    func credentials() async throws -> AWSCredentials {
        throw CatalogClientError.sourceAbsent(source, reason)
    }
}
