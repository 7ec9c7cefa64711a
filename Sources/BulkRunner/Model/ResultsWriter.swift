#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif
import CSVKit
import Foundation

/// Writes the results file: every input row, in input order, with its cells unchanged,
/// followed by the outcome columns (``RowResult/columnNames``).
///
/// It streams the input again (memory stays flat at any size) and asks, row by row, for
/// that row's ``RowResult`` — merged by row index from wherever outcomes live (the plan, the
/// journal). What it guarantees:
/// - **columns replaced, not duplicated**: when the input is itself a results file, its
///   old outcome columns are dropped (and offered as ``Row/previous``) and fresh ones are
///   appended;
/// - **atomic**: it writes a temporary file beside the output, flushes it to disk and
///   renames it over the output, so a reader sees the old file or the new one, never half;
///   on any error the temporary file is removed and the old output is left as it was;
/// - **never the input**: an output that is the input (same path, a symbolic link to it,
///   or a hard link) is refused before anything is written;
/// - **spreadsheet-safe**: CSVKit's formula guard is on, so a cell such as `=HYPERLINK(…)`
///   is written `'=HYPERLINK(…)` and opens as text (OWASP "CSV Injection");
/// - **same dialect**: the input's delimiter (`,` `;` tab `|`) and record ends are kept, so
///   the file opens in the same spreadsheet the same way. It is always UTF-8, with a byte
///   order mark when the input had one or was not UTF-8 (Windows-1252, UTF-16): without the
///   mark Excel would read the UTF-8 of `é` or `€` as two or three Windows-1252 characters.
public struct ResultsWriter: Sendable {
    /// One input row, as the results writer reads it again.
    public struct Row: Sendable {
        /// The row's 0-based index among the input's data records.
        public let rowIndex: Int
        /// The record as read (all its cells, including old outcome columns, and its line).
        public let record: CSVRecord
        /// The outcome columns the input already carried for this row (an earlier results
        /// file fed in again), or `nil`.
        public let previous: RowResult?
    }

    /// The input CSV.
    public let input: URL
    /// The results CSV to create or replace.
    public let output: URL
    /// How to read the input (the same options the planner used).
    public let readerOptions: CSVReader.Options

    /// Creates a writer; nothing is touched until ``write(_:)``.
    public init(input: URL, output: URL, readerOptions: CSVReader.Options = CSVReader.Options()) {
        self.input = input
        self.output = output
        self.readerOptions = readerOptions
    }

    /// Writes the results file, calling `result` once per input row in order.
    ///
    /// - Returns: the number of data rows written.
    /// - Throws: ``BulkRunnerError``: ``BulkRunnerError/Code/wouldOverwriteInput``,
    ///   ``BulkRunnerError/Code/malformedInput`` or ``BulkRunnerError/Code/cannotRead`` for
    ///   the input, ``BulkRunnerError/Code/cannotWrite`` for the output, or whatever
    ///   `result` throws. The output is unchanged when it throws.
    @discardableResult
    public func write(_ result: (Row) throws(BulkRunnerError) -> RowResult) throws(BulkRunnerError) -> Int {
        try Self.checkOutput(output, isNot: input)
        let reader: CSVReader
        do {
            reader = try CSVReader(path: input.path, options: readerOptions)
        } catch {
            throw BulkRunnerError(csv: error)
        }
        let names = reader.header?.names ?? []
        var kept: [Int] = []
        var previousColumns: [(index: Int, name: String)] = []
        for (index, name) in names.enumerated() {
            if let canonical = RowResult.canonicalColumnName(name) {
                previousColumns.append((index, canonical))
            } else {
                kept.append(index)
            }
        }
        let dialect = reader.dialect
        var options = CSVWriter.Options(delimiter: dialect.delimiter, recordEnd: .crlf,
                                        writesByteOrderMark: Self.writesByteOrderMark(for: dialect), neutralizesFormulas: true)
        switch dialect.recordEnds {
        case .lf: options.recordEnd = .lf
        case .cr: options.recordEnd = .cr
        default: options.recordEnd = .crlf
        }

        let directory = output.deletingLastPathComponent()
        TemporarySibling.removeStale(besides: output)
        let temporary = TemporarySibling.url(for: output)
        var finished = false
        defer { if !finished { unlink(temporary.path) } }

        let writer: CSVWriter
        do {
            writer = try CSVWriter(path: temporary.path, options: options)
        } catch {
            throw BulkRunnerError(code: .cannotWrite, file: output.path,
                                  reason: "cannot create the results file: \(error.reason)",
                                  hint: "check that the folder \(directory.path) exists and is writable")
        }
        var count = 0
        func writeFailed(_ error: CSVError) -> BulkRunnerError {
            BulkRunnerError(code: .cannotWrite, file: output.path, reason: "cannot write the results file: \(error.reason)",
                            hint: "check free disk space and permissions")
        }
        do {
            try writer.write(kept.map { names[$0] } + RowResult.columnNames)
        } catch {
            throw writeFailed(error)
        }
        while true {
            let record: CSVRecord?
            do {
                record = try reader.next()
            } catch {
                throw BulkRunnerError(csv: error)
            }
            guard let record else { break }
            var previous: RowResult?
            if !previousColumns.isEmpty {
                var cells: [String: String] = [:]
                for column in previousColumns where column.index < record.fields.count {
                    cells[column.name] = record.fields[column.index]
                }
                previous = RowResult(cells: cells)
            }
            let outcome = try result(Row(rowIndex: count, record: record, previous: previous))
            var fields: [String] = []
            fields.reserveCapacity(kept.count + RowResult.columnNames.count)
            for index in kept { fields.append(index < record.fields.count ? record.fields[index] : "") }
            fields.append(contentsOf: outcome.cells)
            do {
                // Through the non-generic entry point: a generic call across modules is not
                // specialised, and costs a metadata lookup per row.
                try writer.write(CSVRecord(fields: fields))
            } catch {
                throw writeFailed(error)
            }
            count += 1
        }
        do {
            try writer.close()
        } catch {
            throw writeFailed(error)
        }
        // Flush to disk before the rename, so a crash cannot leave an empty results file.
        let fd = open(temporary.path, O_RDONLY)
        if fd >= 0 {
            _ = fsync(fd)
            close(fd)
        }
        if rename(temporary.path, output.path) != 0 {
            let reason = String(cString: strerror(errno))
            throw BulkRunnerError(code: .cannotWrite, file: output.path,
                                  reason: "cannot move the results file into place: \(reason)",
                                  hint: "check that \(output.path) is not a folder and is writable")
        }
        finished = true
        return count
    }

    /// Whether the results of an input of `dialect` start with a UTF-8 byte order mark: when
    /// the input had one, or was not UTF-8 (a spreadsheet that wrote Windows-1252 or UTF-16
    /// needs the mark to read the UTF-8 results back as UTF-8).
    public static func writesByteOrderMark(for dialect: CSVDialect) -> Bool {
        switch dialect.encoding {
        case .utf8, .auto: return dialect.hasByteOrderMark
        case .utf16, .utf16LittleEndian, .utf16BigEndian, .windows1252: return true
        }
    }

    /// Throws ``BulkRunnerError/Code/wouldOverwriteInput`` when `output` is `input`: the
    /// same path after resolving symbolic links, or the same file through a hard link.
    public static func checkOutput(_ output: URL, isNot input: URL) throws(BulkRunnerError) {
        let a = output.standardizedFileURL.resolvingSymlinksInPath().path
        let b = input.standardizedFileURL.resolvingSymlinksInPath().path
        var same = a == b
        if !same {
            var sa = stat(), sb = stat()
            if stat(a, &sa) == 0, stat(b, &sb) == 0, sa.st_dev == sb.st_dev, sa.st_ino == sb.st_ino {
                same = true
            }
        }
        if same {
            throw BulkRunnerError(code: .wouldOverwriteInput, file: output.path,
                                  reason: "the results file would overwrite the input file",
                                  hint: "write the results to another file, e.g. \(suggestedName(for: input))")
        }
    }

    /// `partners.csv` → `partners.results.csv`.
    static func suggestedName(for input: URL) -> String {
        let base = input.deletingPathExtension().lastPathComponent
        let ext = input.pathExtension.isEmpty ? "csv" : input.pathExtension
        return base + ".results." + ext
    }
}

extension BulkRunnerError {
    /// The error for a CSVKit error while reading an input: ``Code/cannotRead`` for
    /// input/output failures, ``Code/malformedInput`` for everything else, keeping file,
    /// line, column, reason and hint.
    public init(csv error: CSVError) {
        self.init(code: error.code == .io ? .cannotRead : .malformedInput, file: error.file,
                  line: error.line, column: error.column, reason: error.reason, hint: error.hint)
    }
}
