import Foundation

/// The outcome of `AWSConfiguration.resolve`: where to send requests and how to sign them.
public struct ResolvedConfiguration: Sendable {
    /// Where each value came from, as short human-readable phrases (never secrets).
    public struct Sources: Sendable, Equatable {
        /// How the profile was chosen: `--profile`, `AWS_PROFILE` or "the default".
        public var profile: String
        /// The setting the region came from (`--region`, `AWS_REGION`, a profile line, "default").
        public var region: String
        /// The setting the endpoint came from.
        public var endpoint: String
        /// The credential chain in order, each link with what it holds or why it is empty.
        public var credentials: [String]
        /// The shared files consulted, marked when missing.
        public var files: [String]
    }

    /// The profile in effect (`default` unless chosen).
    public var profileName: String
    /// The region requests are signed for.
    public var region: String
    /// The Catalog API endpoint, without a trailing `/`.
    public var endpoint: URL
    /// The credential chain, cached and refreshed before expiry; single-flight.
    public var credentialsProvider: any CredentialsProvider
    /// Where each value came from.
    public var sources: Sources
    /// The uncached chain, to ask which link answered.
    public var credentialsChain: CredentialsProviderChain

    /// A multi-line report of the resolved values and their sources, for `--debug` or a
    /// `config` command. Shows access key ids, never secrets or tokens.
    public func describeSources() -> String {
        var lines = [
            "profile:     \(profileName) (\(sources.profile))",
            "region:      \(region) (\(sources.region))",
            "endpoint:    \(endpoint.absoluteString) (\(sources.endpoint))",
            "files:       " + (sources.files.isEmpty ? "none (no home directory)" : sources.files.joined(separator: ", ")),
            "credentials, first that has them:",
        ]
        lines += sources.credentials.enumerated().map { "  \($0.offset + 1). \($0.element)" }
        return lines.joined(separator: "\n")
    }
}
