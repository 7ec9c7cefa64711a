import CSVKit
import Foundation

/// Where an export's rows go: a CSV file (``CSVExportSink``) or an Excel workbook
/// (``XLSXExportSink``). The exporter hands over raw values; each sink protects them as its
/// format needs (CSV: ``ExportFormat/protect(_:in:)``; XLSX: text cells).
public protocol ExportSink: AnyObject {
    /// Called once, before any row, with the columns in order.
    func begin(columns: [ExportColumn]) throws
    /// One entity's values, unprotected, in column order.
    func write(values: [String]) throws
}

/// CSV rows through a ``CSVWriter`` (which the caller closes), account ids written as
/// `'012345678901` (see ``ExportFormat``).
public final class CSVExportSink: ExportSink {
    /// The writer.
    public let writer: CSVWriter
    private var columns: [ExportColumn] = []

    /// Writes to `writer`.
    public init(writer: CSVWriter) { self.writer = writer }

    /// Writes the header row.
    public func begin(columns: [ExportColumn]) throws {
        self.columns = columns
        do throws(CSVError) {
            try writer.write(columns.map(\.name))
        } catch {
            throw Self.failure(error, writer.name)
        }
    }

    /// Writes one row, protected.
    public func write(values: [String]) throws {
        do throws(CSVError) {
            try writer.write(zip(columns, values).map { ExportFormat.protect($1, in: $0) })
        } catch {
            throw Self.failure(error, writer.name)
        }
    }

    static func failure(_ error: CSVError, _ name: String) -> BulkRunnerError {
        BulkRunnerError(code: .cannotWrite, file: name, reason: "cannot write the export: \(error.reason)",
                        hint: "check free disk space and permissions")
    }
}

/// Rows into an ``XLSXWriter`` created at ``begin(columns:)``: every column formatted as
/// Text, so ids, dates and prices stay exactly as exported and as typed. Call ``close()``.
public final class XLSXExportSink: ExportSink {
    /// The workbook's path.
    public let path: String
    /// The tab's name.
    public let sheetName: String
    private var writer: XLSXWriter?

    /// A workbook to create at `path`.
    public init(path: String, sheetName: String) {
        self.path = path
        self.sheetName = sheetName
    }

    /// Creates the workbook and writes the header row.
    public func begin(columns: [ExportColumn]) throws {
        let widths: [String: Double] = ["Name": 36, "ProductName": 28, "ResellerLegalName": 28, "Pricing": 48,
                                        "PaymentSchedule": 40, "ResaleAuthorizationId": 26, "OfferId": 22]
        writer = try XLSXWriter(path: path, columns: columns.map { XLSXWriter.Column(name: $0.name, width: widths[$0.name]) },
                                sheetName: sheetName)
    }

    /// Writes one row.
    public func write(values: [String]) throws {
        try writer?.write(values)
    }

    /// Finishes the workbook.
    public func close() throws {
        try writer?.close()
    }
}
