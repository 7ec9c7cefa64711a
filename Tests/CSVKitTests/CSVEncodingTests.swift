import CSVKit
import Foundation
import Testing

@Suite("Encodings")
struct CSVEncodingTests {
    @Test("UTF-16 little endian with BOM: Excel's tab-separated Unicode Text")
    func utf16LittleEndian() throws {
        let reader = try CSVReader(bytes: utf16("Name\tCity\r\nRené\tKöln 😀\r\n\"a\tb\"\t\"x\r\ny\"\r\n", bigEndian: false))
        #expect(reader.dialect.encoding == .utf16LittleEndian)
        #expect(reader.dialect.hasByteOrderMark)
        #expect(reader.dialect.delimiter == .tab)
        let read = try reader.readAll()
        #expect(read.map(\.fields) == [["René", "Köln 😀"], ["a\tb", "x\r\ny"]])
        #expect(read.map(\.line) == [2, 3])
    }

    @Test("UTF-16 big endian with BOM")
    func utf16BigEndian() throws {
        let reader = try CSVReader(bytes: utf16("a,b\n東京,€\n", bigEndian: true), options: .init(encoding: .utf16))
        #expect(reader.dialect.encoding == .utf16BigEndian)
        #expect(try reader.readAll().map(\.fields) == [["東京", "€"]])
    }

    @Test("UTF-16 without BOM when asked for, guessing the byte order from the first character")
    func utf16WithoutBOM() throws {
        let little = Array(utf16("a,b\nc,d\n", bigEndian: false).dropFirst(2))
        #expect(try records(little, .init(encoding: .utf16)).map(\.fields) == [["c", "d"]])
        let big = Array(utf16("a,b\nc,d\n", bigEndian: true).dropFirst(2))
        #expect(try records(big, .init(encoding: .utf16)).map(\.fields) == [["c", "d"]])
        #expect(try records(big, .init(encoding: .utf16BigEndian)).map(\.fields) == [["c", "d"]])
    }

    @Test("auto reads UTF-16 saved without a BOM: its first two characters are ASCII with NUL bytes between")
    func utf16WithoutBOMDetected() throws {
        let little = Array(utf16("Name,City\nRené,Köln\n", bigEndian: false).dropFirst(2))
        let reader = try CSVReader(bytes: little)
        #expect(reader.dialect.encoding == .utf16LittleEndian)
        #expect(!reader.dialect.hasByteOrderMark)
        #expect(try reader.readAll().map(\.fields) == [["René", "Köln"]])
        let big = Array(utf16("a;b\r\n東京;€\r\n", bigEndian: true).dropFirst(2))
        let bigReader = try CSVReader(bytes: big)
        #expect(bigReader.dialect.encoding == .utf16BigEndian)
        #expect(bigReader.dialect.delimiter == .semicolon)
        #expect(try bigReader.readAll().map(\.fields) == [["東京", "€"]])
        // UTF-8 with a NUL inside stays UTF-8; so does a file too short to tell.
        #expect(try CSVReader(bytes: Array("a\u{0}b\n".utf8)).dialect.encoding == .utf8)
        #expect(try CSVReader(bytes: [0x61, 0x00, 0x0A]).dialect.encoding == .utf8)
    }

    @Test("invalid UTF-16 is an error at the bad code unit's byte offset")
    func invalidUTF16() throws {
        // BOM, "a\n", then a lone low surrogate.
        let lone = try #require(readError([0xFF, 0xFE, 0x61, 0x00, 0x0A, 0x00, 0x00, 0xDC, 0x0A, 0x00]))
        #expect((lone.code, lone.line, lone.column, lone.byteOffset) == (.invalidEncoding, 2, 1, 6))
        #expect(lone.reason == "invalid UTF-16: low surrogate 0xDC00 without a high surrogate before it")
        // A high surrogate followed by a letter.
        let high = try #require(readError([0xFF, 0xFE, 0x61, 0x00, 0x0A, 0x00, 0x62, 0x00, 0x3D, 0xD8, 0x63, 0x00]))
        #expect((high.line, high.column, high.byteOffset) == (2, 2, 8))
        // An odd number of bytes.
        let odd = try #require(readError([0xFF, 0xFE, 0x61, 0x00, 0x0A, 0x00, 0x62]))
        #expect((odd.line, odd.column, odd.byteOffset) == (2, 1, 6))
        #expect(odd.reason.contains("odd number of bytes"))
    }

    @Test("byte offsets in UTF-16 input count the input's bytes")
    func utf16Offsets() throws {
        let error = try #require(readError(utf16("a,b\n😀,x\"y\n", bigEndian: false)))
        #expect(error.code == .strayQuote)
        // BOM 2 + "a,b\n" 8 + 😀 4 + ",x" 4 = 18
        #expect((error.line, error.column, error.byteOffset) == (2, 4, 18))
    }

    @Test("Windows-1252 on request: 0x80 is €, 0xE9 is é, and the rest of the table")
    func windows1252() throws {
        let bytes: [UInt8] = Array("name;price\r\n".utf8) + [0x80, 0x20, 0x63, 0x61, 0x66, 0xE9, 0x3B, 0x93, 0x31, 0x94, 0x0D, 0x0A]
            + [0x81, 0x8A, 0x9F, 0xA0, 0xFF, 0x3B, 0x78, 0x0D, 0x0A]
        let reader = try CSVReader(bytes: bytes, options: .init(encoding: .windows1252))
        #expect(reader.dialect.encoding == .windows1252)
        #expect(reader.dialect.delimiter == .semicolon)
        let read = try reader.readAll()
        #expect(read.map(\.fields) == [["€ café", "\u{201C}1\u{201D}"], ["\u{81}Š\u{178}\u{A0}ÿ", "x"]])
    }

    @Test("byte offsets in Windows-1252 input count the input's bytes")
    func windows1252Offsets() throws {
        let bytes: [UInt8] = Array("a,b\n".utf8) + [0xE9] + Array(",x\"\n".utf8)
        let error = try #require(readError(bytes, .init(encoding: .windows1252)))
        #expect((error.code, error.line, error.column, error.byteOffset) == (.strayQuote, 2, 4, 7))
    }

    @Test("Windows-1252 that reaches the reader as UTF-8 fails with the hint")
    func windows1252AsUTF8() throws {
        let bytes: [UInt8] = Array("a,b\n".utf8) + [0x80, 0x2C, 0x78, 0x0A]
        let error = try #require(readError(bytes))
        #expect(error.code == .invalidEncoding)
        #expect(error.hint.contains("--encoding windows-1252"))
        #expect(error.description.hasPrefix("<memory>:2:1: invalid UTF-8: byte 0x80"))
    }

    @Test("a UTF-8 BOM wins over a request for Windows-1252")
    func bomWins() throws {
        let reader = try CSVReader(bytes: utf8BOM + Array("a\né\n".utf8), options: .init(encoding: .windows1252))
        #expect(reader.dialect.encoding == .utf8)
        #expect(try reader.readAll().map(\.fields) == [["é"]])
    }

    @Test("auto reads UTF-8 unless a UTF-16 BOM is present")
    func auto() throws {
        #expect(try CSVReader(bytes: utf16("a\nb\n", bigEndian: false)).dialect.encoding == .utf16LittleEndian)
        #expect(try CSVReader(string: "a\nb\n").dialect.encoding == .utf8)
        #expect(try CSVReader(string: "a\nb\n").dialect.hasByteOrderMark == false)
        // Explicit UTF-8 does not look for a UTF-16 BOM: its 0xFF is invalid UTF-8.
        let error = try #require(readError(utf16("a\nb\n", bigEndian: false), .init(encoding: .utf8)))
        #expect(error.code == .invalidEncoding)
    }

    @Test("encoding names as a command line gives them")
    func names() {
        #expect(CSVEncoding(name: "windows-1252") == .windows1252)
        #expect(CSVEncoding(name: "CP1252") == .windows1252)
        #expect(CSVEncoding(name: "utf-8") == .utf8)
        #expect(CSVEncoding(name: "UTF8") == .utf8)
        #expect(CSVEncoding(name: "utf-16") == .utf16)
        #expect(CSVEncoding(name: "utf_16le") == .utf16LittleEndian)
        #expect(CSVEncoding(name: "utf-16BE") == .utf16BigEndian)
        #expect(CSVEncoding(name: "auto") == .auto)
        #expect(CSVEncoding(name: "latin9") == nil)
        for encoding in CSVEncoding.allCases {
            #expect(CSVEncoding(name: encoding.name) == encoding)
        }
    }
}

extension CSVEncodingTests {
    @Test("a spreadsheet workbook is named as one, with how to save it as CSV")
    func workbooks() throws {
        for (bytes, kind) in [([0x50, 0x4B, 0x03, 0x04, 0x14, 0x00] as [UInt8], ".xlsx or .ods"), ([0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1], ".xls")] {
            let error = try #require(readError(bytes))
            #expect(error.code == .invalidEncoding && error.line == 1)
            #expect(error.reason.contains(kind) && error.hint.contains("CSV UTF-8"), "\(error)")
        }
    }
}
