import CSVKit
import Foundation
import Testing
import TestSupport

/// Random records written by `CSVWriter` and read back by `CSVReader` are equal,
/// for every dialect: each delimiter × record end × byte order mark.
@Suite("Round trip")
struct RoundTripTests {
    struct Dialect: Sendable, CustomTestStringConvertible {
        let delimiter: CSVDelimiter
        let recordEnd: CSVRecordEnd
        let byteOrderMark: Bool

        var testDescription: String { "\(delimiter), \(recordEnd)\(byteOrderMark ? ", BOM" : "")" }
    }

    static let dialects: [Dialect] = CSVDelimiter.candidates.flatMap { delimiter in
        CSVRecordEnd.allCases.flatMap { end in [false, true].map { Dialect(delimiter: delimiter, recordEnd: end, byteOrderMark: $0) } }
    }

    static let pieces = [
        "a", "Z", "0", "42", " ", "  ", ",", ";", "\t", "|", "\"", "\"\"", "\r", "\n", "\r\n", "é", "ʤ", "€",
        "😀", "東京", "=1+2", "-3", "'", "x y", "\u{0}", "\\",
    ]

    /// A record of `count` random fields; about one field in six is empty.
    static func randomRecord(_ count: Int, _ rng: inout SeededGenerator) -> [String] {
        (0..<count).map { _ in
            if rng.next() % 6 == 0 { return "" }
            return (0..<Int(1 + rng.next() % 5)).map { _ in pieces[Int(rng.next() % UInt64(pieces.count))] }.joined()
        }
    }

    static func options(_ dialect: Dialect) -> CSVWriter.Options {
        .init(delimiter: dialect.delimiter, recordEnd: dialect.recordEnd, writesByteOrderMark: dialect.byteOrderMark,
              neutralizesFormulas: false)
    }

    @Test("random records survive writing and reading", arguments: dialects)
    func roundTrip(_ dialect: Dialect) throws {
        var rng = SeededGenerator(seed: 0xC5F0 &+ UInt64(dialect.delimiter.asciiValue) &* 31
            &+ UInt64(CSVRecordEnd.allCases.firstIndex(of: dialect.recordEnd)!) &* 7 &+ (dialect.byteOrderMark ? 1 : 0))
        for round in 0..<40 {
            let width = 1 + Int(rng.next() % 6)
            let written = (0..<(1 + Int(rng.next() % 12))).map { _ in Self.randomRecord(width, &rng) }
            let writer = CSVWriter(options: Self.options(dialect))
            for record in written { try writer.write(record) }
            let bytes = writer.bytes
            #expect(bytes.starts(with: utf8BOM) == dialect.byteOrderMark)

            let chunkSize = 1 + Int(rng.next() % 9)
            let readOptions = CSVReader.Options(delimiter: dialect.delimiter, hasHeader: false, chunkSize: chunkSize)
            let read = try records(bytes, readOptions)
            #expect(read.map(\.fields) == written, "round \(round), chunk size \(chunkSize)")
            var raw: [[String]] = []
            try CSVReader(bytes: bytes, options: readOptions).forEachRawRecord { raw.append($0.record().fields) }
            #expect(raw == written, "round \(round), byte slices")
        }
    }

    @Test("a header and many records through a file, across real chunk boundaries", arguments: dialects.filter { !$0.byteOrderMark })
    func roundTripFile(_ dialect: Dialect) throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let url = directory.path("round.csv")
        var rng = SeededGenerator(seed: 7 &+ UInt64(dialect.delimiter.asciiValue))
        let header = ["Account Id", "Name", "Note", "Amount"]
        let written = (0..<3_000).map { _ in Self.randomRecord(4, &rng) }
        let writer = try CSVWriter(path: url.path, options: Self.options(dialect))
        try writer.write(header)
        for record in written { try writer.write(record) }
        try writer.close()

        let reader = try CSVReader(path: url.path, options: .init(delimiter: dialect.delimiter, chunkSize: 1000))
        #expect(reader.header?.names == header)
        let read = try reader.readAll()
        #expect(read.map(\.fields) == written)
    }
}
