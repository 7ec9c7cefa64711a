import CSVKit
import Testing

/// Inputs read with tiny chunks (1–7 bytes), so that a chunk boundary falls at
/// every position: inside CRLF, between doubled quotes, inside multi-byte UTF-8
/// and UTF-16 characters, right after a delimiter or a CR.
@Suite("Chunk boundaries")
struct ChunkBoundaryTests {
    struct Case: Sendable, CustomTestStringConvertible {
        let name: String
        let bytes: [UInt8]
        var options = CSVReader.Options(hasHeader: false)
        let expected: [[String]]
        var lines: [Int]?

        var testDescription: String { name }
    }

    static let cases: [Case] = [
        Case(name: "CRLF records", bytes: Array("a,b\r\n1,2\r\n\r\n3,4\r\n".utf8),
             expected: [["a", "b"], ["1", "2"], ["3", "4"]], lines: [1, 2, 4]),
        Case(name: "lone CR records", bytes: Array("a,b\r1,2\r\r3,4".utf8),
             expected: [["a", "b"], ["1", "2"], ["3", "4"]], lines: [1, 2, 4]),
        Case(name: "doubled quotes", bytes: Array("\"x\"\"y\",\"\"\"\"\n\"\"\"\",\"\",\"a\"\"\"\n".utf8),
             expected: [["x\"y", "\""], ["\"", "", "a\""]]),
        Case(name: "quoted line breaks", bytes: Array("\"a\r\nb\",\"c\rd\",\"e\nf\"\r\nx,y,z".utf8),
             expected: [["a\r\nb", "c\rd", "e\nf"], ["x", "y", "z"]], lines: [1, 5]),
        Case(name: "multi-byte UTF-8", bytes: Array("é,ʤ,€,😀\n\"東京\",x😀y\n".utf8),
             expected: [["é", "ʤ", "€", "😀"], ["東京", "x😀y"]]),
        Case(name: "UTF-8 BOM", bytes: utf8BOM + Array("a;b\nc;d".utf8),
             expected: [["a", "b"], ["c", "d"]]),
        Case(name: "trailing delimiter and empty last field", bytes: Array("a,\n,\n,,".utf8),
             expected: [["a", ""], ["", ""], ["", "", ""]]),
        Case(name: "UTF-16 LE with surrogate pairs", bytes: utf16("a\tb\r\n😀x\t\"y\r\n😀\"\r\n", bigEndian: false),
             expected: [["a", "b"], ["😀x", "y\r\n😀"]]),
        Case(name: "UTF-16 BE", bytes: utf16("é,€\n😀,\"q\"\"\"\n", bigEndian: true),
             expected: [["é", "€"], ["😀", "q\""]]),
        Case(name: "Windows-1252", bytes: [0x80, 0x3B, 0xE9, 0x0D, 0x0A, 0x22, 0x93, 0x3B, 0x22, 0x3B, 0x78],
             options: .init(encoding: .windows1252, hasHeader: false), expected: [["€", "é"], ["\u{201C};", "x"]]),
        Case(name: "blank lines kept", bytes: Array("a\r\n\r\n\n\rb".utf8),
             options: .init(hasHeader: false, skipsBlankLines: false), expected: [["a"], [""], [""], [""], ["b"]],
             lines: [1, 2, 3, 4, 5]),
        Case(name: "header and named fields", bytes: Array("id,name\r\n1,\"x,y\"\r\n".utf8),
             options: .init(), expected: [["1", "x,y"]], lines: [2]),
    ]

    @Test("tiny chunks read exactly what one big chunk reads", arguments: cases, 1...7)
    func tinyChunks(_ input: Case, chunkSize: Int) throws {
        // With the delimiter detected (from a sample that tiny chunks build up) and given.
        let detected = try CSVReader(bytes: input.bytes, options: input.options).dialect.delimiter
        for delimiter in [nil, detected] {
            var options = input.options
            options.chunkSize = chunkSize
            options.delimiter = delimiter
            let read = try records(input.bytes, options)
            #expect(read.map(\.fields) == input.expected)
            if let lines = input.lines { #expect(read.map(\.line) == lines) }
            var raw: [[String]] = []
            try CSVReader(bytes: input.bytes, options: options).forEachRawRecord { raw.append($0.record().fields) }
            #expect(raw == input.expected)
        }
    }

    static let errorCases: [(name: String, bytes: [UInt8])] = [
        ("unterminated quote", Array("a,b\r\n\"x\r\ny".utf8)),
        ("stray quote", Array("a,b\r\nx,y\"z\r\n".utf8)),
        ("text after quote", Array("a,b\r\n\"x\"y,z\r\n".utf8)),
        ("field count", Array("a,b\r\n\"1\r\n2\",3,4\r\n".utf8)),
        ("invalid UTF-8 split", Array("a,b\r\nx,caf".utf8) + [0xC3, 0x28] + Array("\r\n".utf8)),
        ("truncated UTF-8 at the end", Array("a,b\r\nx,€".utf8).dropLast()),
        ("unpaired surrogate", Array(utf16("a,b\r\nx,", bigEndian: false)) + [0x3D, 0xD8, 0x2C, 0x00]),
    ]

    @Test("errors are the same, at the same place, whatever the chunk size", arguments: 0..<errorCases.count)
    func errorsAcrossChunks(_ index: Int) throws {
        let input = Self.errorCases[index]
        let reference = try #require(readError(input.bytes), "\(input.name) should fail")
        for chunkSize in 1...7 {
            let error = readError(input.bytes, .init(chunkSize: chunkSize))
            #expect(error == reference, "\(input.name), chunk size \(chunkSize)")
        }
    }

    @Test("every chunk size from 1 to 64 over a mixed input")
    func allSizes() throws {
        var text = "id;note;amount\r\n"
        for i in 0..<40 {
            text += "\(i);\"n\(i) \"\"q\"\" é😀\r\nsecond;line\";\(i).5\(i % 3 == 0 ? "\r" : "\n")"
        }
        let reference = try records(text)
        #expect(reference.count == 40)
        for chunkSize in 1...64 {
            #expect(try records(text, .init(chunkSize: chunkSize)) == reference, "chunk size \(chunkSize)")
        }
    }
}
