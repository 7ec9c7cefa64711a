import BulkRunner
import CatalogEmulator
import Clocks
import Foundation
import TestSupport
import Testing
#if canImport(FoundationXML)
import FoundationXML
#endif

/// The entries of a ZIP file, read independently of the writer: central directory, local
/// headers, and a bitwise CRC-32 (a different implementation from the writer's table).
private func unzip(_ data: Data) throws -> [String: Data] {
    let bytes = [UInt8](data)
    func u16(_ at: Int) -> Int { Int(bytes[at]) | Int(bytes[at + 1]) << 8 }
    func u32(_ at: Int) -> UInt32 { UInt32(u16(at)) | UInt32(u16(at + 2)) << 16 }
    func crc(_ slice: ArraySlice<UInt8>) -> UInt32 {
        var c: UInt32 = 0xFFFF_FFFF
        for byte in slice {
            c ^= UInt32(byte)
            for _ in 0..<8 { c = (c >> 1) ^ (0xEDB8_8320 & (0 &- (c & 1))) }
        }
        return ~c
    }
    let end = try #require((0...(bytes.count - 22)).reversed().first { u32($0) == 0x0605_4B50 })
    let count = u16(end + 10)
    var at = Int(u32(end + 16))
    var entries: [String: Data] = [:]
    for _ in 0..<count {
        #expect(u32(at) == 0x0201_4B50)
        let (sum, size, nameLength, local) = (u32(at + 16), Int(u32(at + 24)), u16(at + 28), Int(u32(at + 42)))
        #expect(u16(at + 10) == 0, "stored")
        let name = String(decoding: bytes[(at + 46)..<(at + 46 + nameLength)], as: UTF8.self)
        #expect(u32(local) == 0x0403_4B50)
        #expect(u32(local + 14) == sum && Int(u32(local + 22)) == size, "\(name): local header patched")
        let start = local + 30 + u16(local + 26) + u16(local + 28)
        let content = bytes[start..<(start + size)]
        #expect(crc(content) == sum, "\(name): CRC-32")
        entries[name] = Data(content)
        at += 46 + nameLength + u16(at + 30) + u16(at + 32)
    }
    return entries
}

private func isWellFormedXML(_ data: Data) -> Bool {
    XMLParser(data: data).parse()
}

@Suite("XLSX workbooks")
struct XLSXWriterTests {
    @Test func writesAValidPackageWithTextCells() throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let path = directory.path("book.xlsx").path
        let writer = try XLSXWriter(path: path, columns: [XLSXWriter.Column(name: "AccountId"), XLSXWriter.Column(name: "Note", isText: false)],
                                    sheetName: "Resale [EMEA]: 2030", modified: Date(timeIntervalSince1970: 1_893_456_000))
        try writer.write(["012345678901", "=HYPERLINK(\"http://x\") & <b> \u{7}"])
        try writer.write(["", "second"])
        try writer.write(["a", "b", "extra"])
        try writer.close()
        #expect(writer.rowCount == 3)

        let entries = try unzip(Data(contentsOf: URL(fileURLWithPath: path)))
        #expect(Set(entries.keys) == ["[Content_Types].xml", "_rels/.rels", "xl/workbook.xml", "xl/_rels/workbook.xml.rels",
                                      "xl/styles.xml", "xl/worksheets/sheet1.xml"])
        for (name, data) in entries { #expect(isWellFormedXML(data), "\(name)") }
        let sheet = String(decoding: try #require(entries["xl/worksheets/sheet1.xml"]), as: UTF8.self)
        #expect(sheet.contains(#"<row r="1"><c r="A1" t="inlineStr" s="2"><is><t xml:space="preserve">AccountId</t></is></c>"#))
        #expect(sheet.contains(#"<c r="A2" t="inlineStr" s="1"><is><t xml:space="preserve">012345678901</t></is></c>"#))
        #expect(sheet.contains(#"<c r="B2" t="inlineStr"><is><t xml:space="preserve">=HYPERLINK(&quot;http://x&quot;) &amp; &lt;b&gt; </t></is></c>"#))
        #expect(sheet.contains(#"<row r="3"><c r="B3" t="inlineStr"><is><t xml:space="preserve">second</t>"#))
        #expect(sheet.contains(#"<c r="C4" t="inlineStr"><is><t xml:space="preserve">extra</t>"#))
        #expect(sheet.contains(#"<col min="1" max="1" width="13.0" customWidth="1" style="1"/>"#))
        #expect(sheet.contains(#"state="frozen""#))
        let workbook = String(decoding: try #require(entries["xl/workbook.xml"]), as: UTF8.self)
        #expect(workbook.contains(#"name="Resale -EMEA-- 2030""#))
        #expect(String(decoding: try #require(entries["xl/styles.xml"]), as: UTF8.self).contains(#"numFmtId="49""#))
    }

    @Test func exportsToAWorkbook() async throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let world = ExportWorld(resaleAuthorizations: 75, offers: 0)
        let url = directory.path("resale.xlsx")
        let exporter = Exporter(api: world.emulator, clock: world.clock)
        let clock = world.clock
        let result = try await clock.run {
            try await ExportFile.write(to: url, replacing: false) { temporary in
                let sink = XLSXExportSink(path: temporary.path, sheetName: "Resale authorizations")
                let result = try await exporter.export(ExportQuery(kind: .resaleAuthorizations), into: sink)
                try sink.close()
                return result
            }
        }
        #expect(result.entitiesWritten == 75)
        let entries = try unzip(Data(contentsOf: url))
        let sheetData = try #require(entries["xl/worksheets/sheet1.xml"])
        #expect(isWellFormedXML(sheetData))
        let sheet = String(decoding: sheetData, as: UTF8.self)
        #expect(sheet.components(separatedBy: "<row ").count - 1 == 76)
        let inventory = await world.emulator.inventory()
        let reseller = try #require(inventory.resaleAuthorizations.first?.resellerAccountId)
        #expect(sheet.contains(#"<t xml:space="preserve">\#(reseller)</t>"#), "ids without the CSV apostrophe")
        #expect(!sheet.contains("'\(reseller)"))
        #expect(try FileManager.default.contentsOfDirectory(atPath: directory.url.path) == ["resale.xlsx"])
    }

    @Test func columnLettersAndEscaping() throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let columns = (0..<30).map { XLSXWriter.Column(name: "C\($0)") }
        let path = directory.path("wide.xlsx").path
        let writer = try XLSXWriter(path: path, columns: columns)
        try writer.write((0..<30).map { "v\($0)" })
        try writer.close()
        let sheet = String(decoding: try #require(try unzip(Data(contentsOf: URL(fileURLWithPath: path)))["xl/worksheets/sheet1.xml"]), as: UTF8.self)
        #expect(sheet.contains(#"<c r="Z2""#) && sheet.contains(#"<c r="AA2""#) && sheet.contains(#"<c r="AD2""#))
    }
}
