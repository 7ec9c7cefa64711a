import CSVKit
import Foundation
import Testing
import TestSupport

/// Every case of the csv-spectrum corpus: the CSV read with its first row as the
/// header must give exactly the records of the expected JSON.
@Suite("csv-spectrum")
struct CSVSpectrumTests {
    static let folder = TestData.url("csv-spectrum")

    static let cases: [String] = {
        let names = (try? FileManager.default.contentsOfDirectory(atPath: folder.appendingPathComponent("csvs").path)) ?? []
        return names.filter { $0.hasSuffix(".csv") }.map { String($0.dropLast(4)) }.sorted()
    }()

    @Test("the corpus has its 11 cases")
    func corpusIsThere() {
        #expect(Self.cases.count == 11)
    }

    @Test("reads like the expected JSON", arguments: cases)
    func spectrumCase(_ name: String) throws {
        let csv = Self.folder.appendingPathComponent("csvs/\(name).csv").path
        let json = try Data(contentsOf: Self.folder.appendingPathComponent("json/\(name).json"))
        let expected = try #require(try JSONSerialization.jsonObject(with: json) as? [[String: String]])

        let reader = try CSVReader(path: csv)
        let header = try #require(reader.header)
        let read = try reader.readAll()
        #expect(read.count == expected.count)
        for (record, object) in zip(read, expected) {
            #expect(record.count == header.count)
            #expect(Set(header.names) == Set(object.keys))
            for (key, value) in object {
                #expect(record[key] == value, "\(name) line \(record.line) column \(key)")
            }
        }
    }

    @Test("reads the same through the byte-slice path and with 1-byte chunks", arguments: cases)
    func spectrumCaseOtherPaths(_ name: String) throws {
        let csv = Self.folder.appendingPathComponent("csvs/\(name).csv").path
        let expected = try CSVReader(path: csv).readAll()
        var raw: [CSVRecord] = []
        try CSVReader(path: csv).forEachRawRecord { raw.append($0.record()) }
        #expect(raw == expected)
        let tiny = try CSVReader(path: csv, options: .init(chunkSize: 1)).readAll()
        #expect(tiny == expected)
    }
}
