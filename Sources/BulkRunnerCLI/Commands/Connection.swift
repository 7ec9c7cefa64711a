import CatalogClient
import CatalogModels
import Foundation

/// The options every command that talks to the Catalog API takes, and how they become a client.
enum Connection {
    /// `--region`, `--profile`, `--endpoint-url`.
    static let options: [CommandSpec.Option] = [
        .value("region", "REGION", help: "AWS Region (default: AWS_REGION, AWS_DEFAULT_REGION, the profile's, us-east-1)."),
        .value("profile", "NAME", help: "Named profile from ~/.aws/config and ~/.aws/credentials (default: AWS_PROFILE)."),
        .value("endpoint-url", "URL", help: "Send requests here instead of the Catalog API (e.g. a `bulkrunner emulator`)."),
    ]

    /// Seconds one attempt of a Catalog call may take before it is retried: these are small JSON
    /// calls, so a silent connection costs this long, not the transport's generic 30 s.
    static let attemptTimeout: TimeInterval = 10

    /// Where a run sends its change sets, as a results file's record keeps it: the endpoint and
    /// the profile (another profile is usually another seller account, at the same endpoint).
    static func target(_ configuration: ResolvedConfiguration) -> String {
        "\(configuration.endpoint.absoluteString) (profile \(configuration.profileName))"
    }

    /// The resolved AWS settings for this command line, reading the context's environment.
    static func configuration(_ parsed: ParsedArguments, context: CLIContext) throws -> ResolvedConfiguration {
        var runtime = AWSRuntimeEnvironment.system()
        runtime.variables = context.environment
        if let home = context.environment["HOME"] { runtime.homeDirectory = home }
        runtime.now = context.now
        do {
            return try AWSConfiguration.resolve(
                AWSConfigurationOptions(
                    profile: parsed.value("profile"), region: parsed.value("region"),
                    endpointURL: parsed.value("endpoint-url")),
                in: runtime)
        } catch let error as CatalogClientError {
            throw ConfigurationFailure(message: error.description)
        }
    }

    /// A signed HTTPS (or loopback HTTP) client for the resolved settings, with its credentials provider.
    static func client(_ parsed: ParsedArguments, context: CLIContext)
        throws -> (client: CatalogHTTPClient, credentials: any CredentialsProvider, target: String) {
        let configuration = try configuration(parsed, context: context)
        do {
            return (try CatalogHTTPClient(
                endpoint: configuration.endpoint, region: configuration.region,
                credentials: configuration.credentialsProvider,
                transport: URLSessionTransport(requestTimeout: 30, resourceTimeout: 120),
                version: BulkRunnerCLI.version, clock: context.now, attemptTimeout: attemptTimeout),
                configuration.credentialsProvider, Self.target(configuration))
        } catch let error as CatalogClientError {
            throw ConfigurationFailure(message: error.description)
        }
    }
}

/// AWS settings that cannot be used (no credentials, unknown profile, insecure endpoint): exit 69.
struct ConfigurationFailure: ExitStatusError, CustomStringConvertible {
    var message: String
    var exitStatus: Int32 { ExitStatus.serviceError }
    var description: String { message }
}
