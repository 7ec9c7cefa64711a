extension Sort {
    /// Sort direction of ListChangeSets and ListEntities (botocore shape `SortOrder`; nested
    /// in ``Sort`` because Foundation already has a `SortOrder`).
    ///
    /// String-backed and tolerant: a value the model does not list decodes and round-trips
    /// unchanged (botocore shape `SortOrder`).
    public struct Order: RawRepresentable, Codable, Sendable, Hashable, ExpressibleByStringLiteral, CustomStringConvertible {
        /// The wire value.
        public let rawValue: String

        /// Wraps a wire value.
        public init(rawValue: String) { self.rawValue = rawValue }

        /// Wraps a literal wire value.
        public init(stringLiteral value: String) { self.rawValue = value }

        /// `ASCENDING`.
        public static let ascending = Order(rawValue: "ASCENDING")

        /// `DESCENDING`.
        public static let descending = Order(rawValue: "DESCENDING")

        /// The wire value.
        public var description: String { rawValue }
    }
}
