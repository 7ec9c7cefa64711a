/// How a CSV input is written: encoding, byte order mark, delimiter and record ends
/// (RFC 4180 plus the variants spreadsheets produce).
///
/// Get one from ``sniff(path:encoding:delimiter:sampleSize:)`` or
/// ``sniff(bytes:encoding:delimiter:isComplete:)`` before reading, or from
/// ``CSVReader/dialect`` while reading.
public struct CSVDialect: Sendable, Hashable, CustomStringConvertible {
    /// The input's encoding: `.utf8`, `.utf16LittleEndian`, `.utf16BigEndian` or `.windows1252`.
    public var encoding: CSVEncoding
    /// Whether the input starts with a byte order mark (which readers skip).
    public var hasByteOrderMark: Bool
    /// The field delimiter.
    public var delimiter: CSVDelimiter
    /// The record ends seen: in the sample when sniffed; so far when it comes from a reader.
    public var recordEnds: CSVRecordEndStyle

    /// Creates a dialect.
    public init(encoding: CSVEncoding, hasByteOrderMark: Bool, delimiter: CSVDelimiter, recordEnds: CSVRecordEndStyle) {
        self.encoding = encoding
        self.hasByteOrderMark = hasByteOrderMark
        self.delimiter = delimiter
        self.recordEnds = recordEnds
    }

    /// For example `utf-8 with BOM, semicolon, CRLF`.
    public var description: String {
        "\(encoding.name)\(hasByteOrderMark ? " with BOM" : ""), \(delimiter), \(recordEnds)"
    }
}
