import CSVKit
import Foundation
import Testing
import TestSupport

@Suite("Writing")
struct CSVWriterTests {
    func written(_ records: [[String]], _ options: CSVWriter.Options = .init()) throws -> String {
        let writer = CSVWriter(options: options)
        for record in records { try writer.write(record) }
        return writer.string
    }

    @Test("quotes only fields that need it; CRLF by default")
    func minimalQuoting() throws {
        let text = try written([["a", "b c", "d,e", "f\"g", "h\ni", "j\rk", "", " l "]])
        #expect(text == "a,b c,\"d,e\",\"f\"\"g\",\"h\ni\",\"j\rk\",, l \r\n")
    }

    @Test("a record of one empty field is written as \"\" so it does not read back as a blank line")
    func singleEmptyField() throws {
        #expect(try written([[""], ["x"], []]) == "\"\"\r\nx\r\n\r\n")
    }

    @Test("delimiter, record end and byte order mark are options")
    func options() throws {
        let options = CSVWriter.Options(delimiter: .semicolon, recordEnd: .lf, writesByteOrderMark: true)
        let writer = CSVWriter(options: options)
        try writer.write(["a,b", "c;d"])
        try writer.write(["1", "2"])
        #expect(writer.bytes == utf8BOM + Array("a,b;\"c;d\"\n1;2\n".utf8))
        #expect(writer.recordCount == 2)
        #expect(try written([["a", "b"]], .init(delimiter: .tab, recordEnd: .cr)) == "a\tb\r")
        #expect(try written([["a\tb", "|"]], .init(delimiter: .pipe)) == "a\tb,\"|\"\r\n".replacingOccurrences(of: ",", with: "|"))
    }

    @Test("cells a spreadsheet would run as formulas are neutralised (OWASP CSV injection)")
    func formulaGuard() throws {
        let cases: [(String, String)] = [
            ("=SUM(A1:A9)", "'=SUM(A1:A9)"),
            ("@cmd", "'@cmd"),
            ("+1+1", "'+1+1"),
            ("-2+3", "'-2+3"),
            ("-", "'-"),
            ("\tTAB", "'\tTAB"),
            ("\rCR", "\"'\rCR\""),
            ("=HYPERLINK(\"http://x\",\"y\")", "\"'=HYPERLINK(\"\"http://x\"\",\"\"y\"\")\""),
            ("=1,2", "\"'=1,2\""),
            ("-12.5", "-12.5"),
            ("+1", "+1"),
            ("-0.5e-3", "-0.5e-3"),
            ("+.5", "+.5"),
            ("12", "12"),
            ("a=b", "a=b"),
            ("", ""),
        ]
        for (field, expected) in cases {
            #expect(try written([[field, "x"]]) == expected + ",x\r\n", "\(field.debugDescription)")
        }
        #expect(try written([["=1+2", "-x"]], .init(neutralizesFormulas: false)) == "=1+2,-x\r\n")
    }

    @Test("looksLikeFormula tells which cells are guarded")
    func looksLikeFormula() {
        #expect(CSVWriter.looksLikeFormula("=A1"))
        #expect(CSVWriter.looksLikeFormula("@SUM(1)"))
        #expect(CSVWriter.looksLikeFormula("+"))
        #expect(CSVWriter.looksLikeFormula("-1-"))
        #expect(CSVWriter.looksLikeFormula("-1e"))
        #expect(CSVWriter.looksLikeFormula("\t1"))
        #expect(!CSVWriter.looksLikeFormula("-1"))
        #expect(!CSVWriter.looksLikeFormula("+1.5E+10"))
        #expect(!CSVWriter.looksLikeFormula("hello"))
        #expect(!CSVWriter.looksLikeFormula(""))
        #expect(!CSVWriter.looksLikeFormula(" =1"))
    }

    @Test("a guarded cell reads back with its quote prefix, and the reader keeps it as text")
    func guardedRoundTrip() throws {
        let text = try written([["id", "formula"], ["1", "=cmd|' /C calc'!A0"]])
        let read = try records(text)
        #expect(read.first?["formula"] == "'=cmd|' /C calc'!A0")
    }

    @Test("writes a file through its buffer, and close reports success")
    func file() throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let url = directory.path("out.csv")
        let writer = try CSVWriter(path: url.path)
        #expect(writer.bytes.isEmpty)
        try writer.write(["id", "name"])
        for i in 0..<10_000 { try writer.write([String(i), "name \(i), \"quoted\""]) }
        try writer.close()
        let read = try CSVReader(path: url.path).readAll()
        #expect(read.count == 10_000)
        #expect(read.last?["name"] == "name 9999, \"quoted\"")
        #expect {
            try writer.write(["late"])
        } throws: { error in
            (error as? CSVError)?.code == .io
        }
    }

    @Test("writes to a file handle, which stays open")
    func fileHandle() throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let url = directory.path("handle.csv")
        _ = FileManager.default.createFile(atPath: url.path, contents: nil)
        let handle = try FileHandle(forWritingTo: url)
        let writer = CSVWriter(fileHandle: handle, name: url.lastPathComponent)
        try writer.write(CSVRecord(fields: ["a", "b"]))
        try writer.flush()
        try handle.write(contentsOf: Data("tail\n".utf8))
        try handle.close()
        #expect(try String(contentsOf: url, encoding: .utf8) == "a,b\r\ntail\n")
    }

    @Test("a closed writer refuses more records; closing twice is harmless")
    func closedMemoryWriter() throws {
        let writer = CSVWriter()
        try writer.write(["a"])
        try writer.close()
        try writer.close()
        #expect(throws: CSVError.self) { try writer.write(["b"]) }
        #expect(writer.string == "a\r\n")
    }

    @Test("Substrings and other StringProtocol values are written too")
    func substrings() throws {
        let writer = CSVWriter()
        try writer.write("a,b;c".split(separator: ";"))
        #expect(writer.string == "\"a,b\",c\r\n")
    }

    @Test("creating a file in a missing folder is an input/output error")
    func unwritable() {
        #expect {
            _ = try CSVWriter(path: "/no/such/folder/out.csv")
        } throws: { error in
            (error as? CSVError)?.code == .io
        }
    }
}
