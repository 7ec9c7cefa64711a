import BulkRunner
import CSVKit
import CatalogModels
import Foundation

/// `bulkrunner inspect FILE`: shows how a CSV file is read, before any job uses it.
enum InspectCommand {
    static let spec = CommandSpec(
        path: ["inspect"],
        summary: "Show how a CSV file is read: encoding, delimiter, record ends, header, records.",
        positionals: [.init("FILE", help: "the CSV file to read, or - for standard input")],
        options: [
            .flag("json", help: "Print every record (header first) as one JSON array of strings per line."),
            .flag("count", help: "Print only the number of data records."),
            .value("delimiter", "C", help: "Use this delimiter instead of detecting it: , ; tab |"),
            .value("encoding", "E", help: "Read as utf-8, utf-16, utf-16le, utf-16be or windows-1252 (default: auto)."),
            .value("records", "N", help: "How many records the summary shows (default 5)."),
        ],
        discussion: """
            Reads the whole file, as a job would, and reports the first problem with its
            line and column. Use it to check an Excel or Google Sheets export before a run.
            """,
        examples: [
            "bulkrunner inspect partners.csv",
            "bulkrunner inspect partners.csv --count",
            "bulkrunner inspect legacy-export.csv --encoding windows-1252 --delimiter ';'",
            "bulkrunner inspect partners.csv --json | head",
        ]
    )

    static let entry = CommandEntry(spec: spec, group: "Inspecting") { parsed, context in
        try run(parsed, context: context)
    }

    /// Reader options from `--delimiter` and `--encoding`.
    static func readerOptions(_ parsed: ParsedArguments, spec: CommandSpec) throws(UsageError) -> CSVReader.Options {
        var options = CSVReader.Options()
        if let text = parsed.value("delimiter") {
            let named: [String: Character] = ["tab": "\t", "\\t": "\t", "comma": ",", "semicolon": ";", "pipe": "|"]
            let character = named[text.lowercased()] ?? (text.count == 1 ? text.first : nil)
            guard let character, let delimiter = CSVDelimiter(character) else {
                throw UsageError("--delimiter '\(text)' is not one character; use , ; tab or |", usage: spec.usage)
            }
            options.delimiter = delimiter
        }
        if let text = parsed.value("encoding") {
            guard let encoding = CSVEncoding(name: text) else {
                throw UsageError(
                    "--encoding '\(text)' is unknown; use auto, utf-8, utf-16, utf-16le, utf-16be or windows-1252",
                    usage: spec.usage)
            }
            options.encoding = encoding
        }
        return options
    }

    static func run(_ parsed: ParsedArguments, context: CLIContext) throws -> Int32 {
        let options = try readerOptions(parsed, spec: spec)
        var shown = 5
        if let text = parsed.value("records") {
            guard let n = Int(text), n >= 0 else {
                throw UsageError("--records '\(text)' is not a whole number", usage: spec.usage)
            }
            shown = n
        }
        let path = parsed.positional(0) ?? "-"
        // A CSVError is reported as every command's errors are (ErrorReport): 65, or 66 when unreadable.
        let reader = try openReader(path, options: options, context: context)
        if parsed.flag("json") {
            var headerPrinted = false
            while let record = try reader.next() {
                if !headerPrinted, let header = reader.header {
                    context.stdout.line(jsonArray(header.names))
                    headerPrinted = true
                }
                context.stdout.line(jsonArray(record.fields))
            }
            if !headerPrinted, let header = reader.header { context.stdout.line(jsonArray(header.names)) }
            return ExitStatus.success
        }
        var count = 0
        var first: [CSVRecord] = []
        while let record = try reader.next() {
            count += 1
            if first.count < shown { first.append(record) }
        }
        if parsed.flag("count") {
            context.stdout.line(String(count))
            return ExitStatus.success
        }
        let dialect = reader.dialect
        let out = context.stdout
        out.line("file:         \(path == "-" ? "<stdin>" : path)")
        out.line("encoding:     \(dialect.encoding.name)\(dialect.hasByteOrderMark ? " (with byte order mark)" : "")")
        out.line("delimiter:    \(describe(dialect.delimiter.character))")
        out.line("record ends:  \(dialect.recordEnds)")
        if let header = reader.header {
            out.line("header:       line \(reader.headerLine), \(Plural.count(header.count, "column"))")
            for (index, name) in header.names.enumerated() {
                out.line("  \(String(index + 1).padded(3)) \(terminalSafe(name))")
            }
        } else {
            out.line("header:       none (the file is empty)")
        }
        out.line("records:      \(count) data record\(count == 1 ? "" : "s")")
        for record in first {
            out.line("")
            out.line("line \(record.line):")
            let names = (reader.header?.names ?? []).map { terminalSafe($0) }
            let width = min(names.map(\.count).max() ?? 0, 32)
            for (index, field) in record.fields.enumerated() {
                let name = index < names.count ? names[index] : "#\(index + 1)"
                out.line("  \(name.padded(width))  \(visible(field))")
            }
        }
        return ExitStatus.success
    }

    /// Opens `path` (or standard input for `-`) for reading.
    static func openReader(_ path: String, options: CSVReader.Options, context: CLIContext) throws(CSVError) -> CSVReader {
        if path == "-" { return try CSVReader.standardInput(options: options) }
        return try CSVReader(path: context.resolve(path).path, options: options)
    }

    private static func describe(_ c: Character) -> String {
        switch c {
        case "\t": "tab"
        case ",": "comma (,)"
        case ";": "semicolon (;)"
        case "|": "pipe (|)"
        default: "'\(c)'"
        }
    }

    /// A field shown on one line: quoted, with line breaks and tabs made visible.
    private static func visible(_ field: String) -> String {
        "\"" + terminalSafe(field, escapingQuotes: true) + "\""
    }
}

/// `text` safe to print on a terminal, on one line: line breaks and tabs as `\n` `\r` `\t`,
/// other control characters (C0, DEL, C1: ESC would start a terminal escape sequence) as
/// `\x1B`, and bidirectional overrides (which reorder what follows) as `\u{202E}`.
func terminalSafe(_ text: String, escapingQuotes: Bool = false) -> String {
    var out = ""
    for scalar in text.unicodeScalars {
        switch scalar {
        case "\n": out += "\\n"
        case "\r": out += "\\r"
        case "\t": out += "\\t"
        case "\"" where escapingQuotes: out += "\\\""
        case "\u{00}"..."\u{1F}", "\u{7F}"..."\u{9F}":
            out += "\\x" + String(scalar.value, radix: 16, uppercase: true).leftPadded(to: 2)
        case "\u{202A}"..."\u{202E}", "\u{2066}"..."\u{2069}":
            out += "\\u{" + String(scalar.value, radix: 16, uppercase: true) + "}"
        default: out.unicodeScalars.append(scalar)
        }
    }
    return out
}

/// `text` line by line through ``terminalSafe(_:escapingQuotes:)``: messages that quote cells
/// reach the terminal with their line breaks, never with a cell's control characters.
func terminalLines(_ text: String) -> String {
    text.split(separator: "\n", omittingEmptySubsequences: false).map { terminalSafe(String($0)) }.joined(separator: "\n")
}

private extension String {
    func leftPadded(to width: Int) -> String { String(repeating: "0", count: max(0, width - count)) + self }
}

/// A JSON array of strings on one line (RFC 8259 string escaping).
func jsonArray(_ fields: [String]) -> String {
    var out = "["
    for (index, field) in fields.enumerated() {
        if index > 0 { out += "," }
        out += jsonString(field)
    }
    return out + "]"
}

/// A JSON string literal (RFC 8259 §7), as CatalogModels serialises strings.
func jsonString(_ text: String) -> String {
    JSONValue.string(text).compactString
}
