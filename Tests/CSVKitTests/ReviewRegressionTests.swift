import CSVKit
import Foundation
import TestSupport
import Testing

/// A deliberately naive reference reader: strict RFC 4180 with LF, CRLF and lone CR record
/// ends, blank lines skipped; each record with its first physical line; nil on any error.
func referenceParse(_ b: [UInt8]) -> [([String], Int)]? {
    var out: [([String], Int)] = []
    var i = 0
    var line = 1
    let n = b.count
    func isEnd(_ c: UInt8) -> Bool { c == 10 || c == 13 }
    while i < n {
        if isEnd(b[i]) {
            if b[i] == 13 && i + 1 < n && b[i + 1] == 10 { i += 1 }
            i += 1; line += 1; continue
        }
        let recLine = line
        var fields: [String] = []
        while true {
            var f: [UInt8] = []
            if i < n && b[i] == 34 {
                i += 1
                while true {
                    if i >= n { return nil }
                    if b[i] == 34 {
                        if i + 1 < n && b[i + 1] == 34 { f.append(34); i += 2; continue }
                        i += 1; break
                    }
                    if b[i] == 10 { line += 1 }
                    if b[i] == 13 && !(i + 1 < n && b[i + 1] == 10) { line += 1 }
                    f.append(b[i]); i += 1
                }
                if i < n && !(b[i] == 44 || isEnd(b[i])) { return nil }
            } else {
                while i < n && b[i] != 44 && !isEnd(b[i]) {
                    if b[i] == 34 { return nil }
                    f.append(b[i]); i += 1
                }
            }
            guard let s = String(validating: f, as: UTF8.self) else { return nil }
            fields.append(s)
            if i >= n { break }
            if b[i] == 44 { i += 1; continue }
            if b[i] == 13 && i + 1 < n && b[i + 1] == 10 { i += 1 }
            i += 1; line += 1
            break
        }
        out.append((fields, recLine))
    }
    return out
}

/// Regression tests from the adversarial review of CSVKit: NUL bytes (the reader writes a
/// NUL past a field to build its String), descriptors on failed opens, pipes that trickle,
/// and a differential check against a naive reference reader at tiny chunk sizes.
@Suite("Review: NUL bytes, descriptors, pipes, differential")
struct CSVReviewTests {
    @Test("fields holding NUL bytes are read whole, whatever the chunk size and path", arguments: [1, 2, 3, 5, 64 * 1024])
    func nulBytesAreData(chunkSize: Int) throws {
        let cases: [(String, [String])] = [
            ("a\u{0}b,c\n", ["a\u{0}b", "c"]),
            ("abcdefghijklmnopqrstuvwxyz\u{0}tail,c\n", ["abcdefghijklmnopqrstuvwxyz\u{0}tail", "c"]),
            ("é\u{0}x,c\n", ["é\u{0}x", "c"]),
            ("\"a\"\"\u{0}b\",c\n", ["a\"\u{0}b", "c"]),
            ("\"é\"\"\u{0}b\",c\n", ["é\"\u{0}b", "c"]),
            ("é\u{0},\u{0}\n", ["é\u{0}", "\u{0}"]),
            ("\u{0}é\u{0}é\u{0},\u{0}", ["\u{0}é\u{0}é\u{0}", "\u{0}"]),
        ]
        let options = CSVReader.Options(delimiter: .comma, hasHeader: false, chunkSize: chunkSize)
        for (text, expected) in cases {
            #expect(try rows(text, options) == [expected], "\(text.debugDescription)")
            var raw: [[String]] = []
            try CSVReader(string: text, options: options).forEachRawRecord { raw.append($0.record().fields) }
            #expect(raw == [expected])
        }
        // A NUL does not hide invalid UTF-8 after it.
        let bad: [UInt8] = Array("é".utf8) + [0, 0xFF] + Array(",c\n".utf8)
        #expect(readError(bad, options)?.code == .invalidEncoding)
    }

    #if os(Linux)
    @Test("a file whose header is refused does not leak its descriptor")
    func noDescriptorLeakOnHeaderError() throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let path = directory.path("duplicate.csv").path
        try Data("Id, ID\n1,2\n".utf8).write(to: URL(fileURLWithPath: path))
        func openDescriptors() -> Int { (try? FileManager.default.contentsOfDirectory(atPath: "/proc/self/fd").count) ?? 0 }
        let before = openDescriptors()
        for _ in 0..<64 { #expect(throws: CSVError.self) { _ = try CSVReader(path: path) } }
        #expect(openDescriptors() - before < 8)
    }
    #endif

    @Test("a pipe that delivers one byte at a time, a byte order mark split over three reads")
    func tricklingPipe() throws {
        let bytes: [UInt8] = utf8BOM + Array("id;name\r\n1;\"a\r\nb\"\r\n2;é\r".utf8)
        let pipe = Pipe()
        let writer = pipe.fileHandleForWriting
        let thread = Thread {
            for byte in bytes {
                writer.write(Data([byte]))
                usleep(100)
            }
            try? writer.close()
        }
        thread.start()
        let reader = try CSVReader(fileHandle: pipe.fileHandleForReading, name: "<pipe>")
        let records = try reader.readAll()
        #expect(records.map(\.fields) == [["1", "a\r\nb"], ["2", "é"]])
        #expect(records.map(\.line) == [2, 4])
        #expect(reader.dialect.hasByteOrderMark && reader.dialect.delimiter == .semicolon)
    }

    @Test("a byte order mark that contradicts the requested encoding wins instead of yielding silent garbage",
          arguments: [CSVEncoding.windows1252, .utf16LittleEndian, .utf16BigEndian, .utf16])
    func byteOrderMarkWinsOverRequest(requested: CSVEncoding) throws {
        let text = "id\tname\r\n1\té€\r\n"
        let inputs: [([UInt8], CSVEncoding)] = [
            (utf16(text, bigEndian: false), .utf16LittleEndian),
            (utf16(text, bigEndian: true), .utf16BigEndian),
            (utf8BOM + Array(text.utf8), .utf8),
        ]
        for (bytes, actual) in inputs {
            let reader = try CSVReader(bytes: bytes, options: .init(encoding: requested))
            #expect(reader.dialect.encoding == actual && reader.dialect.hasByteOrderMark, "\(requested) on \(actual)")
            #expect(reader.header?.names == ["id", "name"])
            #expect(try reader.readAll().map(\.fields) == [["1", "é€"]], "\(requested) on \(actual)")
        }
    }

    static func sameRecords(_ expected: [([String], Int)]?, _ got: [([String], Int)]?) -> Bool {
        switch (expected, got) {
        case (nil, nil): return true
        case let (e?, g?): return e.count == g.count && zip(e, g).allSatisfy { $0.0 == $1.0 && $0.1 == $1.1 }
        default: return false
        }
    }

    @Test("random inputs read as the naive reference reads them (fields, lines, errors), UTF-8 and UTF-16, chunks of 1–6 bytes")
    func differential() {
        var generator = SeededGenerator(seed: 42)
        let pieces: [String] = [",", "\"", "\n", "\r", "\r\n", "a", "b", " ", "é", "😀", "\u{0}", "\"\""]
        var mismatches = 0
        for index in 0..<6000 {
            var text = ""
            for _ in 0..<Int.random(in: 0...14, using: &generator) {
                text += pieces[Int.random(in: 0..<pieces.count, using: &generator)]
            }
            var bytes = Array(text.utf8)
            if index % 7 == 0 { bytes.insert(0xFF, at: Int.random(in: 0...bytes.count, using: &generator)) }
            let options = CSVReader.Options(delimiter: .comma, hasHeader: false, chunkSize: Int.random(in: 1...6, using: &generator))
            // Two ASCII characters with NUL bytes after them are UTF-16 saved without a BOM (the
            // rule of `CSVEncoding.auto`): not UTF-8, so not for the UTF-8 reference.
            if bytes.count >= 4, bytes[0] != 0, bytes[1] == 0, bytes[2] != 0, bytes[3] == 0 { continue }
            if bytes.count >= 4, bytes[0] == 0, bytes[1] != 0, bytes[2] == 0, bytes[3] != 0 { continue }
            let expected = referenceParse(bytes)
            let got = try? CSVReader(bytes: bytes, options: options).readAll().map { ($0.fields, $0.line) }
            if !Self.sameRecords(expected, got) {
                mismatches += 1
                if mismatches <= 5 { Issue.record("UTF-8 \(bytes), chunk \(options.chunkSize): \(String(describing: got))") }
            }
            if index % 7 != 0 {
                let utf16Got = try? CSVReader(bytes: utf16(text, bigEndian: index % 2 == 0), options: options)
                    .readAll().map { ($0.fields, $0.line) }
                if !Self.sameRecords(expected, utf16Got) {
                    mismatches += 1
                    if mismatches <= 5 { Issue.record("UTF-16 \(text.debugDescription), chunk \(options.chunkSize)") }
                }
            }
        }
        #expect(mismatches == 0)
    }
}
