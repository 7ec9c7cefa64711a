/// The reader's engine: chunked input, decoding, the RFC 4180 record scanner
/// (§2.1–2.7), restartable at any chunk boundary, and UTF-8 validation.
///
/// The scanner notes which fields hold non-ASCII bytes; only those are validated
/// (RFC 3629), when the record is handed out, so ASCII fields cost nothing extra.
///
/// A record is scanned from its first byte each time; when the buffer ends
/// before the record does, more input is read and the record is scanned again
/// (from the same first byte, which compaction moves to the buffer's start).
/// Records are small next to the 128 KiB chunks, so rescans cost little; for a
/// record over 16 chunks the reader doubles the data it has before scanning again.
extension CSVReader {
    static let quote = UInt8(ascii: "\"")
    /// Bytes allocated past each buffer's capacity, so that a field can be NUL-terminated in place.
    static let slack = 8
    static let lf: UInt8 = 0x0A
    static let cr: UInt8 = 0x0D

    enum Terminator {
        case none, lf, crlf, cr

        var length: Int {
            switch self {
            case .none: 0
            case .lf, .cr: 1
            case .crlf: 2
            }
        }
    }

    enum ParseFailure {
        case unterminatedQuote, strayQuote, textAfterQuote
    }

    enum ScanResult {
        case complete(next: Int, breaks: Int, terminator: Terminator)
        case incomplete
        case failure(ParseFailure, at: Int)
    }

    // MARK: Starting

    /// Detects the encoding, fills the first chunk(s), picks the delimiter, reads the header.
    func begin() throws(CSVError) {
        let prefix = UnsafeMutablePointer<UInt8>.allocate(capacity: chunkSize + 8)
        raw = prefix
        var count = 0
        var ended = false
        while count < 4 {
            let n = source.read(into: prefix + count, count: min(chunkSize, chunkSize + 8 - count))
            if n < 0 { throw fail(.io(file: fileName, action: "cannot read", code: Int32(-n))) }
            if n == 0 { ended = true; break }
            count += n
        }
        if count >= 4 {
            let head = (prefix[0], prefix[1], prefix[2], prefix[3])
            if head == (0x50, 0x4B, 0x03, 0x04) {
                throw fail(.workbook(file: fileName, kind: "a spreadsheet workbook (.xlsx or .ods: a ZIP archive)"))
            }
            if head == (0xD0, 0xCF, 0x11, 0xE0) {
                throw fail(.workbook(file: fileName, kind: "a legacy Excel workbook (.xls)"))
            }
        }
        encodingInfo = CSVDialect.detectEncoding(
            prefix: UnsafeBufferPointer(start: prefix, count: count), requested: options.encoding)
        let mark = encodingInfo.byteOrderMarkLength
        if let kind = encodingInfo.transcoding {
            transcoder = Transcoder(kind: kind, sourceOffset: Int64(mark))
            baseSourceOffset = Int64(mark)
            ensureSpace(Transcoder.maximumOutput(forInput: count))
            decode(prefix + mark, count: count - mark, isFinal: ended)
        } else {
            ensureSpace(count)
            buffer.update(from: prefix, count: count)
            end = count
            start = mark
            raw = nil
            prefix.deallocate()
        }
        atEOF = ended
        if let delimiter = options.delimiter {
            delimiterByte = delimiter.asciiValue
        } else {
            while !atEOF && end - start < CSVDialect.defaultSampleSize { try fillOnce() }
            let sample = UnsafeBufferPointer(start: buffer + start, count: end - start)
            delimiterByte = CSVDialect.sniffLayout(sample, isComplete: atEOF, delimiter: nil).delimiter.asciiValue
        }
        for byte in [delimiterByte, Self.quote, Self.cr, Self.lf] { special[Int(byte)] = 1 }
        if options.hasHeader, let headerLine = try advance() {
            try makeHeader(line: headerLine)
        }
    }

    private func makeHeader(line headerLine: Int) throws(CSVError) {
        let names = try currentStrings()
        let keys = names.map(CSVHeader.key)
        let empties = keys.indices.filter { keys[$0].isEmpty }
        if let first = empties.first {
            throw fail(.emptyHeader(file: fileName, at: fieldLocation(first, line: headerLine), columns: empties.map { $0 + 1 }))
        }
        var seen: [String: Int] = [:]
        for (index, key) in keys.enumerated() {
            if seen[key] != nil {
                let columns = keys.indices.filter { keys[$0] == key }.map { $0 + 1 }
                throw fail(.duplicateHeader(file: fileName, at: fieldLocation(index, line: headerLine),
                                            name: CSVHeader.trimmed(names[index]), columns: columns))
            }
            seen[key] = index
        }
        header = CSVHeader(names: names)
        self.headerLine = headerLine
        expectedFieldCount = names.count
    }

    // MARK: Input

    /// Makes room for `count` more bytes after `end`, moving the unread bytes to the front or growing.
    func ensureSpace(_ count: Int) {
        if capacity - end >= count { return }
        if start > 0 {
            baseSourceOffset += Transcoder.sourceLength(of: buffer, count: start, kind: transcoder?.kind)
            let remaining = end - start
            if remaining > 0 { buffer.update(from: buffer + start, count: remaining) }
            end = remaining
            if invalidAt != Int.max { invalidAt -= start }
            recordStart = max(0, recordStart - start)
            start = 0
        }
        if capacity - end >= count { return }
        var newCapacity = capacity
        while newCapacity - end < count { newCapacity *= 2 }
        let grown = UnsafeMutablePointer<UInt8>.allocate(capacity: newCapacity + Self.slack)
        grown.initialize(from: buffer, count: end)
        buffer.deallocate()
        buffer = grown
        capacity = newCapacity
    }

    /// Reads one chunk (decoding and validating it); at the end of the source sets `atEOF`.
    func fillOnce() throws(CSVError) {
        if let raw {
            ensureSpace(Transcoder.maximumOutput(forInput: chunkSize))
            let n = source.read(into: raw, count: chunkSize)
            if n < 0 { throw fail(.io(file: fileName, action: "cannot read", code: Int32(-n))) }
            decode(raw, count: n, isFinal: n == 0)
            if n == 0 { atEOF = true }
        } else {
            ensureSpace(chunkSize)
            let n = source.read(into: buffer + end, count: chunkSize)
            if n < 0 { throw fail(.io(file: fileName, action: "cannot read", code: Int32(-n))) }
            end += n
            if n == 0 { atEOF = true }
        }
    }

    /// Reads more for a record that does not fit yet: one chunk, or for a record
    /// over 16 chunks (and 64 KiB) as much again as it has, so that rescanning stays linear.
    private func fillForIncomplete() throws(CSVError) {
        let pending = end - start
        if pending <= max(16 * chunkSize, 64 * 1024) { return try fillOnce() }
        var added = 0
        while !atEOF && added < pending {
            let before = end - start
            try fillOnce()
            added += end - start - before
        }
    }

    private func decode(_ input: UnsafePointer<UInt8>, count: Int, isFinal: Bool) {
        let result = transcoder!.decode(input, count: count, into: buffer + end, isFinal: isFinal)
        if let problem = result.failure, invalidAt == Int.max {
            invalidAt = end + problem.outputIndex
            decodeFailure = (problem.sourceOffset, problem.reason)
        }
        end += result.written
    }

    // MARK: Records

    /// Finds the next record, leaving its fields in `fields[0..<fieldCount]`; its line, or nil at the end.
    func advance() throws(CSVError) -> Int? {
        if let failure { throw failure }
        while true {
            if start >= end {
                if atEOF { return nil }
                try fillOnce()
                continue
            }
            let first = buffer[start]
            if first == Self.lf || first == Self.cr {
                var length = 1
                if first == Self.cr {
                    if start + 1 < end {
                        if buffer[start + 1] == Self.lf { length = 2 }
                    } else if !atEOF {
                        try fillOnce()
                        continue
                    }
                }
                if length == 2 { crlfCount += 1 } else if first == Self.lf { lfCount += 1 } else { crCount += 1 }
                let blankLine = line
                line += 1
                start += length
                if options.skipsBlankLines { continue }
                let count = max(expectedFieldCount ?? 1, 1)
                reserveFields(count)
                for i in 0..<count { fields[i] = FieldSpan(start: start, end: start, flags: 0) }
                fieldCount = count
                recordStart = start
                recordLine = blankLine
                return blankLine
            }
            switch scanRecord(from: start) {
            case .incomplete:
                try fillForIncomplete()
            case .failure(let problem, let position):
                throw fail(parseError(problem, at: position))
            case .complete(let next, let breaks, let terminator):
                if let expected = expectedFieldCount, fieldCount != expected {
                    throw fail(fieldCountError(expected: expected, next: next, terminator: terminator))
                }
                switch terminator {
                case .lf: lfCount += 1
                case .crlf: crlfCount += 1
                case .cr: crCount += 1
                case .none: break
                }
                recordLine = line
                line += terminator == .none ? breaks : breaks + 1
                recordStart = start
                start = next
                return recordLine
            }
        }
    }

    /// Scans one record from `first`: RFC 4180 fields separated by the delimiter,
    /// quoted or not, ending at LF, CRLF, CR or the end of the input.
    ///
    /// Sixteen bytes at a time: an unquoted field up to the next delimiter, quote,
    /// CR or LF; a quoted field up to the next quote, CR or LF (line breaks are
    /// counted for line numbers). The bytes seen are OR-ed together to flag fields
    /// that hold non-ASCII bytes (sometimes a few bytes past the field: a flag too
    /// many only costs a validation).
    @inline(__always)
    private func scanRecord(from first: Int) -> ScanResult {
        let buf = buffer
        let end = self.end
        let eof = atEOF
        let delimiter = delimiterByte
        let special = self.special
        let quote = Self.quote, lf = Self.lf, cr = Self.cr
        let delimiters = SIMD16<UInt8>(repeating: delimiter)
        let quotes = SIMD16<UInt8>(repeating: quote)
        let lfs = SIMD16<UInt8>(repeating: lf)
        let crs = SIMD16<UInt8>(repeating: cr)
        var spans = fields
        var capacity = fieldCapacity
        var n = 0
        var p = first
        var breaks = 0

        fieldLoop: while true {
            if n == capacity {
                reserveFields(n + 1)
                spans = fields
                capacity = fieldCapacity
            }
            var seen = SIMD16<UInt8>()
            var seenTail: UInt8 = 0
            if p < end && buf[p] == quote {
                let contentStart = p &+ 1
                var q = contentStart
                var flags = FieldSpan.quoted
                while true {
                    var found = false
                    while q &+ 16 <= end {
                        let block = UnsafeRawPointer(buf + q).loadUnaligned(as: SIMD16<UInt8>.self)
                        seen |= block
                        let hits = (block .== quotes) .| (block .== lfs) .| (block .== crs)
                        if any(hits) {
                            q &+= UTF8Validation.firstLane(hits)
                            found = true
                            break
                        }
                        q &+= 16
                    }
                    if !found {
                        while q < end {
                            let byte = buf[q]
                            if byte == quote || byte == lf || byte == cr { found = true; break }
                            seenTail |= byte
                            q &+= 1
                        }
                        if !found { return eof ? .failure(.unterminatedQuote, at: p) : .incomplete }
                    }
                    let byte = buf[q]
                    if byte == lf {
                        breaks &+= 1
                        q &+= 1
                        continue
                    }
                    if byte == cr {
                        if q &+ 1 < end {
                            if buf[q &+ 1] != lf { breaks &+= 1 }
                            q &+= 1
                            continue
                        }
                        return eof ? .failure(.unterminatedQuote, at: p) : .incomplete
                    }
                    let after = q &+ 1
                    if after >= end {
                        if !eof { return .incomplete }
                        spans[n] = FieldSpan(start: contentStart, end: q, flags: flags | Self.nonASCIIFlag(seen, seenTail))
                        fieldCount = n &+ 1
                        return .complete(next: after, breaks: breaks, terminator: .none)
                    }
                    let c = buf[after]
                    if c == quote {
                        flags = FieldSpan.quoted | FieldSpan.escaped
                        q = after &+ 1
                        continue
                    }
                    spans[n] = FieldSpan(start: contentStart, end: q, flags: flags | Self.nonASCIIFlag(seen, seenTail))
                    n &+= 1
                    p = after
                    if c == delimiter {
                        p &+= 1
                        continue fieldLoop
                    }
                    if c == lf {
                        fieldCount = n
                        return .complete(next: p &+ 1, breaks: breaks, terminator: .lf)
                    }
                    if c == cr { return terminateCR(at: p, count: n, breaks: breaks) }
                    return .failure(.textAfterQuote, at: p)
                }
            }
            let fieldStart = p
            var found = false
            while p &+ 16 <= end {
                let block = UnsafeRawPointer(buf + p).loadUnaligned(as: SIMD16<UInt8>.self)
                seen |= block
                let hits = (block .== delimiters) .| (block .== quotes) .| (block .== lfs) .| (block .== crs)
                if any(hits) {
                    p &+= UTF8Validation.firstLane(hits)
                    found = true
                    break
                }
                p &+= 16
            }
            if !found {
                while p < end {
                    let byte = buf[p]
                    if special[Int(byte)] != 0 { break }
                    seenTail |= byte
                    p &+= 1
                }
            }
            let flags = Self.nonASCIIFlag(seen, seenTail)
            if p >= end {
                if !eof { return .incomplete }
                spans[n] = FieldSpan(start: fieldStart, end: p, flags: flags)
                fieldCount = n &+ 1
                return .complete(next: p, breaks: breaks, terminator: .none)
            }
            let c = buf[p]
            spans[n] = FieldSpan(start: fieldStart, end: p, flags: flags)
            n &+= 1
            if c == delimiter {
                p &+= 1
                continue fieldLoop
            }
            if c == lf {
                fieldCount = n
                return .complete(next: p &+ 1, breaks: breaks, terminator: .lf)
            }
            if c == cr { return terminateCR(at: p, count: n, breaks: breaks) }
            return .failure(.strayQuote, at: p)
        }
    }

    /// ``FieldSpan/nonASCII`` if any byte OR-ed into `seen` or `tail` has its top bit set.
    @inline(__always)
    static func nonASCIIFlag(_ seen: SIMD16<UInt8>, _ tail: UInt8) -> Int {
        let words = unsafeBitCast(seen, to: SIMD2<UInt64>.self)
        return (words[0] | words[1] | UInt64(tail)) & 0x8080_8080_8080_8080 != 0 ? FieldSpan.nonASCII : 0
    }

    @inline(__always)
    private func terminateCR(at p: Int, count: Int, breaks: Int) -> ScanResult {
        if p &+ 1 < end {
            fieldCount = count
            if buffer[p &+ 1] == Self.lf { return .complete(next: p &+ 2, breaks: breaks, terminator: .crlf) }
            return .complete(next: p &+ 1, breaks: breaks, terminator: .cr)
        }
        if !atEOF { return .incomplete }
        fieldCount = count
        return .complete(next: p &+ 1, breaks: breaks, terminator: .cr)
    }

    func reserveFields(_ count: Int) {
        guard count > fieldCapacity else { return }
        var newCapacity = fieldCapacity
        while newCapacity < count { newCapacity *= 2 }
        let grown = UnsafeMutablePointer<FieldSpan>.allocate(capacity: newCapacity)
        grown.initialize(from: fields, count: fieldCapacity)
        fields.deallocate()
        fields = grown
        fieldCapacity = newCapacity
    }

    // MARK: Output

    /// The current record's fields as Strings, validating non-ASCII fields.
    @inline(__always)
    func currentStrings() throws(CSVError) -> [String] {
        let count = fieldCount
        let buf = buffer
        let spans = fields
        var invalid = -1
        let strings = [String](unsafeUninitializedCapacity: count) { out, initialized in
            var item = out.baseAddress!
            for i in 0..<count {
                let span = spans[i]
                let bytes = UnsafeBufferPointer(start: buf + span.start, count: span.end &- span.start)
                if span.flags & (FieldSpan.escaped | FieldSpan.nonASCII) == 0 {
                    item.initialize(to: Self.asciiString(bytes))
                } else if let string = makeString(span, bytes) {
                    item.initialize(to: string)
                } else {
                    invalid = i
                    initialized = i
                    return
                }
                item += 1
            }
            initialized = count
        }
        if invalid >= 0 {
            // Fields before `invalid` were valid; find the bad byte in this one.
            let span = spans[invalid]
            let bad = UTF8Validation.validate(buf, from: span.start, to: span.end, isFinal: true).invalidAt ?? span.start
            throw fail(encodingError(at: bad, origin: recordStart, originLine: recordLine))
        }
        return strings
    }

    /// A field holding non-ASCII bytes or doubled quotes as a String; nil if it is not valid UTF-8.
    private func makeString(_ span: FieldSpan, _ bytes: UnsafeBufferPointer<UInt8>) -> String? {
        var content = UnsafeMutablePointer(mutating: bytes.baseAddress!)
        var count = bytes.count
        if span.flags & FieldSpan.escaped != 0 {
            if scratchCapacity < count {
                scratch.deallocate()
                scratchCapacity = max(count, scratchCapacity * 2)
                scratch = .allocate(capacity: scratchCapacity + Self.slack)
            }
            count = Self.undouble(from: content, count: count, into: scratch)
            content = scratch
        }
        if span.flags & FieldSpan.nonASCII == 0 {
            return Self.asciiString(UnsafeBufferPointer(start: content, count: count))
        }
        return Self.validatedString(content, count: count)
    }

    /// A String of ASCII bytes.
    ///
    /// Up to 15 bytes, `String(unsafeUninitializedCapacity:)` builds a small
    /// (inline) string and only checks that it is ASCII, skipping the general
    /// validation `String(decoding:)` runs; longer strings go the usual way.
    @inline(__always)
    static func asciiString(_ bytes: UnsafeBufferPointer<UInt8>) -> String {
        let count = bytes.count
        if count <= 15 {
            return String(unsafeUninitializedCapacity: count) { out in
                out.baseAddress!.initialize(from: bytes.baseAddress!, count: count)
                return count
            }
        }
        return String(decoding: bytes, as: UTF8.self)
    }

    /// Validates UTF-8 `bytes[0..<count]` and makes a String of them; nil if they are not valid.
    ///
    /// Uses the standard library's validation, once: `String(validatingCString:)` is
    /// not generic, unlike `String(validating:as:)`, whose metadata look-ups cost
    /// more than the validation on short fields, and it exists on every OS version.
    /// The byte after the field (inside the buffer's slack) becomes NUL for the
    /// call and is restored; a field holding NUL itself takes the slower path.
    @inline(__always)
    static func validatedString(_ bytes: UnsafeMutablePointer<UInt8>, count: Int) -> String? {
        let saved = bytes[count]
        bytes[count] = 0
        let string = UnsafeRawPointer(bytes).withMemoryRebound(to: CChar.self, capacity: count + 1) {
            String(validatingCString: $0)
        }
        bytes[count] = saved
        if let string, string.utf8.count == count { return string }
        guard UTF8Validation.validate(bytes, from: 0, to: count, isFinal: true).invalidAt == nil else { return nil }
        return String(decoding: UnsafeBufferPointer(start: bytes, count: count), as: UTF8.self)
    }

    /// Throws for the first non-ASCII field of the current record that is not valid UTF-8.
    func checkEncoding() throws(CSVError) {
        for i in 0..<fieldCount where fields[i].flags & FieldSpan.nonASCII != 0 {
            let span = fields[i]
            if let bad = UTF8Validation.validate(buffer, from: span.start, to: span.end, isFinal: true).invalidAt {
                throw fail(encodingError(at: bad, origin: recordStart, originLine: recordLine))
            }
        }
    }

    /// Copies `count` bytes of quoted content, writing each doubled quote once; the bytes written.
    /// `output` may be `input` itself (the copy only moves bytes towards the front).
    @inline(__always)
    static func undouble(from input: UnsafeMutablePointer<UInt8>, count: Int, into output: UnsafeMutablePointer<UInt8>) -> Int {
        var read = 0
        var written = 0
        while read < count {
            let rest = count &- read
            guard let hit = System.find(quote, in: input + read, count: rest) else {
                (output + written).update(from: input + read, count: rest)
                return written &+ rest
            }
            let length = hit - (input + read) &+ 1
            (output + written).update(from: input + read, count: length)
            written &+= length
            read &+= length &+ 1
        }
        return written
    }

    /// The current record as byte slices, undoubling quotes in place first.
    @inline(__always)
    func currentRawRecord(line: Int) -> CSVRawRecord {
        for i in 0..<fieldCount where fields[i].flags & FieldSpan.escaped != 0 {
            var span = fields[i]
            let start = buffer + span.start
            span.end = span.start + Self.undouble(from: start, count: span.end - span.start, into: start)
            span.flags = FieldSpan.quoted
            fields[i] = span
        }
        return CSVRawRecord(base: buffer, spans: fields, count: fieldCount, line: line, header: header)
    }

    // MARK: Errors

    /// Remembers `error` as the reader's final state and returns it.
    func fail(_ error: CSVError) -> CSVError {
        failure = error
        return error
    }

    /// Where `position` is, counting lines from the record that starts at `origin` on `originLine`.
    func location(at position: Int, origin: Int, originLine: Int) -> CSVError.Location {
        var line = originLine
        var lineStart = origin
        var i = origin
        while i < position {
            let byte = buffer[i]
            if byte == Self.lf || (byte == Self.cr && (i + 1 >= end || buffer[i + 1] != Self.lf)) {
                line += 1
                lineStart = i + 1
            }
            i += 1
        }
        let column = UTF8Validation.scalarCount(buffer, from: lineStart, to: position) + 1
        let offset: Int64
        if let decodeFailure, position == invalidAt {
            offset = decodeFailure.sourceOffset
        } else {
            offset = baseSourceOffset + Transcoder.sourceLength(of: buffer, count: position, kind: transcoder?.kind)
        }
        return CSVError.Location(line: line, column: column, byteOffset: offset)
    }

    /// The location of the current record's field `index` (its opening quote, if quoted).
    private func fieldLocation(_ index: Int, line recordLine: Int) -> CSVError.Location {
        let span = fields[index]
        let position = span.flags & FieldSpan.quoted != 0 ? span.start - 1 : span.start
        return location(at: position, origin: recordStart, originLine: recordLine)
    }

    private func parseError(_ problem: ParseFailure, at position: Int) -> CSVError {
        // Undecodable bytes up to the problem are the likelier cause: report them first.
        let reached = problem == .unterminatedQuote ? end : min(end, position + 4)
        let isFinal = reached == end && atEOF
        if let bad = UTF8Validation.validate(buffer, from: start, to: reached, isFinal: isFinal).invalidAt {
            return encodingError(at: bad, origin: start, originLine: line)
        }
        let here = location(at: position, origin: start, originLine: line)
        switch problem {
        case .unterminatedQuote: return .unterminatedQuote(file: fileName, at: here)
        case .strayQuote: return .strayQuote(file: fileName, at: here)
        case .textAfterQuote: return .textAfterQuote(file: fileName, at: here, delimiter: dialect.delimiter)
        }
    }

    private func encodingError(at position: Int, origin: Int, originLine: Int) -> CSVError {
        let here = location(at: position, origin: origin, originLine: originLine)
        if let decodeFailure, position == invalidAt {
            return .invalidUTF16(file: fileName, at: here, reason: decodeFailure.reason)
        }
        var bytes = [buffer[position]]
        var i = position + 1
        while i < end && bytes.count < 4 && buffer[i] & 0xC0 == 0x80 {
            bytes.append(buffer[i])
            i += 1
        }
        var hasNUL = false
        for j in origin..<position where buffer[j] == 0 { hasNUL = true }
        return .invalidUTF8(file: fileName, at: here, bytes: bytes, looksLikeUTF16: hasNUL)
    }

    private func fieldCountError(expected: Int, next: Int, terminator: Terminator) -> CSVError {
        let position: Int
        if fieldCount > expected {
            let span = fields[expected]
            position = span.flags & FieldSpan.quoted != 0 ? span.start - 1 : span.start
        } else {
            position = next - terminator.length
        }
        let here = location(at: position, origin: start, originLine: line)
        return .fieldCount(file: fileName, at: here, expected: expected, found: fieldCount,
                           headerLine: header == nil ? nil : headerLine, delimiter: dialect.delimiter)
    }
}
