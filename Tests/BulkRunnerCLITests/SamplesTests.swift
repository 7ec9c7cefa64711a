import Foundation
import Testing
import TestSupport

/// One command of samples/README.md, as a user types it from the repository root.
struct SampleRun: Sendable, CustomTestStringConvertible {
    /// The command line, exactly as samples/README.md shows it.
    let command: String
    /// The results file it writes.
    let results: String
    /// The rows of the input.
    let rows: Int
    /// What the EntityId of every row starts with.
    let entity: String

    var testDescription: String { command }

    static let all: [SampleRun] = [
        // Partner files as spreadsheets save them.
        SampleRun(command: "bulkrunner grant samples/new-partners.csv --emulator",
                  results: "samples/new-partners.results.csv", rows: 12, entity: "resaleauthz-"),
        SampleRun(command: "bulkrunner grant samples/partners-excel-utf8.csv --emulator",
                  results: "samples/partners-excel-utf8.results.csv", rows: 4, entity: "resaleauthz-"),
        SampleRun(command: "bulkrunner grant samples/partners-excel-europe.csv --emulator",
                  results: "samples/partners-excel-europe.results.csv", rows: 3, entity: "resaleauthz-"),
        SampleRun(command: "bulkrunner grant samples/partners-excel-legacy.csv --encoding windows-1252 --emulator",
                  results: "samples/partners-excel-legacy.results.csv", rows: 3, entity: "resaleauthz-"),
        SampleRun(command: "bulkrunner grant samples/partners-excel-unicode.txt --emulator",
                  results: "samples/partners-excel-unicode.results.txt", rows: 3, entity: "resaleauthz-"),
        SampleRun(command: "bulkrunner grant samples/partners-google-sheets.csv --emulator",
                  results: "samples/partners-google-sheets.results.csv", rows: 3, entity: "resaleauthz-"),
        SampleRun(command: "bulkrunner grant samples/partners-libreoffice.csv --emulator",
                  results: "samples/partners-libreoffice.results.csv", rows: 3, entity: "resaleauthz-"),
        // Templates of samples/templates.
        SampleRun(command: "bulkrunner run samples/ra-multi-use.csv --template samples/templates/ra-multi-use.json --emulator",
                  results: "samples/ra-multi-use.results.csv", rows: 3, entity: "resaleauthz-"),
        SampleRun(command: "bulkrunner run samples/ra-eula-reseller-contract.csv --template samples/templates/ra-eula-reseller-contract.json --emulator",
                  results: "samples/ra-eula-reseller-contract.results.csv", rows: 2, entity: "resaleauthz-"),
        SampleRun(command: "bulkrunner run samples/ra-one-time.csv --template samples/templates/ra-one-time.json --emulator",
                  results: "samples/ra-one-time.results.csv", rows: 3, entity: "resaleauthz-"),
        SampleRun(command: "bulkrunner run samples/grant-one-time-specific-buyer.csv --template samples/templates/grant-one-time-specific-buyer.json --emulator",
                  results: "samples/grant-one-time-specific-buyer.results.csv", rows: 2, entity: "resaleauthz-"),
        SampleRun(command: "bulkrunner run samples/private-offer-payment-schedule.csv --template samples/templates/private-offer-payment-schedule.json --emulator",
                  results: "samples/private-offer-payment-schedule.results.csv", rows: 2, entity: "offer-"),
        SampleRun(command: "bulkrunner run samples/private-offer-usage-pricing.csv --template samples/templates/private-offer-usage-pricing.json --emulator",
                  results: "samples/private-offer-usage-pricing.results.csv", rows: 2, entity: "offer-"),
        SampleRun(command: "bulkrunner run samples/free-trial-offer.csv --template samples/templates/free-trial-offer.json --emulator",
                  results: "samples/free-trial-offer.results.csv", rows: 1, entity: "offer-"),
        SampleRun(command: "bulkrunner run samples/dimension-and-private-offer.csv --template samples/templates/dimension-and-private-offer.json --emulator",
                  results: "samples/dimension-and-private-offer.results.csv", rows: 1, entity: ""),
        SampleRun(command: "bulkrunner run samples/cppo-markup.csv --template samples/templates/cppo-markup.json --emulator",
                  results: "samples/cppo-markup.results.csv", rows: 2, entity: "offer-"),
        // Built-in templates.
        SampleRun(command: "bulkrunner run samples/private-offers.csv --template private-offer --emulator",
                  results: "samples/private-offers.results.csv", rows: 3, entity: "offer-"),
        SampleRun(command: "bulkrunner run samples/product-dimensions.csv --template add-dimensions --emulator",
                  results: "samples/product-dimensions.results.csv", rows: 3, entity: "prod-"),
        SampleRun(command: "bulkrunner run samples/offer-expiry.csv --template offer-expiry --emulator",
                  results: "samples/offer-expiry.results.csv", rows: 3, entity: "offer-"),
        SampleRun(command: "bulkrunner restrict samples/restrict.csv --emulator",
                  results: "samples/restrict.results.csv", rows: 3, entity: "resaleauthz-"),
    ]

    /// The command of spreadsheet-mistakes.csv, which exits 1 on purpose.
    static let mistakes = "bulkrunner grant samples/spreadsheet-mistakes.csv --emulator"
}

/// Every sample of `samples/` runs on the embedded emulator, as samples/README.md says, and
/// the README, the templates and the files stay in step.
@Suite("samples")
struct SamplesTests {
    @Test(arguments: SampleRun.all)
    func sampleSucceedsOnTheEmulator(_ sample: SampleRun) async throws {
        let work = try Workspace()
        defer { work.remove() }
        let result = try await work.run(commandLine: sample.command)
        #expect(result.status == 0, "\(sample.command)\n\(result.transcript)")
        #expect(result.summaryCounts["SUCCEEDED"] == sample.rows, "\(result.stderr)")
        #expect(result.stderr.contains("Results: \(sample.results)"), "\(result.stderr)")

        let results = try work.table(sample.results)
        #expect(results.rows.count == sample.rows)
        #expect(Array(results.header.suffix(E2E.resultColumns.count)) == E2E.resultColumns)
        for row in 0..<results.rows.count {
            #expect(results.value(row, "Outcome") == "SUCCEEDED",
                    "row \(row + 1): \(results.value(row, "ErrorCode")) \(results.value(row, "ErrorMessage"))")
            #expect(results.value(row, "EntityId").hasPrefix(sample.entity), "row \(row + 1): \(results.value(row, "EntityId"))")
            #expect(!results.value(row, "ChangeSetId").isEmpty)
        }
        // The input's own cells come back unchanged (for the files readable as UTF-8 here).
        let input = sample.command.split(separator: " ").first { $0.hasPrefix("samples/") && !$0.hasPrefix("samples/templates/") }
        if let input, let original = try? work.table(String(input)), !input.hasSuffix(".txt") {
            #expect(results.header == original.header + E2E.resultColumns)
            #expect(results.rows.map { Array($0.prefix(original.header.count)) } == original.rows)
            #expect(results.delimiter == original.delimiter && results.hasByteOrderMark == original.hasByteOrderMark,
                    "the results file is written like its input")
        }
    }

    @Test func unicodeTextAndLegacyFilesKeepTheirNames() async throws {
        let work = try Workspace()
        defer { work.remove() }
        async let unicode = work.run(commandLine: "bulkrunner grant samples/partners-excel-unicode.txt --emulator --quiet")
        async let legacy = work.run(commandLine: "bulkrunner grant samples/partners-excel-legacy.csv --encoding windows-1252 --emulator --quiet")
        let (u, l) = try await (unicode, legacy)
        #expect(u.status == 0 && l.status == 0, "\(u.transcript)\n\(l.transcript)")
        let unicodeResults = try work.table("samples/partners-excel-unicode.results.txt")
        #expect(unicodeResults.delimiter == "\t")
        #expect(unicodeResults.column("NAME") == ["Ελληνικά Cloud Resale", "日本クラウド Resale", "Container Partner Resale"])
        let legacyResults = try work.table("samples/partners-excel-legacy.results.csv")
        #expect(legacyResults.column("NAME") == ["Société Générale Resale 2028", "Müller Resale 2028", "Ålborg AMI Resale"])
        #expect(legacyResults.column("DESCRIPTION").first == "Résumé – EMEA, invoiced in €")
        // Written as UTF-8 with a byte order mark, so Excel does not read it back as Windows-1252
        // (mojibake); delimiter and record ends as in the input.
        #expect(legacyResults.hasByteOrderMark && unicodeResults.hasByteOrderMark,
                "results of a Windows-1252 or UTF-16 input start with a UTF-8 byte order mark")
        #expect(legacyResults.delimiter == "," && legacyResults.usesCRLF && unicodeResults.usesCRLF)
        // Fed back with the original command's --encoding, the mark wins: the names stay right.
        let retry = try await work.run(commandLine: "bulkrunner retry samples/partners-excel-legacy.results.csv --encoding windows-1252 --emulator --dry-run --quiet")
        #expect(retry.status == 0, "\(retry.transcript)")
        #expect(try work.table("samples/partners-excel-legacy.plan.csv").column("NAME") == legacyResults.column("NAME"))

        // Read as UTF-8 (no --encoding): stopped before anything is sent, with the way out.
        try FileManager.default.removeItem(at: work.path("samples/partners-excel-legacy.results.csv"))
        let w = try await work.run(commandLine: "bulkrunner grant samples/partners-excel-legacy.csv --emulator")
        #expect(!work.exists("samples/partners-excel-legacy.results.csv"), "no results file is left")
        #expect(w.status == 65, "\(w.transcript)")
        #expect(w.stderr.contains("partners-excel-legacy.csv:2:") && w.stderr.contains("--encoding windows-1252")
                && w.stderr.contains("CSV UTF-8"), "\(w.stderr)")
    }

    @Test func spreadsheetMistakesAreExplainedRowByRow() async throws {
        let work = try Workspace()
        defer { work.remove() }
        let result = try await work.run(commandLine: SampleRun.mistakes)
        #expect(result.status == 1, "\(result.transcript)")
        #expect(result.summaryCounts == ["SUCCEEDED": 1, "FAILED": 1, "INVALID": 8, "PENDING": 0, "CANCELLED": 0, "SKIPPED": 0],
                "\(result.stderr)")
        #expect(result.stderr.contains("INVALID rows were not sent: fix the cells named in ErrorMessage, then `bulkrunner retry samples/spreadsheet-mistakes.results.csv`"),
                "\(result.stderr)")
        let results = try work.table("samples/spreadsheet-mistakes.results.csv")
        let expected: [(outcome: String, fragments: [String])] = [
            ("SUCCEEDED", []),
            ("INVALID", ["ResellerAccountId", "11 digits", "leading zero", "026262626262"]),
            ("INVALID", ["ResellerAccountId", "scientific notation", "format the column as Text"]),
            ("INVALID", ["Price", "did you mean \"150.50\""]),
            ("INVALID", ["Price", "did you mean \"1500.00\""]),
            ("INVALID", ["EXPIRY_DATE", "YYYY-MM-DD", "did you mean \"2028-12-31\""]),
            ("INVALID", ["EXPIRY_DATE", "2020-01-01", "not in the future"]),
            ("INVALID", ["Name", "characters the service rejects", "did you mean \"Quote in name\""]),
            ("INVALID", ["column \"NAME\" is blank"]),
            ("FAILED", ["923232323232", "not a registered AWS Marketplace channel partner"]),
        ]
        #expect(results.rows.count == expected.count)
        for (row, item) in expected.enumerated() where row < results.rows.count {
            #expect(results.value(row, "Outcome") == item.outcome, "row \(row + 1)")
            let message = results.value(row, "ErrorMessage")
            for fragment in item.fragments {
                #expect(message.contains(fragment), "row \(row + 1): \(fragment) in \(message)")
            }
            if item.outcome == "INVALID" {
                #expect(results.value(row, "ChangeSetId").isEmpty, "row \(row + 1) was not sent")
            }
        }
        #expect(results.value(9, "ErrorCode") == "INVALID_RESELLER_ACCOUNT")
    }

    // MARK: The samples, their README and the templates stay in step

    /// The `bulkrunner …` commands of a Markdown file (in backticks or code blocks).
    static func commands(inMarkdown text: String) -> [String] {
        var commands: [String] = []
        for line in text.split(separator: "\n") {
            for piece in line.components(separatedBy: "`").enumerated() where piece.offset % 2 == 1 {
                if piece.element.hasPrefix("bulkrunner ") { commands.append(piece.element) }
            }
            let trimmed = line.trimmingCharacters(in: .whitespaces)
            if trimmed.hasPrefix("bulkrunner ") {
                commands.append(trimmed.components(separatedBy: "  #").first!.trimmingCharacters(in: .whitespaces))
            }
        }
        return commands
    }

    @Test func readmeCommandsAreTheTestedOnes() throws {
        let readme = try String(contentsOf: E2E.samples.appendingPathComponent("README.md"), encoding: .utf8)
        let documented = Set(Self.commands(inMarkdown: readme).filter { $0.contains("samples/") })
        let tested = Set(SampleRun.all.map(\.command) + [SampleRun.mistakes])
        #expect(documented == tested, "README only: \(documented.subtracting(tested)); tested only: \(tested.subtracting(documented))")

        // Every sample file and template is used by a tested command.
        let files = try FileManager.default.contentsOfDirectory(atPath: E2E.samples.path)
            .filter { ($0.hasSuffix(".csv") || $0.hasSuffix(".txt")) && !$0.contains(".results.") }
        let templates = try FileManager.default.contentsOfDirectory(atPath: E2E.samples.appendingPathComponent("templates").path)
            .filter { $0.hasSuffix(".json") }
        for file in files {
            #expect(tested.contains { $0.contains("samples/\(file) ") }, "samples/\(file) is run by a test")
        }
        for template in templates {
            #expect(tested.contains { $0.contains("samples/templates/\(template) ") }, "samples/templates/\(template) is run by a test")
        }
        // …and listed in samples/templates/README.md.
        let templatesReadme = try String(contentsOf: E2E.samples.appendingPathComponent("templates/README.md"), encoding: .utf8)
        for template in templates {
            #expect(templatesReadme.contains("| `\(template)` |"), "\(template) is described in samples/templates/README.md")
        }
    }

    @Test func everyTemplateLoadsAndListsItsColumns() async throws {
        let work = try Workspace()
        defer { work.remove() }
        let templates = try FileManager.default.contentsOfDirectory(atPath: work.path("samples/templates").path)
            .filter { $0.hasSuffix(".json") }.sorted()
        #expect(templates.count >= 9)
        for template in templates {
            let show = try await work.run(["templates", "show", "samples/templates/\(template)"])
            #expect(show.status == 0, "\(template): \(show.transcript)")
            #expect(show.stdout.contains("Columns (or --set NAME=VALUE constants)"), "\(template)")
            #expect(!show.stdout.contains("note:"), "\(template) loads without notes: \(show.stdout)")
        }
    }

    @Test func samplesNamedInHelpAndReadmeExist() async throws {
        let work = try Workspace()
        defer { work.remove() }
        var texts = [try String(contentsOf: E2E.repository.appendingPathComponent("README.md"), encoding: .utf8)]
        let overview = try await work.run(["help"])
        for command in EndToEndTests.listedCommands(overview.stdout) {
            texts.append(try await work.run(command.split(separator: " ").map(String.init) + ["--help"]).stdout)
        }
        var named: Set<String> = []
        for text in texts {
            var rest = Substring(text)
            while let range = rest.range(of: "samples/") {
                let path = rest[range.lowerBound...].prefix { $0.isLetter || $0.isNumber || "/._-".contains($0) }
                named.insert(String(path).trimmingCharacters(in: CharacterSet(charactersIn: ".")))
                rest = rest[range.upperBound...]
            }
        }
        #expect(!named.isEmpty)
        for path in named where path != "samples/" && !path.contains(".results.") {
            #expect(FileManager.default.fileExists(atPath: E2E.repository.appendingPathComponent(path).path),
                    "\(path) is named in the README or a command's help but does not exist")
        }
    }
}
