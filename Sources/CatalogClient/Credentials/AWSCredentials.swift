import Foundation

/// An AWS access key pair, with a session token for temporary credentials.
///
/// `description` never shows the secret or the token: a value can be logged safely.
public struct AWSCredentials: Sendable, Equatable, CustomStringConvertible, CustomDebugStringConvertible {
    /// The access key id (`AKIA…`, `ASIA…`).
    public var accessKeyId: String
    /// The secret access key. Never printed.
    public var secretAccessKey: String
    /// The session token of temporary credentials. Never printed.
    public var sessionToken: String?
    /// When temporary credentials stop working; `nil` for long-term keys.
    public var expiration: Date?

    /// Creates credentials.
    public init(accessKeyId: String, secretAccessKey: String, sessionToken: String? = nil, expiration: Date? = nil) {
        self.accessKeyId = accessKeyId
        self.secretAccessKey = secretAccessKey
        self.sessionToken = sessionToken
        self.expiration = expiration
    }

    /// A redacted summary: the access key id and whether a token is present.
    public var description: String {
        "AWSCredentials(accessKeyId: \(accessKeyId), secretAccessKey: <redacted>"
            + (sessionToken == nil ? "" : ", sessionToken: <redacted>")
            + (expiration.map { ", expiration: \($0)" } ?? "") + ")"
    }

    /// Same as `description`.
    public var debugDescription: String { description }
}

/// Something that can produce credentials: a fixed pair, the environment, a profile, a role.
public protocol CredentialsProvider: Sendable {
    /// Current credentials, refreshed when temporary ones are about to expire.
    func credentials() async throws -> AWSCredentials
}

/// A provider that always returns the same credentials.
public struct StaticCredentialsProvider: CredentialsProvider {
    /// The credentials returned.
    public let value: AWSCredentials
    /// Creates the provider.
    public init(_ value: AWSCredentials) { self.value = value }
    /// Returns `value`.
    public func credentials() async throws -> AWSCredentials { value }
}
