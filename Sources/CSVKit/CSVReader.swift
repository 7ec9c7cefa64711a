import Foundation

/// A streaming CSV reader (RFC 4180, plus what spreadsheets write): reads a file,
/// file descriptor, standard input or bytes in fixed-size chunks, so memory stays
/// flat whatever the input's size.
///
/// ```swift
/// let reader = try CSVReader(path: "partners.csv")
/// while let record = try reader.next() {
///     print(record.line, record["Account Id"] ?? "")
/// }
/// ```
///
/// What it accepts: a UTF-8 byte order mark (skipped); LF, CRLF and lone CR
/// record ends, mixed freely; quoted fields holding delimiters, doubled quotes
/// and line breaks; `,` `;` tab or `|` delimiters (detected from the first
/// 64 KiB unless given); UTF-16 with a byte order mark and Windows-1252, decoded
/// to UTF-8 when ``Options/encoding`` asks. A final record without a line break
/// is a record; an empty input has none.
///
/// What it rejects, with a ``CSVError`` naming file, line, column and byte
/// offset: an unterminated quote, a stray quote, a record whose field count
/// differs from the header's, bytes invalid in the encoding, and an empty or
/// repeated header name. The first error ends reading: later calls throw it again.
///
/// Cost: one buffer of about twice ``Options/chunkSize`` (more only for a single
/// record larger than that), no Foundation in the hot loop, and for each record
/// one array plus one String per field (none on ``forEachRawRecord(_:)``).
/// A reference type because it owns a descriptor and buffers; use it from one
/// task at a time.
public final class CSVReader {
    /// How to read: delimiter, encoding, header, blank lines and chunk size.
    public struct Options: Sendable, Hashable {
        /// The delimiter, or nil to detect it among `,` `;` tab `|` from the first 64 KiB.
        public var delimiter: CSVDelimiter?
        /// The encoding; `.auto` reads UTF-8 unless a UTF-16 byte order mark is present.
        public var encoding: CSVEncoding
        /// Whether the first record is a header naming the columns (then every record must have as many fields).
        public var hasHeader: Bool
        /// Whether empty lines are skipped; when not, each is a record of empty fields (as many as the header has, or one).
        public var skipsBlankLines: Bool
        /// How many bytes each `read(2)` asks for.
        public var chunkSize: Int

        /// The default chunk size: 128 KiB.
        public static let defaultChunkSize = 128 * 1024

        /// Creates options; the defaults read a headed file in any detected dialect.
        public init(
            delimiter: CSVDelimiter? = nil, encoding: CSVEncoding = .auto, hasHeader: Bool = true,
            skipsBlankLines: Bool = true, chunkSize: Int = defaultChunkSize
        ) {
            self.delimiter = delimiter
            self.encoding = encoding
            self.hasHeader = hasHeader
            self.skipsBlankLines = skipsBlankLines
            self.chunkSize = chunkSize
        }
    }

    /// The input's name in errors: its path, `<stdin>`, or the name given.
    public let fileName: String
    /// The options in force.
    public let options: Options
    /// The header, when ``Options/hasHeader`` and the input has at least one record.
    public internal(set) var header: CSVHeader?
    /// The physical line of the header (0 without one).
    public internal(set) var headerLine = 0

    // MARK: State (see CSVReader+Parsing.swift)

    var source: ByteSource
    let chunkSize: Int
    /// Decoded (UTF-8) bytes; `[start, end)` is not yet consumed.
    var buffer: UnsafeMutablePointer<UInt8>
    var capacity: Int
    var start = 0
    var end = 0
    /// The source is exhausted (and the transcoder flushed).
    var atEOF = false
    /// Input bytes for decoding UTF-16 or Windows-1252.
    var raw: UnsafeMutablePointer<UInt8>?
    var transcoder: Transcoder?
    /// The buffer index of the transcoder's first placeholder for undecodable input, or `Int.max`.
    var invalidAt = Int.max
    /// For a decoding failure: its exact source offset and reason.
    var decodeFailure: (sourceOffset: Int64, reason: String)?
    /// The source offset of `buffer[0]`.
    var baseSourceOffset: Int64 = 0
    /// The physical line at `start`.
    var line = 1
    /// The current record's fields.
    var fields: UnsafeMutablePointer<FieldSpan>
    var fieldCapacity = 16
    var fieldCount = 0
    /// 1 for the bytes that end an unquoted field: delimiter, quote, CR, LF.
    let special: UnsafeMutablePointer<UInt8>
    var delimiterByte: UInt8 = UInt8(ascii: ",")
    var encodingInfo = CSVDialect.DetectedEncoding(encoding: .utf8, byteOrderMarkLength: 0, transcoding: nil)
    var expectedFieldCount: Int?
    var failure: CSVError?
    var lfCount = 0
    var crlfCount = 0
    var crCount = 0
    /// Room for undoubling a quoted field's quotes before making its String.
    var scratch = UnsafeMutablePointer<UInt8>.allocate(capacity: 256 + CSVReader.slack)
    var scratchCapacity = 256
    /// Where the record last returned by `advance()` starts, and its line.
    var recordStart = 0
    var recordLine = 0

    /// Opens and reads a file: sniffs its dialect and reads its header.
    ///
    /// - Throws: ``CSVError`` when the file cannot be opened or read, or its header is invalid.
    public convenience init(path: String, options: Options = Options()) throws(CSVError) {
        let fd = System.openForReading(path)
        if fd < 0 { throw CSVError.io(file: path, action: "cannot open the file", code: -fd) }
        try self.init(source: ByteSource(.descriptor(fd, closes: true)), name: path, options: options)
    }

    /// Reads from an open file descriptor, which stays open (the caller owns it).
    public convenience init(fileDescriptor: Int32, name: String, options: Options = Options()) throws(CSVError) {
        try self.init(source: ByteSource(.descriptor(fileDescriptor, closes: false)), name: name, options: options)
    }

    /// Reads from a file handle from its current offset; the handle stays open.
    public convenience init(fileHandle: FileHandle, name: String, options: Options = Options()) throws(CSVError) {
        let source = ByteSource(.descriptor(fileHandle.fileDescriptor, closes: false), owner: fileHandle)
        try self.init(source: source, name: name, options: options)
    }

    /// Reads standard input, named `<stdin>` in errors.
    public static func standardInput(options: Options = Options()) throws(CSVError) -> CSVReader {
        try CSVReader(fileDescriptor: 0, name: "<stdin>", options: options)
    }

    /// Reads bytes in memory (still in chunks of ``Options/chunkSize``).
    public convenience init(bytes: some Sequence<UInt8>, name: String = "<memory>", options: Options = Options()) throws(CSVError) {
        try self.init(source: ByteSource(.memory(Array(bytes))), name: name, options: options)
    }

    /// Reads a string's UTF-8 bytes.
    public convenience init(string: String, name: String = "<memory>", options: Options = Options()) throws(CSVError) {
        try self.init(bytes: Array(string.utf8), name: name, options: options)
    }

    init(source: ByteSource, name: String, options: Options) throws(CSVError) {
        self.source = source
        self.fileName = name
        self.options = options
        chunkSize = max(1, options.chunkSize)
        capacity = chunkSize * 2 + 64
        buffer = .allocate(capacity: capacity + Self.slack)
        fields = .allocate(capacity: fieldCapacity)
        special = .allocate(capacity: 256)
        special.initialize(repeating: 0, count: 256)
        try begin()
    }

    deinit {
        source.close()
        buffer.deallocate()
        raw?.deallocate()
        fields.deallocate()
        special.deallocate()
        scratch.deallocate()
    }

    /// The dialect: encoding and byte order mark as detected, the delimiter in use,
    /// and the record ends seen so far (the whole input's once it has all been read).
    public var dialect: CSVDialect {
        CSVDialect(
            encoding: encodingInfo.encoding, hasByteOrderMark: encodingInfo.byteOrderMarkLength > 0,
            delimiter: CSVDelimiter.candidates.first { $0.asciiValue == delimiterByte }
                ?? CSVDelimiter(Character(Unicode.Scalar(delimiterByte)))!,
            recordEnds: CSVRecordEndStyle(lf: lfCount, crlf: crlfCount, cr: crCount)
        )
    }

    /// The next record, or nil at the end of the input.
    ///
    /// - Throws: ``CSVError``; after one, every call throws it again.
    public func next() throws(CSVError) -> CSVRecord? {
        guard let line = try advance() else { return nil }
        var fields = try currentStrings()
        if undoesFormulaGuard {
            for index in fields.indices where fields[index].utf8.first == UInt8(ascii: "'") {
                let rest = fields[index].dropFirst()
                if CSVWriter.looksLikeFormula(rest) { fields[index] = String(rest) }
            }
        }
        return CSVRecord(fields: fields, line: line, header: header)
    }

    /// Whether ``next()`` undoes ``CSVWriter``'s formula guard: a field that is `'` followed
    /// by what the guard neutralises (`'=…`, `'+…`, `'-…`, `'@…`) is handed out without the `'`.
    ///
    /// For reading back a file this tool wrote (a results file fed in again), so its cells
    /// are the values that were originally read; off by default, because in any other file
    /// a leading apostrophe is the author's.
    public var undoesFormulaGuard = false

    /// Calls `body` with each remaining record.
    public func forEach(_ body: (CSVRecord) throws -> Void) throws {
        while let record = try next() { try body(record) }
    }

    /// Reads every remaining record into an array (for small inputs; memory grows with the input).
    public func readAll() throws(CSVError) -> [CSVRecord] {
        var records: [CSVRecord] = []
        while let record = try next() { records.append(record) }
        return records
    }

    /// Calls `body` with each remaining record as byte slices: the fastest way to read.
    ///
    /// The ``CSVRawRecord`` is valid only during the call; see its documentation.
    public func forEachRawRecord(_ body: (CSVRawRecord) throws -> Void) throws {
        while let line = try advance() {
            try checkEncoding()
            try body(currentRawRecord(line: line))
        }
    }
}

@available(*, unavailable, message: "a reader is used from one task at a time")
extension CSVReader: Sendable {}
