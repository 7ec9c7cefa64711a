import CSVKit
import Foundation
import Testing
import TestSupport

@Suite("Reading")
struct CSVReaderTests {
    @Test("RFC 4180 fields: quoted delimiters, doubled quotes, line breaks, empty fields")
    func rfc4180Fields() throws {
        let text = "a,\"b,c\",\"d \"\"e\"\"\",\"f\ng\",,\"\"\r\n"
        #expect(try rows(text) == [["a", "b,c", "d \"e\"", "f\ng", "", ""]])
    }

    @Test("LF, CRLF and lone CR record ends, mixed freely")
    func recordEnds() throws {
        #expect(try rows("a\nb\r\nc\rd") == [["a"], ["b"], ["c"], ["d"]])
        #expect(try rows("a,b\r1,2\r") == [["a", "b"], ["1", "2"]])
        #expect(try rows("\"x\ry\"\r2") == [["x\ry"], ["2"]])
    }

    @Test("the end of the input is never an error")
    func endOfInput() throws {
        #expect(try rows("") == [])
        #expect(try rows("a,b") == [["a", "b"]])
        #expect(try rows("a,") == [["a", ""]])
        #expect(try rows("\"a\"") == [["a"]])
        #expect(try rows("a\r") == [["a"]])
        let empty = try CSVReader(string: "")
        #expect(empty.header == nil)
        #expect(try empty.next() == nil)
        #expect(try empty.next() == nil)
        let headerOnly = try CSVReader(string: "a,b\n")
        #expect(headerOnly.header?.names == ["a", "b"])
        #expect(try headerOnly.next() == nil)
    }

    @Test("every record knows the physical line it starts on")
    func lineNumbers() throws {
        let text = "h\n1\n\"a\nb\"\n\n2\r\n3\r4\n\"x\r\ny\r\nz\"\n5"
        let read = try records(text)
        #expect(read.map(\.line) == [2, 3, 6, 7, 8, 9, 12])
        #expect(read.map { $0[0] } == ["1", "a\nb", "2", "3", "4", "x\r\ny\r\nz", "5"])
    }

    @Test("blank lines are skipped by default and kept on request")
    func blankLines() throws {
        let text = "a,b\n\n1,2\r\n\r\n\r3,4\n\n"
        #expect(try records(text).map(\.fields) == [["1", "2"], ["3", "4"]])
        let kept = try records(text, .init(skipsBlankLines: false))
        #expect(kept.map(\.fields) == [["", ""], ["1", "2"], ["", ""], ["", ""], ["3", "4"], ["", ""]])
        #expect(kept.map(\.line) == [2, 3, 4, 5, 6, 7])
        #expect(try rows("x\n\ny", .init(hasHeader: false, skipsBlankLines: false)) == [["x"], [""], ["y"]])
        // A line holding only a delimiter or spaces is not blank.
        #expect(try rows(",\n \n") == [["", ""], [" "]])
    }

    @Test("a UTF-8 byte order mark is skipped and reported")
    func byteOrderMark() throws {
        let reader = try CSVReader(bytes: utf8BOM + Array("id,name\n1,é\n".utf8))
        #expect(reader.header?.names == ["id", "name"])
        #expect(reader.dialect.hasByteOrderMark)
        #expect(reader.dialect.encoding == .utf8)
        #expect(try reader.next()?["ID"] == "1")
        #expect(try rows("\u{FEFF}a\n", .init(hasHeader: false)) == [["a"]])
        // Only at the very start: a BOM character elsewhere is content.
        #expect(try rows("a\n\u{FEFF}b\n") == [["a"], ["\u{FEFF}b"]])
    }

    @Test("the delimiter is detected among , ; tab |", arguments: [",", ";", "\t", "|"])
    func delimiterDetection(_ delimiter: String) throws {
        let others = [",", ";", "\t", "|"].filter { $0 != delimiter }.joined()
        let text = ["id", "note", "amount"].joined(separator: delimiter) + "\r\n"
            + ["1", "\"has \(others) inside\"", "2.5"].joined(separator: delimiter) + "\r\n"
            + ["2", "plain", "3"].joined(separator: delimiter) + "\r\n"
        let reader = try CSVReader(string: text)
        #expect(reader.dialect.delimiter.character == Character(delimiter))
        let read = try reader.readAll()
        #expect(read.map { $0["note"] } == ["has \(others) inside", "plain"])
    }

    @Test("an explicit delimiter is used as given")
    func explicitDelimiter() throws {
        #expect(try rows("a;b,c\n", .init(delimiter: .comma, hasHeader: false)) == [["a;b", "c"]])
        #expect(try rows("a;b,c\n", .init(delimiter: .semicolon, hasHeader: false)) == [["a", "b,c"]])
        let colon = try #require(CSVDelimiter(":"))
        #expect(try rows("a:b\n", .init(delimiter: colon, hasHeader: false)) == [["a", "b"]])
        #expect(CSVDelimiter("\"") == nil && CSVDelimiter("\n") == nil && CSVDelimiter("é") == nil)
    }

    @Test("header names are found ignoring case and surrounding spaces")
    func namedAccess() throws {
        let reader = try CSVReader(string: " Account Id ,Name,\tPrice\n012345678901,Acme,1.50\n")
        #expect(reader.header?.names == ["Account Id", "Name", "Price"])
        let record = try #require(try reader.next())
        #expect(record["account id"] == "012345678901")
        #expect(record["ACCOUNT ID"] == "012345678901")
        #expect(record["  name "] == "Acme")
        #expect(record["price"] == "1.50")
        #expect(record["missing"] == nil)
        #expect(reader.header?.index(of: "NAME") == 1)
        #expect(record.line == 2)
    }

    @Test("the first record is not a header when asked so")
    func noHeader() throws {
        let reader = try CSVReader(string: "a,b\n1,2,3\n", options: .init(hasHeader: false))
        #expect(reader.header == nil)
        let read = try reader.readAll()
        #expect(read.map(\.fields) == [["a", "b"], ["1", "2", "3"]])
        #expect(read[0]["a"] == nil)
    }

    @Test("the byte-slice path gives the same fields, lazily")
    func rawRecords() throws {
        let text = "id,text\n1,\"a \"\"quoted\"\" word\"\n2,\"x\ny\"\n3,café\n"
        let reader = try CSVReader(string: text, options: .init(chunkSize: 3))
        var seen: [[String]] = []
        var lines: [Int] = []
        try reader.forEachRawRecord { record in
            seen.append((0..<record.count).map { String(decoding: record[$0], as: UTF8.self) })
            lines.append(record.line)
            #expect(record["TEXT"].map { String(decoding: $0, as: UTF8.self) } == record.string(at: 1))
        }
        #expect(seen == [["1", "a \"quoted\" word"], ["2", "x\ny"], ["3", "café"]])
        #expect(lines == [2, 3, 5])
    }

    @Test("forEach visits every record")
    func forEachRecord() throws {
        var count = 0
        try CSVReader(string: "a\n1\n2\n3").forEach { _ in count += 1 }
        #expect(count == 3)
    }

    @Test("reads from a path, a file handle and a file descriptor")
    func sources() throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let url = directory.path("in.csv")
        try Data("a;b\r\n1;2\r\n".utf8).write(to: url)

        let byPath = try CSVReader(path: url.path)
        #expect(byPath.fileName == url.path)
        #expect(try byPath.readAll().map(\.fields) == [["1", "2"]])

        let handle = try FileHandle(forReadingFrom: url)
        defer { try? handle.close() }
        let byHandle = try CSVReader(fileHandle: handle, name: "handle.csv")
        #expect(try byHandle.readAll().map { $0["b"] } == ["2"])

        let fd = open(url.path, O_RDONLY)
        defer { close(fd) }
        let byDescriptor = try CSVReader(fileDescriptor: fd, name: "fd.csv", options: .init(chunkSize: 2))
        #expect(try byDescriptor.readAll().map { $0["a"] } == ["1"])
    }

    @Test("reads a pipe, whose reads may come short")
    func pipe() throws {
        let pipe = Pipe()
        let text = (0..<2000).map { "\($0),\"line\n\($0)\"" }.joined(separator: "\n")
        let data = Data(("n,t\n" + text).utf8)
        let output = pipe.fileHandleForWriting
        let writer = Thread {
            output.write(data)
            try? output.close()
        }
        writer.start()
        let reader = try CSVReader(fileHandle: pipe.fileHandleForReading, name: "<stdin>", options: .init(chunkSize: 1000))
        let read = try reader.readAll()
        #expect(read.count == 2000)
        #expect(read.last?["t"] == "line\n1999")
        #expect(read.last?.line == 4000)
    }

    @Test("opening a missing file is an input/output error naming the path")
    func missingFile() {
        #expect {
            _ = try CSVReader(path: "/no/such/dir/x.csv")
        } throws: { error in
            let error = error as? CSVError
            return error?.code == .io && error?.file == "/no/such/dir/x.csv"
                && error?.description.hasPrefix("/no/such/dir/x.csv: cannot open the file") == true
        }
    }

    @Test("a large file streams with a small buffer and gives the same records")
    func largeFile() throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let url = directory.path("big.csv")
        let writer = try CSVWriter(path: url.path)
        try writer.write(["id", "text", "amount"])
        for i in 0..<30_000 {
            try writer.write([String(i), i % 7 == 0 ? "multi\nline, \"quoted\" é" : "plain \(i)", "\(i).25"])
        }
        try writer.close()
        let reader = try CSVReader(path: url.path, options: .init(chunkSize: 4096))
        var count = 0
        var line = 1
        while let record = try reader.next() {
            #expect(record["id"] == String(count))
            count += 1
            line += 1
            #expect(record.line == line)
            if count % 7 == 1 { line += 1 }
        }
        #expect(count == 30_000)
    }

    @Test("a record longer than the chunk size is read whole")
    func longRecord() throws {
        let long = String(repeating: "x,y\n\"z\"\"", count: 50_000)
        let text = "a,b\n1,\"\(long.replacingOccurrences(of: "\"", with: "\"\""))\"\n2,3\n"
        let read = try records(text, .init(chunkSize: 4096))
        #expect(read.count == 2)
        #expect(read[0]["b"] == long)
        #expect(read[1].line == 2 + 50_000 + 1)
    }
}
