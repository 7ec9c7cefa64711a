/// Why a change set FAILED (DescribeChangeSet, ListChangeSets): the request's fault (CLIENT_ERROR; see each change's ErrorDetailList) or the service's (SERVER_FAULT; nothing applied, safe to submit again).
///
/// String-backed and tolerant: a value the model does not list decodes and round-trips
/// unchanged (botocore shape `FailureCode`).
public struct FailureCode: RawRepresentable, Codable, Sendable, Hashable, ExpressibleByStringLiteral, CustomStringConvertible {
    /// The wire value.
    public let rawValue: String

    /// Wraps a wire value.
    public init(rawValue: String) { self.rawValue = rawValue }

    /// Wraps a literal wire value.
    public init(stringLiteral value: String) { self.rawValue = value }

    /// `CLIENT_ERROR`.
    public static let clientError = FailureCode(rawValue: "CLIENT_ERROR")

    /// `SERVER_FAULT`.
    public static let serverFault = FailureCode(rawValue: "SERVER_FAULT")

    /// The wire value.
    public var description: String { rawValue }
}
