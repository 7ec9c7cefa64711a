import Foundation

/// A configuration failure of the client: where credentials, region or endpoint
/// could not be worked out, and what to change so that they can.
///
/// One error type for the module's configuration problems. Failures of actual
/// service calls (throttling, validation, network) are `CatalogError`s instead.
/// Match on `code`; show `description`, which says what to fix.
///
/// No description ever contains a secret access key, a session token or a
/// container authorization token: those values are never stored in the error.
public struct CatalogClientError: Error, Sendable, Equatable, CustomStringConvertible, LocalizedError {
    /// What kind of failure this is, for matching (`error.code == .profileNotFound`).
    public struct Code: Hashable, Sendable, CustomStringConvertible {
        private let name: String
        private init(_ name: String) { self.name = name }

        /// No source in the chain had credentials.
        public static let noCredentials = Code("noCredentials")
        /// A source had half a key pair (an access key id without its secret, or the reverse).
        public static let partialCredentials = Code("partialCredentials")
        /// A named profile is in neither the config nor the credentials file.
        public static let profileNotFound = Code("profileNotFound")
        /// A profile's settings contradict each other or ask for something unsupported.
        public static let invalidProfile = Code("invalidProfile")
        /// The config or credentials file could not be parsed.
        public static let malformedConfigFile = Code("malformedConfigFile")
        /// `credential_process` could not run, failed, or printed something unusable.
        public static let credentialProcessFailed = Code("credentialProcessFailed")
        /// STS AssumeRole was refused or answered something unusable.
        public static let assumeRoleFailed = Code("assumeRoleFailed")
        /// The ECS container endpoint or EC2 instance metadata gave no credentials.
        public static let metadataFailed = Code("metadataFailed")
        /// An endpoint URL is not a usable `https://host[:port][/path]` URL.
        public static let invalidEndpoint = Code("invalidEndpoint")
        /// An endpoint URL would send signed requests over plain http to a non-loopback host.
        public static let insecureEndpoint = Code("insecureEndpoint")
        /// A region name is not a valid region (it becomes part of a host name).
        public static let invalidRegion = Code("invalidRegion")

        /// The code's name.
        public var description: String { name }
    }

    enum Kind: Sendable, Equatable {
        case noCredentials(attempts: [String])
        case sourceAbsent(source: String, reason: String)
        case partialCredentials(source: String, missing: String)
        case profileNotFound(name: String, context: String, files: [String])
        case invalidProfile(profile: String, reason: String)
        case malformedConfigFile(path: String, line: Int, reason: String)
        case credentialProcessFailed(profile: String, reason: String, standardError: String?)
        case assumeRoleFailed(roleArn: String, reason: String)
        case metadataFailed(source: String, reason: String)
        case invalidEndpoint(url: String, setting: String, reason: String)
        case insecureEndpoint(url: String, setting: String)
        case unreachableEndpoint(url: String, setting: String, reason: String)
        case invalidRegion(region: String, setting: String)
    }

    let kind: Kind

    init(_ kind: Kind) { self.kind = kind }

    /// What kind of failure this is.
    public var code: Code {
        switch kind {
        case .noCredentials, .sourceAbsent: .noCredentials
        case .partialCredentials: .partialCredentials
        case .profileNotFound: .profileNotFound
        case .invalidProfile: .invalidProfile
        case .malformedConfigFile: .malformedConfigFile
        case .credentialProcessFailed: .credentialProcessFailed
        case .assumeRoleFailed: .assumeRoleFailed
        case .metadataFailed: .metadataFailed
        case .invalidEndpoint, .unreachableEndpoint: .invalidEndpoint
        case .insecureEndpoint: .insecureEndpoint
        case .invalidRegion: .invalidRegion
        }
    }

    /// A one-paragraph explanation that names the setting at fault and how to fix it.
    public var description: String {
        switch kind {
        case .noCredentials(let attempts):
            let list = attempts.enumerated().map { "  \($0.offset + 1). \($0.element)" }.joined(separator: "\n")
            return """
                No AWS credentials found. Looked, in order, at:
                \(list)
                Fix: set AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY (and AWS_SESSION_TOKEN for temporary keys), \
                or put them in a profile of the shared credentials file (`aws configure`) and select it with \
                --profile or AWS_PROFILE.
                """
        case .sourceAbsent(let source, let reason):
            return "No AWS credentials from \(source): \(reason)."
        case .partialCredentials(let source, let missing):
            return "Incomplete AWS credentials in \(source): \(missing) is missing. Set both the access key id and the secret access key, or neither."
        case .profileNotFound(let name, let context, let files):
            let where_ = files.isEmpty ? "no config or credentials file exists" : "looked in " + files.joined(separator: " and ")
            return "The AWS profile \"\(name)\" (\(context)) was not found: \(where_). "
                + "Add a [profile \(name)] section to the config file or a [\(name)] section to the credentials file, or choose another profile."
        case .invalidProfile(let profile, let reason):
            return "The AWS profile \"\(profile)\" cannot be used: \(reason)."
        case .malformedConfigFile(let path, let line, let reason):
            let place = line > 0 ? "\(path):\(line)" : path
            return "\(place): malformed AWS configuration file: \(reason). Fix that line (or point AWS_CONFIG_FILE / AWS_SHARED_CREDENTIALS_FILE at another file)."
        case .credentialProcessFailed(let profile, let reason, let standardError):
            var text = "The credential_process of profile \"\(profile)\" failed: \(reason)."
            if let standardError, !standardError.isEmpty {
                text += " Its error output:\n\(standardError)"
            }
            return text
        case .assumeRoleFailed(let roleArn, let reason):
            return "Could not assume role \(roleArn) with STS: \(reason)."
        case .metadataFailed(let source, let reason):
            return "Could not get credentials from \(source): \(reason)."
        case .invalidEndpoint(let url, let setting, let reason):
            return "The endpoint URL \"\(url)\" from \(setting) is invalid: \(reason). Use a URL such as https://host[:port][/path]."
        case .unreachableEndpoint(let url, let setting, let reason):
            return "The endpoint URL \"\(url)\" from \(setting) cannot be used: \(reason)."
        case .insecureEndpoint(let url, let setting):
            return "The endpoint URL \"\(url)\" from \(setting) uses plain http to a host that is not this machine: "
                + "signed requests would travel unencrypted. Use https, or http only to localhost, 127.0.0.0/8 or ::1."
        case .invalidRegion(let region, let setting):
            return "The region \"\(region)\" from \(setting) is not a valid AWS region name (expected something like us-east-1)."
        }
    }

    /// Same as `description`, so `localizedDescription` is useful on every platform.
    public var errorDescription: String? { description }

    /// Whether a chain should go on to its next source (this one simply has nothing).
    var isSourceAbsent: Bool {
        if case .sourceAbsent = kind { return true }
        return false
    }

    /// Why an absent source had nothing, for the no-credentials list.
    var absenceReason: String? {
        if case .sourceAbsent(_, let reason) = kind { return reason }
        return nil
    }
}

extension CatalogClientError {
    static func noCredentials(attempts: [String]) -> Self { .init(.noCredentials(attempts: attempts)) }
    static func sourceAbsent(_ source: String, _ reason: String) -> Self { .init(.sourceAbsent(source: source, reason: reason)) }
    static func partialCredentials(_ source: String, missing: String) -> Self { .init(.partialCredentials(source: source, missing: missing)) }
    static func profileNotFound(_ name: String, context: String, files: [String]) -> Self {
        .init(.profileNotFound(name: name, context: context, files: files))
    }
    static func invalidProfile(_ profile: String, _ reason: String) -> Self { .init(.invalidProfile(profile: profile, reason: reason)) }
    static func malformedConfigFile(_ path: String, line: Int, _ reason: String) -> Self {
        .init(.malformedConfigFile(path: path, line: line, reason: reason))
    }
    static func credentialProcessFailed(_ profile: String, _ reason: String, standardError: String? = nil) -> Self {
        .init(.credentialProcessFailed(profile: profile, reason: reason, standardError: standardError))
    }
    static func assumeRoleFailed(_ roleArn: String, _ reason: String) -> Self { .init(.assumeRoleFailed(roleArn: roleArn, reason: reason)) }
    static func metadataFailed(_ source: String, _ reason: String) -> Self { .init(.metadataFailed(source: source, reason: reason)) }
    static func invalidEndpoint(_ url: String, setting: String, _ reason: String) -> Self {
        .init(.invalidEndpoint(url: url, setting: setting, reason: reason))
    }
    static func insecureEndpoint(_ url: String, setting: String) -> Self { .init(.insecureEndpoint(url: url, setting: setting)) }
    static func unreachableEndpoint(_ url: String, setting: String, _ reason: String) -> Self {
        .init(.unreachableEndpoint(url: url, setting: setting, reason: reason))
    }
    static func invalidRegion(_ region: String, setting: String) -> Self { .init(.invalidRegion(region: region, setting: setting)) }
}
