import CatalogClient
import Foundation

/// How the loopback server checks who is calling.
public enum EmulatorAuthentication: Sendable, Equatable {
    /// No checks (`--no-auth`): any request, signed or not, is served.
    case disabled
    /// AWS Signature Version 4 with signing name `aws-marketplace`, region `us-east-1`,
    /// 5 minutes of allowed clock skew, against these credentials. Unsigned requests answer
    /// `MissingAuthenticationTokenException`, unknown keys `UnrecognizedClientException`,
    /// wrong signatures or skewed clocks `InvalidSignatureException` (all 403), malformed
    /// `Authorization` headers `IncompleteSignatureException` (400), like AWS.
    case sigV4([AWSCredentials])

    /// The documented example credentials: access key `AKIDEXAMPLE`, secret
    /// `wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY` (from the AWS SigV4 test suite).
    public static let exampleCredentials = AWSCredentials(
        accessKeyId: "AKIDEXAMPLE", secretAccessKey: "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY")

    /// SigV4 with the example credentials (the default).
    public static let example = EmulatorAuthentication.sigV4([exampleCredentials])
}

/// What `bulkrunner emulator` (or a test) starts: the emulated account, the port on
/// 127.0.0.1 and the authentication.
public struct EmulatorServerConfiguration: Sendable {
    /// The port on 127.0.0.1; 0 picks a free one (read it from ``RunningEmulatorServer/port``).
    public var port: UInt16
    /// The emulated account.
    public var emulator: EmulatorConfiguration
    /// Signature checking.
    public var authentication: EmulatorAuthentication
    /// Seconds an idle keep-alive connection is kept open.
    public var idleTimeoutSeconds: Int

    /// A configuration; by default a free port, the default account, SigV4 with the example credentials.
    public init(port: UInt16 = 0, emulator: EmulatorConfiguration = EmulatorConfiguration(),
                authentication: EmulatorAuthentication = .example, idleTimeoutSeconds: Int = 120) {
        self.port = port
        self.emulator = emulator
        self.authentication = authentication
        self.idleTimeoutSeconds = idleTimeoutSeconds
    }
}
