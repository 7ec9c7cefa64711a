/// One record as byte slices of the reader's buffer: the lazy, fastest way to read
/// (RFC 4180 fields; no String is made unless asked for).
///
/// Valid only inside the closure given to ``CSVReader/forEachRawRecord(_:)``:
/// do not keep it, its slices, or pointers into them, and do not use the reader
/// from inside the closure. Each slice is the field's content, well-formed
/// UTF-8 (the reader has already validated it), without its quotes and with
/// doubled quotes undoubled.
public struct CSVRawRecord {
    @usableFromInline let base: UnsafePointer<UInt8>
    @usableFromInline let spans: UnsafePointer<FieldSpan>
    /// The number of fields.
    public let count: Int
    /// The 1-based physical line the record starts on.
    public let line: Int
    /// The reader's header, for access by column name; nil when reading without one.
    public let header: CSVHeader?

    init(base: UnsafePointer<UInt8>, spans: UnsafePointer<FieldSpan>, count: Int, line: Int, header: CSVHeader?) {
        self.base = base
        self.spans = spans
        self.count = count
        self.line = line
        self.header = header
    }

    /// The bytes of the field at a 0-based index.
    @inlinable
    public subscript(index: Int) -> UnsafeBufferPointer<UInt8> {
        precondition(index >= 0 && index < count, "field index out of range")
        let span = spans[index]
        return UnsafeBufferPointer(start: base + span.start, count: span.end &- span.start)
    }

    /// The bytes of the field in the column called `name`; nil when there is no such column.
    public subscript(name: String) -> UnsafeBufferPointer<UInt8>? {
        guard let index = header?.index(of: name), index < count else { return nil }
        return self[index]
    }

    /// The field at a 0-based index as a String.
    @inlinable
    public func string(at index: Int) -> String {
        String(decoding: self[index], as: UTF8.self)
    }

    /// The whole record as Strings.
    public func record() -> CSVRecord {
        CSVRecord(fields: (0..<count).map(string(at:)), line: line, header: header)
    }
}

@available(*, unavailable, message: "a raw record is only valid inside the closure that received it")
extension CSVRawRecord: Sendable {}

/// Where one field's content lies in the reader's buffer.
@usableFromInline
struct FieldSpan {
    /// The content's first byte (after an opening quote).
    @usableFromInline var start: Int
    /// One past the content's last byte (before a closing quote).
    @usableFromInline var end: Int
    /// ``quoted`` and ``escaped`` bits.
    @usableFromInline var flags: Int

    /// The field was quoted.
    static let quoted = 1
    /// The field holds doubled quotes that still need undoubling.
    static let escaped = 2
    /// The field holds bytes above 0x7F, to be validated as UTF-8.
    static let nonASCII = 4

    @inline(__always)
    init(start: Int, end: Int, flags: Int) {
        self.start = start
        self.end = end
        self.flags = flags
    }
}
