/// One record of a CSV input (RFC 4180 §2.1): its fields as Strings, the physical
/// line it started on, and the header for access by column name.
///
/// A value: copying it copies three references. Fields are in file order;
/// quoted fields come without their quotes and with doubled quotes undoubled.
public struct CSVRecord: Sendable, Hashable, RandomAccessCollection {
    /// The fields, in file order.
    public var fields: [String]
    /// The 1-based physical line the record starts on (0 for records not read from input).
    public var line: Int
    /// The reader's header, for ``subscript(_:)-(String)``; nil when reading without one.
    public var header: CSVHeader?

    /// Creates a record.
    public init(fields: [String], line: Int = 0, header: CSVHeader? = nil) {
        self.fields = fields
        self.line = line
        self.header = header
    }

    /// The first field index (0).
    public var startIndex: Int { 0 }
    /// One past the last field index.
    public var endIndex: Int { fields.count }

    /// The field at a 0-based index.
    public subscript(index: Int) -> String { fields[index] }

    /// The field in the column called `name` (ignoring case and surrounding spaces); nil when there is no such column.
    public subscript(name: String) -> String? {
        guard let index = header?.index(of: name), index < fields.count else { return nil }
        return fields[index]
    }
}
