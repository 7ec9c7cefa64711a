/// Dialect sniffing: encoding from the byte order mark, delimiter and record ends
/// from the first records (RFC 4180 quoting respected).
extension CSVDialect {
    /// The number of bytes sniffing reads from a file: the first 64 KiB.
    public static let defaultSampleSize = 64 * 1024

    /// Sniffs the dialect of a file from its first `sampleSize` bytes only.
    ///
    /// - Parameters:
    ///   - encoding: `.auto` to detect (UTF-8 unless a UTF-16 byte order mark is present),
    ///     or the encoding to use.
    ///   - delimiter: nil to detect among `,` `;` tab `|`, or the delimiter to use.
    /// - Throws: ``CSVError`` with code `.io` when the file cannot be opened or read.
    public static func sniff(
        path: String, encoding: CSVEncoding = .auto, delimiter: CSVDelimiter? = nil,
        sampleSize: Int = defaultSampleSize
    ) throws(CSVError) -> CSVDialect {
        let fd = System.openForReading(path)
        if fd < 0 { throw CSVError.io(file: path, action: "cannot open the file", code: -fd) }
        defer { System.close(fd) }
        let size = max(sampleSize, 4)
        var sample = [UInt8](repeating: 0, count: size)
        var count = 0
        var complete = false
        let failure: Int = sample.withUnsafeMutableBufferPointer { buffer in
            while count < size {
                let n = System.read(fd, buffer.baseAddress! + count, size - count)
                if n < 0 { return -n }
                if n == 0 { complete = true; break }
                count += n
            }
            return 0
        }
        if failure != 0 { throw CSVError.io(file: path, action: "cannot read the file", code: Int32(failure)) }
        sample.removeSubrange(count...)
        return sniff(bytes: sample, encoding: encoding, delimiter: delimiter, isComplete: complete)
    }

    /// Sniffs the dialect of the first bytes of an input.
    ///
    /// - Parameter isComplete: whether `bytes` is the whole input (so that a last
    ///   record without a line break, or a final CR, counts).
    public static func sniff(
        bytes: [UInt8], encoding: CSVEncoding = .auto, delimiter: CSVDelimiter? = nil, isComplete: Bool = false
    ) -> CSVDialect {
        let detected = detectEncoding(prefix: bytes, requested: encoding)
        var utf8: [UInt8]
        let body = bytes[min(detected.byteOrderMarkLength, bytes.count)...]
        if let kind = detected.transcoding {
            var transcoder = Transcoder(kind: kind, sourceOffset: 0)
            utf8 = [UInt8](repeating: 0, count: Transcoder.maximumOutput(forInput: body.count))
            let input = Array(body) + [0]
            let written = input.withUnsafeBufferPointer { input in
                utf8.withUnsafeMutableBufferPointer { output in
                    transcoder.decode(input.baseAddress!, count: input.count - 1,
                                      into: output.baseAddress!, isFinal: isComplete).written
                }
            }
            utf8.removeSubrange(written...)
        } else {
            utf8 = Array(body)
        }
        let layout = utf8.withUnsafeBufferPointer { sample in
            sniffLayout(sample, isComplete: isComplete, delimiter: delimiter)
        }
        return CSVDialect(
            encoding: detected.encoding, hasByteOrderMark: detected.byteOrderMarkLength > 0,
            delimiter: layout.delimiter, recordEnds: layout.recordEnds
        )
    }

    /// What the first bytes of an input say about its encoding.
    struct DetectedEncoding {
        var encoding: CSVEncoding
        var byteOrderMarkLength: Int
        var transcoding: Transcoder.Kind?
    }

    /// Decides the encoding from the first (up to four) bytes and the request.
    static func detectEncoding(prefix: some Collection<UInt8>, requested: CSVEncoding) -> DetectedEncoding {
        let head = Array(prefix.prefix(4))
        let utf8BOM = head.count >= 3 && head[0] == 0xEF && head[1] == 0xBB && head[2] == 0xBF
        let littleBOM = head.count >= 2 && head[0] == 0xFF && head[1] == 0xFE
        let bigBOM = head.count >= 2 && head[0] == 0xFE && head[1] == 0xFF
        let utf8 = DetectedEncoding(encoding: .utf8, byteOrderMarkLength: utf8BOM ? 3 : 0, transcoding: nil)
        let little = DetectedEncoding(encoding: .utf16LittleEndian, byteOrderMarkLength: littleBOM ? 2 : 0,
                                      transcoding: .utf16(bigEndian: false))
        let big = DetectedEncoding(encoding: .utf16BigEndian, byteOrderMarkLength: bigBOM ? 2 : 0,
                                   transcoding: .utf16(bigEndian: true))
        // A byte order mark that contradicts a requested UTF-16 or Windows-1252 wins: no real
        // text in those encodings starts with it (it would be U+FFFE, U+BBEF or "ÿþ"), and
        // reading on would turn every cell into plausible-looking garbage without an error.
        // Explicit UTF-8 keeps its loud failure instead (0xFF/0xFE are invalid UTF-8).
        switch requested {
        case .auto:
            if littleBOM { return little }
            if bigBOM { return big }
            // UTF-16 saved without a byte order mark: the first two characters of a CSV are
            // ASCII, so every other byte is NUL (RFC 4627 §3 detects JSON's encoding the same
            // way). UTF-8 text never holds NUL bytes like this.
            if !utf8BOM, head.count == 4 {
                if head[0] != 0, head[1] == 0, head[2] != 0, head[3] == 0 { return little }
                if head[0] == 0, head[1] != 0, head[2] == 0, head[3] != 0 { return big }
            }
            return utf8
        case .utf8:
            return utf8
        case .utf16:
            if littleBOM { return little }
            if bigBOM { return big }
            if utf8BOM { return utf8 }
            return head.count >= 2 && head[0] == 0 && head[1] != 0 ? big : little
        case .utf16LittleEndian:
            return bigBOM ? big : utf8BOM ? utf8 : little
        case .utf16BigEndian:
            return littleBOM ? little : utf8BOM ? utf8 : big
        case .windows1252:
            return utf8BOM ? utf8 : littleBOM ? little : bigBOM ? big
                : DetectedEncoding(encoding: .windows1252, byteOrderMarkLength: 0, transcoding: .windows1252)
        }
    }

    /// Finds the delimiter and record ends in the first records of UTF-8 `sample`.
    ///
    /// For each candidate, counts its occurrences outside quotes in each of the
    /// first 100 non-blank records. A candidate found the same non-zero number of
    /// times in every record wins (the highest such count; ties go to the order
    /// of ``CSVDelimiter/candidates``); otherwise the candidate most frequent in
    /// the first record; otherwise the comma.
    static func sniffLayout(
        _ sample: UnsafeBufferPointer<UInt8>, isComplete: Bool, delimiter: CSVDelimiter?
    ) -> (delimiter: CSVDelimiter, recordEnds: CSVRecordEndStyle) {
        let candidates = CSVDelimiter.candidates
        var rows: [[Int]] = []
        var current = [Int](repeating: 0, count: candidates.count)
        var hasContent = false
        var inQuotes = false
        var lf = 0, crlf = 0, cr = 0
        var i = 0
        let count = sample.count
        func endRecord() {
            if hasContent { rows.append(current) }
            current = [Int](repeating: 0, count: candidates.count)
            hasContent = false
        }
        scan: while i < count && rows.count < 100 {
            let byte = sample[i]
            i += 1
            if inQuotes {
                if byte == UInt8(ascii: "\"") {
                    if i < count && sample[i] == UInt8(ascii: "\"") { i += 1 } else { inQuotes = false }
                }
                continue
            }
            switch byte {
            case UInt8(ascii: "\""):
                inQuotes = true
                hasContent = true
            case 0x0A:
                lf += 1
                endRecord()
            case 0x0D:
                if i < count {
                    if sample[i] == 0x0A { crlf += 1; i += 1 } else { cr += 1 }
                } else if isComplete {
                    cr += 1
                } else {
                    break scan
                }
                endRecord()
            default:
                hasContent = true
                if let k = candidates.firstIndex(where: { $0.asciiValue == byte }) { current[k] += 1 }
            }
        }
        if i >= count && isComplete && !inQuotes { endRecord() }
        let style = CSVRecordEndStyle(lf: lf, crlf: crlf, cr: cr)
        if let delimiter { return (delimiter, style) }
        var best: (index: Int, count: Int)?
        for k in candidates.indices {
            guard let first = rows.first?[k], first > 0, rows.allSatisfy({ $0[k] == first }) else { continue }
            if best == nil || first > best!.count { best = (k, first) }
        }
        if best == nil, let first = rows.first, let top = first.max(), top > 0 {
            best = (first.firstIndex(of: top)!, top)
        }
        return (best.map { candidates[$0.index] } ?? .comma, style)
    }
}
