import Foundation

/// A buffered CSV writer (RFC 4180) that is safe to open in a spreadsheet: fields
/// are quoted only where needed, and cells a spreadsheet would run as formulas
/// are neutralised as OWASP's "CSV Injection" page recommends.
///
/// ```swift
/// let writer = try CSVWriter(path: "results.csv")
/// try writer.write(["account_id", "status"])
/// try writer.write(["012345678901", "=SUM(A1:A2)"])   // written as '=SUM(A1:A2)
/// try writer.close()
/// ```
///
/// Writes UTF-8, to a file, descriptor or file handle through a 64 KiB buffer,
/// or to memory (``init(options:)``, then ``bytes`` or ``string``). A field is
/// quoted when it holds the delimiter, a quote, CR or LF (quotes inside are
/// doubled), and a record of one empty field is written `""` so that it does not
/// read back as a blank line. Call ``close()`` (or ``flush()``) to see write errors;
/// deinit flushes on a best-effort basis. Use from one task at a time.
public final class CSVWriter {
    /// How to write: delimiter, record end, byte order mark and formula guard.
    public struct Options: Sendable, Hashable {
        /// The field delimiter; `,` by default.
        public var delimiter: CSVDelimiter
        /// The record end; CRLF by default (RFC 4180 §2.1).
        public var recordEnd: CSVRecordEnd
        /// Whether to start with a UTF-8 byte order mark (Excel then reads the file as UTF-8).
        public var writesByteOrderMark: Bool
        /// Whether to neutralise cells that start like a formula (OWASP CSV Injection); on by default.
        public var neutralizesFormulas: Bool

        /// Creates options; the defaults write RFC 4180 with the formula guard on.
        public init(
            delimiter: CSVDelimiter = .comma, recordEnd: CSVRecordEnd = .crlf,
            writesByteOrderMark: Bool = false, neutralizesFormulas: Bool = true
        ) {
            self.delimiter = delimiter
            self.recordEnd = recordEnd
            self.writesByteOrderMark = writesByteOrderMark
            self.neutralizesFormulas = neutralizesFormulas
        }
    }

    private enum Sink {
        case descriptor(Int32, closes: Bool)
        case memory
    }

    /// The output's name in errors: its path, or the name given.
    public let name: String
    /// The options in force.
    public let options: Options
    /// The number of records written so far.
    public private(set) var recordCount = 0

    private let sink: Sink
    private var isClosed = false
    private var pending: [UInt8] = []
    private let owner: AnyObject?
    private var failure: CSVError?
    private static let flushThreshold = 64 * 1024

    /// Creates (or truncates) the file at `path` and writes to it.
    public convenience init(path: String, options: Options = Options()) throws(CSVError) {
        let fd = System.openForWriting(path)
        if fd < 0 { throw CSVError.io(file: path, action: "cannot create the file", code: -fd) }
        self.init(sink: .descriptor(fd, closes: true), name: path, options: options, owner: nil)
    }

    /// Writes to an open file descriptor, which stays open (the caller owns it).
    public convenience init(fileDescriptor: Int32, name: String, options: Options = Options()) {
        self.init(sink: .descriptor(fileDescriptor, closes: false), name: name, options: options, owner: nil)
    }

    /// Writes to a file handle at its current offset; the handle stays open.
    public convenience init(fileHandle: FileHandle, name: String, options: Options = Options()) {
        self.init(sink: .descriptor(fileHandle.fileDescriptor, closes: false), name: name, options: options, owner: fileHandle)
    }

    /// Writes to memory; read the result with ``bytes`` or ``string``.
    public convenience init(options: Options = Options()) {
        self.init(sink: .memory, name: "<memory>", options: options, owner: nil)
    }

    private init(sink: Sink, name: String, options: Options, owner: AnyObject?) {
        self.sink = sink
        self.name = name
        self.options = options
        self.owner = owner
        pending.reserveCapacity(Self.flushThreshold + 4096)
        if options.writesByteOrderMark { pending.append(contentsOf: [0xEF, 0xBB, 0xBF]) }
    }

    deinit {
        if case .descriptor(let fd, let closes) = sink, !isClosed {
            if failure == nil, !pending.isEmpty {
                _ = pending.withUnsafeBytes { System.writeAll(fd, $0.baseAddress!, $0.count) }
            }
            if closes { System.close(fd) }
        }
    }

    /// Everything written so far, when writing to memory (empty otherwise).
    public var bytes: [UInt8] {
        if case .memory = sink { return pending }
        return []
    }

    /// Everything written so far as a String, when writing to memory.
    public var string: String { String(decoding: bytes, as: UTF8.self) }

    /// Writes one record.
    public func write<Fields: Sequence>(_ fields: Fields) throws(CSVError) where Fields.Element: StringProtocol {
        if let failure { throw failure }
        if isClosed { throw closedError() }
        let recordStart = pending.count
        var index = 0
        for field in fields {
            if index > 0 { pending.append(options.delimiter.asciiValue) }
            var text = String(field)
            text.withUTF8 { append(field: $0) }
            index += 1
        }
        if index == 1 && pending.count == recordStart { pending.append(contentsOf: [Self.quote, Self.quote]) }
        appendRecordEnd()
        recordCount += 1
        if pending.count >= Self.flushThreshold, case .descriptor = sink { try flush() }
    }

    /// Writes one record's fields.
    public func write(_ record: CSVRecord) throws(CSVError) {
        try write(record.fields)
    }

    /// Writes out buffered bytes (nothing to do in memory).
    public func flush() throws(CSVError) {
        if let failure { throw failure }
        guard case .descriptor(let fd, _) = sink, !pending.isEmpty else { return }
        let result = pending.withUnsafeBytes { System.writeAll(fd, $0.baseAddress!, $0.count) }
        if result < 0 {
            let error = CSVError.io(file: name, action: "cannot write", code: Int32(-result))
            failure = error
            throw error
        }
        pending.removeAll(keepingCapacity: true)
    }

    /// Flushes, and closes the file if the writer opened it; further writes fail.
    public func close() throws(CSVError) {
        guard !isClosed else { return }
        try flush()
        isClosed = true
        if case .descriptor(let fd, closes: true) = sink {
            let result = System.close(fd)
            if result < 0 { throw CSVError.io(file: name, action: "cannot close", code: -result) }
        }
    }

    // MARK: Formatting

    private static let quote = UInt8(ascii: "\"")
    private func appendRecordEnd() {
        switch options.recordEnd {
        case .lf: pending.append(0x0A)
        case .crlf: pending.append(contentsOf: [0x0D, 0x0A])
        case .cr: pending.append(0x0D)
        }
    }

    private func closedError() -> CSVError {
        CSVError(code: .io, file: name, line: 0, column: 0, byteOffset: 0,
                 reason: "cannot write: the writer is closed", hint: "Write every record before calling close().")
    }

    /// Appends one field: guarded against formulas if asked, quoted if needed.
    private func append(field: UnsafeBufferPointer<UInt8>) {
        let delimiter = options.delimiter.asciiValue
        let guarded = options.neutralizesFormulas && Self.looksLikeFormula(field)
        var needsQuotes = false
        for byte in field where byte == delimiter || byte == Self.quote || byte == 0x0A || byte == 0x0D {
            needsQuotes = true
            break
        }
        if needsQuotes { pending.append(Self.quote) }
        if guarded { pending.append(UInt8(ascii: "'")) }
        if needsQuotes {
            for byte in field {
                pending.append(byte)
                if byte == Self.quote { pending.append(Self.quote) }
            }
            pending.append(Self.quote)
        } else {
            pending.append(contentsOf: field)
        }
    }
}

@available(*, unavailable, message: "a writer is used from one task at a time")
extension CSVWriter: Sendable {}
