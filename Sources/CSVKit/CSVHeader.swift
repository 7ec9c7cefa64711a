/// The names of a CSV input's columns, from its first record (RFC 4180 §2.3),
/// looked up ignoring case and surrounding spaces.
///
/// Shared by every record of a reader at the cost of one reference. Resolve a
/// name once with ``index(of:)`` and then use the index for the fastest access.
public struct CSVHeader: Sendable, Hashable, RandomAccessCollection {
    private final class Storage: Sendable {
        let names: [String]
        let lookup: [String: Int]

        init(names: [String]) {
            self.names = names
            var lookup: [String: Int] = [:]
            for (index, name) in names.enumerated() where lookup[CSVHeader.key(name)] == nil {
                lookup[CSVHeader.key(name)] = index
            }
            self.lookup = lookup
        }
    }

    private let storage: Storage

    /// Creates a header from column names, trimming surrounding spaces; a repeated name resolves to its first column.
    ///
    /// Readers reject empty and repeated names; this initializer, for writing and tests, does not.
    public init(names: [String]) {
        storage = Storage(names: names.map(CSVHeader.trimmed))
    }

    /// The column names, with surrounding spaces removed, in file order.
    public var names: [String] { storage.names }

    /// The 0-based index of the column called `name`, ignoring case and surrounding spaces.
    @inlinable
    public func index(of name: String) -> Int? { lookup(name) }

    @usableFromInline
    func lookup(_ name: String) -> Int? {
        storage.lookup[name] ?? storage.lookup[CSVHeader.key(name)]
    }

    /// The first column index (0).
    public var startIndex: Int { 0 }
    /// One past the last column index.
    public var endIndex: Int { storage.names.count }
    /// The name of column `index` (0-based).
    public subscript(index: Int) -> String { storage.names[index] }

    /// Whether both headers have the same names.
    public static func == (lhs: CSVHeader, rhs: CSVHeader) -> Bool {
        lhs.storage === rhs.storage || lhs.storage.names == rhs.storage.names
    }

    /// Hashes the names.
    public func hash(into hasher: inout Hasher) { hasher.combine(storage.names) }

    static func trimmed(_ name: String) -> String {
        guard let first = name.firstIndex(where: { !$0.isWhitespace }) else { return "" }
        let last = name.lastIndex(where: { !$0.isWhitespace })!
        return String(name[first...last])
    }

    /// The lookup key: trimmed and lowercased.
    static func key(_ name: String) -> String { trimmed(name).lowercased() }
}
