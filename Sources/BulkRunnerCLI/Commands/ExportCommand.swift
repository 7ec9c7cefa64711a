import BulkRunner
import CSVKit
import CatalogEmulator
import CatalogModels
import Clocks
import Foundation

/// `bulkrunner export resale-authorizations` and `bulkrunner export offers`: what exists, as a
/// spreadsheet to review. Everything it does lives in `BulkRunner` (`Exporter`, `ExportQuery`,
/// `ExportFormat`, `ExportFile`); this file only wires options, output and the progress line.
enum ExportCommand {
    /// Both export commands.
    static var entries: [CommandEntry] {
        ExportKind.allCases.map { kind in
            CommandEntry(spec: spec(kind), group: "Spreadsheets") { parsed, context in
                try await run(kind, parsed, context: context)
            }
        }
    }

    /// Output, rate and demo options, shared by both kinds.
    static let outputOptions: [CommandSpec.Option] = [
        .value("output", "FILE", short: "o",
               help: "Where to write (default KIND-YYYYMMDD.csv in the current folder; - for standard output)."),
        .flag("force", help: "Replace --output if it exists (by default an existing file is never overwritten)."),
        .value("format", "csv|xlsx", help: "csv, or xlsx for an Excel workbook with every column as Text (default: from --output's extension, else csv)."),
        .value("delimiter", "C", help: "CSV field delimiter: , ; tab or | (default ,)."),
        .flag("bom", help: "Start with a UTF-8 byte order mark, so Excel reads names and — correctly."),
        .value("describe-rate", "N", help: "BatchDescribeEntities calls per second (default 5, at most 10; no quota is published)."),
        .flag("emulator", help: "Export from an in-process emulator seeded with 250 resale authorizations and 150 offers (a demo; no AWS account)."),
    ]

    static func spec(_ kind: ExportKind) -> CommandSpec {
        let filters = ExportQuery.options(for: kind).map { option -> CommandSpec.Option in
            option.isRepeated ? .repeated(option.name, option.valueName, help: option.help)
                : .value(option.name, option.valueName, help: option.help)
        }
        let examples: [String]
        switch kind {
        case .resaleAuthorizations:
            examples = [
                "bulkrunner export resale-authorizations --status Active --expires-before 2026-12-31",
                "bulkrunner export resale-authorizations --reseller-account-id 012345678901 --output partner.csv --bom",
                "bulkrunner export resale-authorizations --name '*EMEA*' --sort ResellerLegalName --output emea.xlsx",
                "bulkrunner export resale-authorizations --emulator --output demo.csv   # no AWS account needed",
            ]
        case .offers:
            examples = [
                "bulkrunner export offers --state Released --expires-after 2026-01-01",
                "bulkrunner export offers --resale-authorization-id resaleauthz-1111111111111 --output -",
                "bulkrunner export offers --buyer-account 0123 --bom",
            ]
        }
        return CommandSpec(
            path: ["export", kind.rawValue],
            summary: "Write the account's \(kind) to a CSV file, one row per \(kind == .offers ? "offer" : "authorization"), to review and fill in.",
            options: filters + outputOptions + Connection.options,
            discussion: """
                Lists the \(kind) matching the filters (ListEntities, 50 per page, at most 10 calls per
                second) and describes them (BatchDescribeEntities, 20 per call), then writes a CSV with
                these columns; the reviewer fills in Action and the New… columns for the apply step:

                \(ExportFormat.columnsDescription(kind))

                In CSV, account ids are written with a leading apostrophe ('012345678901) so spreadsheets
                keep them as text; bulkrunner reads them back exactly. With --format xlsx (or an .xlsx
                --output) every column is a Text column instead. Filters of one field combine as OR,
                different fields as AND. The file appears only when the export is complete.
                """,
            examples: examples)
    }

    static func run(_ kind: ExportKind, _ parsed: ParsedArguments, context: CLIContext) async throws -> Int32 {
        let spec = spec(kind)
        let format = (parsed.value("format") ?? (parsed.value("output")?.lowercased().hasSuffix(".xlsx") == true ? "xlsx" : "csv")).lowercased()
        var target = parsed.value("output") ?? kind.defaultFileName(on: CalendarDay(context.now()))
        if format == "xlsx", parsed.value("output") == nil { target = String(target.dropLast(4)) + ".xlsx" }
        do {
            guard format == "csv" || format == "xlsx" else {
                throw UsageError("--format '\(format)' is not csv or xlsx", usage: spec.usage)
            }
            if format == "xlsx", target == "-" {
                throw UsageError("an xlsx workbook cannot go to standard output; give --output FILE.xlsx", usage: spec.usage)
            }
            let query = try ExportQuery(kind: kind, options: parsed.values)
            var options = ExportOptions()
            if let text = parsed.value("describe-rate") {
                guard let rate = Double(text) else { throw UsageError("--describe-rate '\(text)' is not a number", usage: spec.usage) }
                options.batchDescribeRate = rate
            }
            try options.validate()
            var csv = CSVWriter.Options(writesByteOrderMark: parsed.flag("bom"))
            if let text = parsed.value("delimiter") {
                let named: [String: Character] = ["tab": "\t", "\\t": "\t", "comma": ",", "semicolon": ";", "pipe": "|"]
                guard let character = named[text.lowercased()] ?? (text.count == 1 ? text.first : nil),
                      let delimiter = CSVDelimiter(character) else {
                    throw UsageError("--delimiter '\(text)' is not one character; use , ; tab or |", usage: spec.usage)
                }
                csv.delimiter = delimiter
            }

            let clock = SystemTimeSource()
            let api: any CatalogAPI
            if parsed.flag("emulator") {
                var configuration = EmulatorConfiguration()
                configuration.seeding = SeedPlan(resaleAuthorizations: 250, offers: 150)
                configuration.seeding.namedProducts = NamedProduct.samples
                api = CatalogEmulator(configuration: configuration, clock: clock)
            } else {
                api = try Connection.client(parsed, context: context).client
            }
            let exporter = Exporter(api: api, clock: clock, options: options)

            let stderr = context.stderr
            let live = stderr.isTerminal
            let progress: @Sendable (ExportProgress) -> Void = { snapshot in
                guard live else { return }
                stderr.write("\r\u{1B}[K" + snapshot.line(kind: kind))
                stderr.flush()
            }

            let result: ExportProgress
            if target == "-" {
                context.stdout.flush()
                let writer = CSVWriter(fileDescriptor: 1, name: "<stdout>", options: csv)
                result = try await exporter.export(query, to: writer, progress: progress)
                do throws(CSVError) {
                    try writer.flush()
                } catch {
                    throw BulkRunnerError(code: .cannotWrite, file: "<stdout>", reason: error.reason)
                }
            } else if format == "xlsx" {
                let url = context.resolve(target)
                result = try await ExportFile.write(to: url, replacing: parsed.flag("force")) { temporary in
                    let sink = XLSXExportSink(path: temporary.path, sheetName: kind.description.capitalized)
                    let result = try await exporter.export(query, into: sink, progress: progress)
                    try sink.close()
                    return result
                }
            } else {
                let url = context.resolve(target)
                result = try await ExportFile.write(to: url, replacing: parsed.flag("force"), options: csv) { writer in
                    try await exporter.export(query, to: writer, progress: progress)
                }
            }
            if live { stderr.write("\r\u{1B}[K") }
            stderr.line(result.line(kind: kind) + (target == "-" ? "" : " → \(target)"))
            return ExitStatus.success
        } catch let error as BulkRunnerError {
            if context.stderr.isTerminal { context.stderr.line("") }
            let status = ErrorReport.report(error, context: context)
            if error.code == .invalidOption { context.stderr.line("usage: \(spec.usage)") }
            return status
        } catch let error as CatalogError {
            if context.stderr.isTerminal { context.stderr.line("") }
            ErrorReport.write("\(error)", context: context)
            context.stderr.line(target == "-" ? "the output above is incomplete; run the export again"
                                              : "\(target) was not written; run the export again")
            return ExitStatus.serviceError
        }
    }
}
