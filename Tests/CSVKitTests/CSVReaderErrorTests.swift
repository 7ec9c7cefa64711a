import CSVKit
import Foundation
import Testing
import TestSupport

/// Every error the reader reports, with its exact position and message.
@Suite("Reading errors")
struct CSVReaderErrorTests {
    @Test("unterminated quote: located at the opening quote, naming its line")
    func unterminatedQuote() throws {
        let error = try #require(readError("a,b\n1,\"abc\n2,3\n"))
        #expect(error.code == .unterminatedQuote)
        #expect((error.line, error.column, error.byteOffset) == (2, 3, 6))
        #expect(error.reason == "unterminated quoted field: the quote opened on line 2 is never closed")
        #expect(error.description.hasPrefix("<memory>:2:3: unterminated quoted field"))
        #expect(error.description.contains("\nAdd the closing quote"))
        #expect(error.hint.contains("from line 2 to the end of the file"))
    }

    @Test("unterminated quote in a later line of a multi-line record")
    func unterminatedQuoteLater() throws {
        let error = try #require(readError("a,b\n\"x\ny\",\"open\nmore"))
        #expect(error.code == .unterminatedQuote)
        #expect((error.line, error.column, error.byteOffset) == (3, 4, 10))
    }

    @Test("stray quote inside an unquoted field")
    func strayQuote() throws {
        let error = try #require(readError("a,b\n1,ab\"c\n"))
        #expect(error.code == .strayQuote)
        #expect((error.line, error.column, error.byteOffset) == (2, 5, 8))
        #expect(error.reason == "stray quote (\") inside an unquoted field")
        #expect(error.hint.contains("double the quote"))
        #expect(error.description == "<memory>:2:5: \(error.reason)\n\(error.hint)")
    }

    @Test("text after a closing quote")
    func textAfterQuote() throws {
        let error = try #require(readError("a,b\n1,\"ab\"c\n"))
        #expect(error.code == .strayQuote)
        #expect((error.line, error.column, error.byteOffset) == (2, 7, 10))
        #expect(error.reason == "unexpected text after the closing quote of a quoted field")
    }

    @Test("a record with more fields than the header")
    func tooManyFields() throws {
        let error = try #require(readError("a,b\n1,2,3\n"))
        #expect(error.code == .fieldCountMismatch)
        #expect((error.line, error.column, error.byteOffset) == (2, 5, 8))
        #expect(error.reason == "record has 3 fields, expected 2 like the header on line 1")
        #expect(error.hint.hasPrefix("Expected 2 fields, found 3."))
    }

    @Test("a record with fewer fields than the header")
    func tooFewFields() throws {
        let error = try #require(readError("a,b,c\n1,2\n"))
        #expect(error.code == .fieldCountMismatch)
        #expect((error.line, error.column, error.byteOffset) == (2, 4, 9))
        #expect(error.reason == "record has 2 fields, expected 3 like the header on line 1")
        #expect(error.hint.hasPrefix("Expected 3 fields, found 2."))
    }

    @Test("field count errors are located on the right line of a multi-line record")
    func fieldCountMultiLine() throws {
        let error = try #require(readError("a,b\n\"x\ny\",2,3\n"))
        #expect((error.line, error.column, error.byteOffset) == (3, 6, 12))
        let quoted = try #require(readError("a,b\n1,2,\"3\"\n"))
        #expect((quoted.line, quoted.column, quoted.byteOffset) == (2, 5, 8))
        let blank = try #require(readError("a,b\n\n1\n", .init(skipsBlankLines: true)))
        #expect((blank.line, blank.column) == (3, 2))
    }

    @Test("invalid UTF-8: located at the bad byte, with a hint to use windows-1252")
    func invalidUTF8() throws {
        let bytes = Array("a,b\nü,caf".utf8) + [0xE9] + Array("\n".utf8)
        let error = try #require(readError(bytes))
        #expect(error.code == .invalidEncoding)
        #expect((error.line, error.column, error.byteOffset) == (2, 6, 10))
        #expect(error.reason == "invalid UTF-8: byte 0xE9 cannot start or continue a character here")
        #expect(error.hint.contains("--encoding windows-1252"))
    }

    @Test("invalid UTF-8 is reported on the byte-slice path and by inspection too")
    func invalidUTF8Raw() throws {
        let bytes = Array("a,b\n1,\"x\ny".utf8) + [0xC3, 0x28] + Array("\"\n".utf8)
        #expect {
            try CSVReader(bytes: bytes).forEachRawRecord { _ in }
        } throws: { error in
            let error = error as? CSVError
            return error?.code == .invalidEncoding && error?.line == 3 && error?.column == 2 && error?.byteOffset == 10
        }
        #expect(throws: CSVError.self) { try CSVInspection(reading: CSVReader(bytes: bytes), sampleCount: 0) }
    }

    @Test("a UTF-8 sequence cut off by the end of the input or by a delimiter")
    func truncatedUTF8() throws {
        let atEnd = try #require(readError(Array("a\n".utf8) + [0xE2, 0x82]))
        #expect((atEnd.code, atEnd.line, atEnd.column, atEnd.byteOffset) == (.invalidEncoding, 2, 1, 2))
        #expect(atEnd.reason == "invalid UTF-8: bytes 0xE2 0x82 cannot start or continue a character here")
        let cut = try #require(readError(Array("a,b\n".utf8) + [0xE2, 0x82] + Array(",x\n".utf8)))
        #expect((cut.line, cut.column) == (2, 1))
        let overlong = try #require(readError(Array("a\n".utf8) + [0xC0, 0xAF, 0x0A]))
        #expect(overlong.code == .invalidEncoding)
        let surrogate = try #require(readError(Array("a\n".utf8) + [0xED, 0xA0, 0x80, 0x0A]))
        #expect(surrogate.code == .invalidEncoding)
    }

    @Test("undecodable bytes before a quote problem are reported first")
    func encodingBeforeQuote() throws {
        let error = try #require(readError(Array("a\n\"".utf8) + [0xE9] + Array("x".utf8)))
        #expect(error.code == .invalidEncoding)
        #expect((error.line, error.column) == (2, 2))
    }

    @Test("undecodable bytes right after a closing quote, in a field with doubled quotes, in the header")
    func encodingErrorPlaces() throws {
        let afterQuote = try #require(readError(Array("a\n\"x\"".utf8) + [0xE9] + Array(",y\n".utf8)))
        #expect((afterQuote.code, afterQuote.line, afterQuote.column) == (.invalidEncoding, 2, 4))
        let validAfterQuote = try #require(readError("a\n\"x\"é,y\n"))
        #expect((validAfterQuote.code, validAfterQuote.line, validAfterQuote.column) == (.strayQuote, 2, 4))
        let escaped = try #require(readError(Array("a,b\n1,\"q\"\"é".utf8) + [0xFF] + Array("\"\n".utf8)))
        #expect((escaped.code, escaped.line, escaped.column, escaped.byteOffset) == (.invalidEncoding, 2, 8, 12))
        let header = try #require(readError([0x61, 0x2C, 0x80, 0x0A, 0x31, 0x2C, 0x32]))
        #expect((header.code, header.line, header.column, header.byteOffset) == (.invalidEncoding, 1, 3, 2))
    }

    @Test("duplicate header names, ignoring case and spaces, name both columns")
    func duplicateHeader() throws {
        let error = try #require(readError("id,Name, ID \n1,2,3\n"))
        #expect(error.code == .duplicateHeader)
        #expect((error.line, error.column, error.byteOffset) == (1, 9, 8))
        #expect(error.reason == "duplicate header name \"ID\" in columns 1 and 3")
    }

    @Test("empty header names name their columns")
    func emptyHeader() throws {
        let one = try #require(readError("a,,c\n"))
        #expect(one.code == .emptyHeader)
        #expect((one.line, one.column, one.byteOffset) == (1, 3, 2))
        #expect(one.reason == "header column 2 has an empty name")
        let two = try #require(readError("a, ,c,\"\"\n"))
        #expect(two.reason == "header columns 2, 4 have empty names")
        #expect((two.line, two.column) == (1, 3))
    }

    @Test("errors carry the file's path")
    func pathInErrors() throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let url = directory.path("bad.csv")
        try Data("a,b\n1,2,3\n".utf8).write(to: url)
        #expect {
            _ = try CSVReader(path: url.path).readAll()
        } throws: { error in
            (error as? CSVError)?.description.hasPrefix("\(url.path):2:5: record has 3 fields") == true
        }
    }

    @Test("the first error ends reading: later calls throw it again")
    func errorsAreFinal() throws {
        let reader = try CSVReader(string: "a\n1\n\"x\n")
        #expect(try reader.next()?.fields == ["1"])
        var first: CSVError?
        do { _ = try reader.next() } catch { first = error }
        #expect(first?.code == .unterminatedQuote)
        do {
            _ = try reader.next()
            Issue.record("expected the error again")
        } catch {
            #expect(error == first)
        }
    }

    @Test("an error in a later chunk is located in absolute terms")
    func errorInLaterChunk() throws {
        let body = (1...500).map { "\($0),\"x\r\ny\"" }.joined(separator: "\r\n")
        let text = "n,t\r\n" + body + "\r\n501,x\"y\r\n"
        let error = try #require(readError(text, .init(chunkSize: 64)))
        #expect(error.code == .strayQuote)
        #expect(error.line == 1 + 500 * 2 + 1)
        #expect(error.column == 6)
        #expect(error.byteOffset == Int64(text.utf8.count - 4))
    }
}
