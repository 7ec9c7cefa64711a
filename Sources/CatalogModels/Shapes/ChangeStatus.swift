/// The status of a change set (DescribeChangeSet, ListChangeSets): PREPARING → APPLYING → SUCCEEDED | FAILED, or CANCELLED.
///
/// String-backed and tolerant: a value the model does not list decodes and round-trips
/// unchanged (botocore shape `ChangeStatus`).
public struct ChangeStatus: RawRepresentable, Codable, Sendable, Hashable, ExpressibleByStringLiteral, CustomStringConvertible {
    /// The wire value.
    public let rawValue: String

    /// Wraps a wire value.
    public init(rawValue: String) { self.rawValue = rawValue }

    /// Wraps a literal wire value.
    public init(stringLiteral value: String) { self.rawValue = value }

    /// `PREPARING`.
    public static let preparing = ChangeStatus(rawValue: "PREPARING")

    /// `APPLYING`.
    public static let applying = ChangeStatus(rawValue: "APPLYING")

    /// `SUCCEEDED`.
    public static let succeeded = ChangeStatus(rawValue: "SUCCEEDED")

    /// `CANCELLED`.
    public static let cancelled = ChangeStatus(rawValue: "CANCELLED")

    /// `FAILED`.
    public static let failed = ChangeStatus(rawValue: "FAILED")

    /// The wire value.
    public var description: String { rawValue }
}

extension ChangeStatus {
    /// Whether the change set is finished (SUCCEEDED, FAILED or CANCELLED); an unknown
    /// status counts as not final.
    public var isFinal: Bool { self == .succeeded || self == .failed || self == .cancelled }

    /// Whether the change set still locks its entities (PREPARING or APPLYING).
    public var isOpen: Bool { self == .preparing || self == .applying }
}
