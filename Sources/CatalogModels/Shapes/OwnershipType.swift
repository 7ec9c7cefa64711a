/// ListEntities' OwnershipType: entities the account owns (SELF) or that are shared with it (SHARED).
///
/// String-backed and tolerant: a value the model does not list decodes and round-trips
/// unchanged (botocore shape `OwnershipType`).
public struct OwnershipType: RawRepresentable, Codable, Sendable, Hashable, ExpressibleByStringLiteral, CustomStringConvertible {
    /// The wire value.
    public let rawValue: String

    /// Wraps a wire value.
    public init(rawValue: String) { self.rawValue = rawValue }

    /// Wraps a literal wire value.
    public init(stringLiteral value: String) { self.rawValue = value }

    /// `SELF`: entities the calling account owns (named `owned` because `.self` is taken by Swift).
    public static let owned = OwnershipType(rawValue: "SELF")

    /// `SHARED`.
    public static let shared = OwnershipType(rawValue: "SHARED")

    /// The wire value.
    public var description: String { rawValue }
}
