/// A summary of a whole CSV input for `bulkrunner inspect`: dialect (encoding,
/// delimiter, record ends, per RFC 4180 and spreadsheet variants), header,
/// number of data records, and the first few records.
///
/// Reads the input once, the first records as Strings and the rest through the
/// byte-slice path, so it costs about as much as one pass of ``CSVReader/forEachRawRecord(_:)``.
public struct CSVInspection: Sendable, CustomStringConvertible {
    /// The input's name.
    public var file: String
    /// Encoding, byte order mark, delimiter, and the record ends of the whole input.
    public var dialect: CSVDialect
    /// The header, when read with one and the input is not empty.
    public var header: CSVHeader?
    /// The number of data records (the header not counted).
    public var recordCount: Int
    /// The first data records, at most the number asked for.
    public var sample: [CSVRecord]

    /// Reads the rest of `reader` and summarises it.
    ///
    /// - Throws: the first ``CSVError`` in the input.
    public init(reading reader: CSVReader, sampleCount: Int = 5) throws(CSVError) {
        var sample: [CSVRecord] = []
        var count = 0
        while let line = try reader.advance() {
            if sample.count < sampleCount {
                sample.append(CSVRecord(fields: try reader.currentStrings(), line: line, header: reader.header))
            } else {
                try reader.checkEncoding()
            }
            count += 1
        }
        file = reader.fileName
        dialect = reader.dialect
        header = reader.header
        recordCount = count
        self.sample = sample
    }

    /// Opens, reads and summarises the file at `path`.
    ///
    /// - Throws: ``CSVError`` when the file cannot be read or is not valid CSV.
    public static func inspect(
        path: String, options: CSVReader.Options = CSVReader.Options(), sampleCount: Int = 5
    ) throws(CSVError) -> CSVInspection {
        try CSVInspection(reading: CSVReader(path: path, options: options), sampleCount: sampleCount)
    }

    /// A short human summary, one fact per line, then the sample records.
    public var description: String {
        var lines = [
            "file: \(file)",
            "encoding: \(dialect.encoding.name)\(dialect.hasByteOrderMark ? " (with BOM)" : "")",
            "delimiter: \(dialect.delimiter)",
            "record ends: \(dialect.recordEnds)",
        ]
        if let header {
            lines.append("header (\(header.count) columns): \(header.names.joined(separator: ", "))")
        }
        lines.append("data records: \(recordCount)")
        for record in sample {
            lines.append("  line \(record.line): \(record.fields.joined(separator: " | "))")
        }
        return lines.joined(separator: "\n")
    }
}
