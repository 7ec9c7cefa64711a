/// StartChangeSet's Intent: APPLY (the default) or VALIDATE (only for adding versions to single-AMI products).
///
/// String-backed and tolerant: a value the model does not list decodes and round-trips
/// unchanged (botocore shape `Intent`).
public struct Intent: RawRepresentable, Codable, Sendable, Hashable, ExpressibleByStringLiteral, CustomStringConvertible {
    /// The wire value.
    public let rawValue: String

    /// Wraps a wire value.
    public init(rawValue: String) { self.rawValue = rawValue }

    /// Wraps a literal wire value.
    public init(stringLiteral value: String) { self.rawValue = value }

    /// `VALIDATE`.
    public static let validate = Intent(rawValue: "VALIDATE")

    /// `APPLY`.
    public static let apply = Intent(rawValue: "APPLY")

    /// The wire value.
    public var description: String { rawValue }
}
