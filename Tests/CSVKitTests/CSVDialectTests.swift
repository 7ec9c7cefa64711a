import CSVKit
import Foundation
import Testing
import TestSupport

@Suite("Dialect sniffing and inspection")
struct CSVDialectTests {
    @Test("sniffing finds the delimiter outside quotes, and the record ends")
    func sniffBytes() {
        let semicolon = CSVDialect.sniff(bytes: Array("name;note\r\n\"a,b,c\";x\r\n\"d,e\";y\r\n".utf8))
        #expect(semicolon.delimiter == .semicolon)
        #expect(semicolon.recordEnds == .crlf)
        #expect(semicolon.encoding == .utf8)
        #expect(!semicolon.hasByteOrderMark)

        #expect(CSVDialect.sniff(bytes: Array("a|b|c\n1|2|3\n".utf8)).delimiter == .pipe)
        #expect(CSVDialect.sniff(bytes: Array("a\tb\n1\t2\n".utf8)).delimiter == .tab)
        #expect(CSVDialect.sniff(bytes: Array("single\ncolumn\n".utf8)).delimiter == .comma)
        #expect(CSVDialect.sniff(bytes: Array("a;b,c;d\n1;2,3;4\n".utf8)).delimiter == .semicolon)
        #expect(CSVDialect.sniff(bytes: Array("a,b\n1,2".utf8), delimiter: .pipe).delimiter == .pipe)
    }

    @Test("record end styles", arguments: [
        ("a\nb\n", CSVRecordEndStyle.lf), ("a\r\nb\r\n", .crlf), ("a\rb\r", .cr), ("a\nb\r\n", .mixed), ("a,b", .none),
        ("\"x\r\ny\"\nz\n", .lf),
    ])
    func recordEndStyles(_ text: String, _ style: CSVRecordEndStyle) {
        #expect(CSVDialect.sniff(bytes: Array(text.utf8), isComplete: true).recordEnds == style)
    }

    @Test("sniffing decodes UTF-16 first and reports the BOM")
    func sniffUTF16() {
        let dialect = CSVDialect.sniff(bytes: utf16("a\tb\r\n1\t2\r\n", bigEndian: false))
        #expect(dialect == CSVDialect(encoding: .utf16LittleEndian, hasByteOrderMark: true, delimiter: .tab, recordEnds: .crlf))
        #expect(dialect.description == "utf-16le with BOM, tab, CRLF")
    }

    @Test("sniffing a file reads only its first chunk")
    func sniffPath() throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let url = directory.path("big.csv")
        var data = Data("a;b;c\n".utf8)
        while data.count < 100_000 { data.append(Data("1;2;3\n".utf8)) }
        data.append(Data("x,y,z,w,v,u\r".utf8 + [0xFF, 0xFE]))
        try data.write(to: url)
        let dialect = try CSVDialect.sniff(path: url.path)
        #expect(dialect == CSVDialect(encoding: .utf8, hasByteOrderMark: false, delimiter: .semicolon, recordEnds: .lf))
        let small = try CSVDialect.sniff(path: url.path, sampleSize: 8)
        #expect(small.delimiter == .semicolon)
        #expect(throws: CSVError.self) { try CSVDialect.sniff(path: directory.path("missing.csv").path) }
    }

    @Test("inspect summarises a whole file: dialect, header, count, first records")
    func inspect() throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let url = directory.path("partners.csv")
        var text = "Account Id;Name\r\n"
        for i in 0..<25 { text += String(format: "%012d", i) + ";\"Partner \(i)\r\nLtd\"\r\n" }
        try Data(utf8BOM + Array(text.utf8)).write(to: url)

        let inspection = try CSVInspection.inspect(path: url.path, sampleCount: 3)
        #expect(inspection.file == url.path)
        #expect(inspection.dialect == CSVDialect(encoding: .utf8, hasByteOrderMark: true, delimiter: .semicolon, recordEnds: .crlf))
        #expect(inspection.header?.names == ["Account Id", "Name"])
        #expect(inspection.recordCount == 25)
        #expect(inspection.sample.map(\.line) == [2, 4, 6])
        #expect(inspection.sample.first?["account id"] == "000000000000")
        #expect(inspection.description.contains("delimiter: semicolon"))
        #expect(inspection.description.contains("data records: 25"))
    }

    @Test("inspect reports mixed record ends over the whole input, and UTF-16")
    func inspectMixed() throws {
        let mixed = try CSVInspection(reading: CSVReader(string: "a\n1\r\n2\r3"), sampleCount: 10)
        #expect(mixed.dialect.recordEnds == .mixed)
        #expect(mixed.recordCount == 3)
        #expect(mixed.sample.map(\.fields) == [["1"], ["2"], ["3"]])
        let unicode = try CSVInspection(reading: CSVReader(bytes: utf16("x\ty\r\n1\t2\r\n", bigEndian: false)))
        #expect(unicode.dialect.encoding == .utf16LittleEndian)
        #expect(unicode.dialect.delimiter == .tab)
        #expect(unicode.recordCount == 1)
    }

    @Test("inspect stops at the first error")
    func inspectError() {
        #expect {
            _ = try CSVInspection(reading: CSVReader(string: "a,b\n1,2\n3\n"))
        } throws: { error in
            (error as? CSVError)?.code == .fieldCountMismatch
        }
    }
}
