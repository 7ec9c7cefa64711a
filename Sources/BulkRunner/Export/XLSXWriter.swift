import Foundation

/// A streaming Excel workbook writer (Office Open XML SpreadsheetML, ECMA-376; `.xlsx`) with
/// one sheet, no dependency: a ZIP of stored entries (``ZipArchiveWriter``) holding the
/// workbook, a style sheet and the sheet, whose rows are written as they come.
///
/// Every cell is an inline string (`t="inlineStr"`), so values keep their exact text — a
/// 12-digit account id stays `012345678901`, a date stays `2027-01-31` — and nothing is ever
/// evaluated as a formula. Columns marked ``Column/isText`` also get the Text number format
/// (`numFmtId` 49, `@`), so what a reviewer types into them later stays text too. The header
/// row is bold and frozen.
///
/// Costs and limits: one 64 KiB buffer; entries are stored, not deflated (files are larger
/// than Excel's own, by about five times); at most 4 GiB; a cell holds at most 32,767
/// characters in Excel (longer text is written as is). Use from one task; call ``close()``.
public final class XLSXWriter {
    /// One column: its header and how it is shown.
    public struct Column: Sendable, Hashable {
        /// The header text.
        public var name: String
        /// Whether the column is formatted as Text (`@`), so typed values stay text.
        public var isText: Bool
        /// The width in characters; `nil` for one fitted to the header.
        public var width: Double?

        /// Creates a column.
        public init(name: String, isText: Bool = true, width: Double? = nil) {
            self.name = name
            self.isText = isText
            self.width = width
        }
    }

    /// The file's path.
    public let path: String
    /// The columns.
    public let columns: [Column]
    /// Data rows written so far (the header not counted).
    public private(set) var rowCount = 0

    private let zip: ZipArchiveWriter
    private let references: [String]
    private var closed = false

    /// Creates the workbook at `path` and writes its header row.
    ///
    /// - Parameter sheetName: the tab's name (at most 31 characters, without `[ ] : * ? / \`;
    ///   others are replaced by `-`).
    /// - Throws: ``BulkRunnerError`` (``BulkRunnerError/Code/cannotWrite``).
    public init(path: String, columns: [Column], sheetName: String = "Sheet1", modified: Date = Date()) throws(BulkRunnerError) {
        self.path = path
        self.columns = columns
        references = (0..<max(1, columns.count)).map(XLSXWriter.columnLetters)
        zip = try ZipArchiveWriter(path: path, modified: modified)
        try zip.addEntry("[Content_Types].xml", Self.contentTypes)
        try zip.addEntry("_rels/.rels", Self.packageRelationships)
        try zip.addEntry("xl/workbook.xml", Self.workbook(sheetName: Self.safeSheetName(sheetName)))
        try zip.addEntry("xl/_rels/workbook.xml.rels", Self.workbookRelationships)
        try zip.addEntry("xl/styles.xml", Self.styles)
        try zip.beginEntry("xl/worksheets/sheet1.xml")
        var head = #"<?xml version="1.0" encoding="UTF-8" standalone="yes"?>"# + "\n"
        head += #"<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships">"#
        head += #"<sheetViews><sheetView workbookViewId="0"><pane ySplit="1" topLeftCell="A2" activePane="bottomLeft" state="frozen"/></sheetView></sheetViews>"#
        head += #"<sheetFormatPr defaultRowHeight="15"/>"#
        if !columns.isEmpty {
            head += "<cols>"
            for (index, column) in columns.enumerated() {
                let width = column.width ?? min(60, max(10, Double(column.name.count) + 4))
                head += #"<col min="\#(index + 1)" max="\#(index + 1)" width="\#(width)" customWidth="1""#
                head += column.isText ? #" style="1"/>"# : "/>"
            }
            head += "</cols>"
        }
        head += "<sheetData>"
        try zip.write(head)
        try writeRow(columns.map(\.name), number: 1, style: 2)
    }

    /// Writes one data row (missing trailing cells are empty; extra cells get columns past the last).
    public func write(_ values: [String]) throws(BulkRunnerError) {
        precondition(!closed, "the workbook is closed")
        rowCount += 1
        try writeRow(values, number: rowCount + 1, style: nil)
    }

    /// Ends the sheet, writes the archive's directory and closes the file.
    public func close() throws(BulkRunnerError) {
        guard !closed else { return }
        closed = true
        try zip.write("</sheetData></worksheet>")
        try zip.endEntry()
        try zip.close()
    }

    private func writeRow(_ values: [String], number: Int, style: Int?) throws(BulkRunnerError) {
        var xml = #"<row r="\#(number)">"#
        for (index, value) in values.enumerated() where !value.isEmpty {
            let reference = (index < references.count ? references[index] : Self.columnLetters(index)) + String(number)
            let cellStyle = style ?? (index < columns.count && columns[index].isText ? 1 : 0)
            xml += #"<c r="\#(reference)" t="inlineStr""# + (cellStyle == 0 ? "" : #" s="\#(cellStyle)""#)
            xml += #"><is><t xml:space="preserve">"# + Self.escape(value) + "</t></is></c>"
        }
        xml += "</row>"
        try zip.write(xml)
    }

    // MARK: Text

    /// `A`, `B` … `Z`, `AA` … for a 0-based column index.
    static func columnLetters(_ index: Int) -> String {
        var n = index + 1
        var letters = ""
        while n > 0 {
            let remainder = (n - 1) % 26
            letters = String(UnicodeScalar(UInt8(65 + remainder))) + letters
            n = (n - 1) / 26
        }
        return letters
    }

    /// XML text: `&`, `<`, `>`, `"` escaped; characters XML 1.0 cannot hold (C0 controls
    /// other than tab, LF and CR, lone surrogates' replacements, U+FFFE/U+FFFF) dropped.
    static func escape(_ text: String) -> String {
        var out = ""
        out.reserveCapacity(text.utf8.count)
        for scalar in text.unicodeScalars {
            switch scalar {
            case "&": out += "&amp;"
            case "<": out += "&lt;"
            case ">": out += "&gt;"
            case "\"": out += "&quot;"
            case "\t", "\n", "\r": out.unicodeScalars.append(scalar)
            default:
                if scalar.value < 0x20 || scalar.value == 0xFFFE || scalar.value == 0xFFFF { continue }
                out.unicodeScalars.append(scalar)
            }
        }
        return out
    }

    static func safeSheetName(_ name: String) -> String {
        let cleaned = String(name.map { "[]:*?/\\".contains($0) ? "-" : $0 }.prefix(31))
        return cleaned.isEmpty ? "Sheet1" : cleaned
    }

    // MARK: Fixed parts

    static let contentTypes = #"<?xml version="1.0" encoding="UTF-8" standalone="yes"?>"# + "\n"
        + #"<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">"#
        + #"<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>"#
        + #"<Default Extension="xml" ContentType="application/xml"/>"#
        + #"<Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>"#
        + #"<Override PartName="/xl/worksheets/sheet1.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/>"#
        + #"<Override PartName="/xl/styles.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.styles+xml"/>"#
        + "</Types>"

    static let packageRelationships = #"<?xml version="1.0" encoding="UTF-8" standalone="yes"?>"# + "\n"
        + #"<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">"#
        + #"<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="xl/workbook.xml"/>"#
        + "</Relationships>"

    static func workbook(sheetName: String) -> String {
        #"<?xml version="1.0" encoding="UTF-8" standalone="yes"?>"# + "\n"
            + #"<workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships">"#
            + #"<sheets><sheet name="\#(escape(sheetName))" sheetId="1" r:id="rId1"/></sheets></workbook>"#
    }

    static let workbookRelationships = #"<?xml version="1.0" encoding="UTF-8" standalone="yes"?>"# + "\n"
        + #"<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">"#
        + #"<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" Target="worksheets/sheet1.xml"/>"#
        + #"<Relationship Id="rId2" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/styles" Target="styles.xml"/>"#
        + "</Relationships>"

    /// Cell formats: 0 General, 1 Text (`@`, numFmtId 49), 2 bold Text (the header).
    static let styles = #"<?xml version="1.0" encoding="UTF-8" standalone="yes"?>"# + "\n"
        + #"<styleSheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">"#
        + #"<fonts count="2"><font><sz val="11"/><name val="Calibri"/></font><font><b/><sz val="11"/><name val="Calibri"/></font></fonts>"#
        + #"<fills count="2"><fill><patternFill patternType="none"/></fill><fill><patternFill patternType="gray125"/></fill></fills>"#
        + #"<borders count="1"><border><left/><right/><top/><bottom/><diagonal/></border></borders>"#
        + #"<cellStyleXfs count="1"><xf numFmtId="0" fontId="0" fillId="0" borderId="0"/></cellStyleXfs>"#
        + #"<cellXfs count="3"><xf numFmtId="0" fontId="0" fillId="0" borderId="0" xfId="0"/>"#
        + #"<xf numFmtId="49" fontId="0" fillId="0" borderId="0" xfId="0" applyNumberFormat="1"/>"#
        + #"<xf numFmtId="49" fontId="1" fillId="0" borderId="0" xfId="0" applyNumberFormat="1" applyFont="1"/></cellXfs>"#
        + #"<cellStyles count="1"><cellStyle name="Normal" xfId="0" builtinId="0"/></cellStyles>"#
        + "</styleSheet>"
}

@available(*, unavailable, message: "a writer is used from one task at a time")
extension XLSXWriter: Sendable {}
