import Foundation

/// What the command line says about AWS: the explicit settings that beat every other source.
///
/// Each `nil` means "not given"; empty strings count as not given too.
public struct AWSConfigurationOptions: Sendable, Equatable {
    /// `--profile`: the profile to use. Beats `AWS_PROFILE`, and, as in the AWS CLI,
    /// makes the chain skip the `AWS_ACCESS_KEY_ID` environment variables.
    public var profile: String?
    /// `--region`: beats `AWS_REGION`, `AWS_DEFAULT_REGION` and the profile's `region`.
    public var region: String?
    /// `--endpoint-url`: beats every configured endpoint, even with
    /// `AWS_IGNORE_CONFIGURED_ENDPOINT_URLS=true`.
    public var endpointURL: String?
    /// An explicit access key id; needs `secretAccessKey`.
    public var accessKeyId: String?
    /// An explicit secret access key; needs `accessKeyId`.
    public var secretAccessKey: String?
    /// An explicit session token for temporary keys.
    public var sessionToken: String?

    /// Creates options; everything defaults to "not given".
    public init(
        profile: String? = nil, region: String? = nil, endpointURL: String? = nil,
        accessKeyId: String? = nil, secretAccessKey: String? = nil, sessionToken: String? = nil
    ) {
        self.profile = profile
        self.region = region
        self.endpointURL = endpointURL
        self.accessKeyId = accessKeyId
        self.secretAccessKey = secretAccessKey
        self.sessionToken = sessionToken
    }
}

/// Everything outside the program that configuration reads: environment variables,
/// the home directory, files, the shell (for `credential_process`), the network (STS,
/// ECS, instance metadata) and the clock.
///
/// `system()` is the real world; tests build one from fakes, so they never touch the
/// real home directory, environment or network.
public struct AWSRuntimeEnvironment: Sendable {
    /// Environment variables.
    public var variables: [String: String]
    /// The home directory, where `~/.aws/config` and `~/.aws/credentials` live; `nil` if unknown.
    public var homeDirectory: String?
    /// Reads the shared files and token files.
    public var fileReader: any FileReader
    /// Runs `credential_process` commands.
    public var processRunner: any ProcessRunner
    /// Sends STS requests.
    public var transport: any HTTPTransport
    /// Sends ECS container and EC2 instance metadata requests; short timeouts.
    public var metadataTransport: any HTTPTransport
    /// The current time, for expirations and request dates.
    public var now: @Sendable () -> Date

    /// Creates an environment from its parts.
    public init(
        variables: [String: String], homeDirectory: String?, fileReader: any FileReader = LocalFileReader(),
        processRunner: any ProcessRunner = ShellProcessRunner(), transport: any HTTPTransport,
        metadataTransport: (any HTTPTransport)? = nil, now: @escaping @Sendable () -> Date = { Date() }
    ) {
        self.variables = variables
        self.homeDirectory = homeDirectory
        self.fileReader = fileReader
        self.processRunner = processRunner
        self.transport = transport
        self.metadataTransport = metadataTransport ?? transport
        self.now = now
    }

    /// The running process's environment, home directory, local files, `/bin/sh`,
    /// URLSession transports (30 s for STS; 1 s request timeout for metadata) and the system clock.
    public static func system() -> AWSRuntimeEnvironment {
        let variables = ProcessInfo.processInfo.environment
        let home = variables.nonEmpty("HOME") ?? FileManager.default.homeDirectoryForCurrentUser.path
        return AWSRuntimeEnvironment(
            variables: variables, homeDirectory: home, transport: URLSessionTransport(requestTimeout: 30, resourceTimeout: 60),
            metadataTransport: URLSessionTransport(requestTimeout: 1, resourceTimeout: 3))
    }
}
