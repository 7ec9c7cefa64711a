import Foundation
import Testing
import TestSupport

/// The built `bulkrunner`, run as a subprocess the way a new user runs it: each command's
/// whole output, results file and exit status. Jobs use the embedded emulator (`--emulator`)
/// or send nothing (`--dry-run`); see EndToEndLoopbackTests for `bulkrunner emulator`.
@Suite("end to end: commands")
struct EndToEndTests {
    // MARK: grant

    @Test func grantOnTheEmulatorWritesEveryRowWithItsEntity() async throws {
        let work = try Workspace()
        defer { work.remove() }
        let result = try await work.run(["grant", "samples/new-partners.csv", "--emulator"])
        #expect(result.status == 0, "\(result.transcript)")
        #expect(result.stdout.isEmpty, "a job writes nothing on standard output: \(result.stdout)")

        // The summary: counts that add up to the rows, where the results are, what to do next.
        let input = try work.table("samples/new-partners.csv")
        #expect(result.summaryRows == input.rows.count)
        let counts = result.summaryCounts
        #expect(counts.count == 6, "every outcome is listed: \(result.stderr)")
        #expect(counts.values.reduce(0, +) == input.rows.count)
        #expect(counts["SUCCEEDED"] == input.rows.count)
        #expect(result.stderr.contains("using the embedded Catalog emulator (nothing is sent to AWS)"))
        #expect(result.stderr.contains("Results: samples/new-partners.results.csv"))
        #expect(result.stderr.contains("Next:\n  - Every row is done."))

        // The results file: every input row unchanged, in order, then the outcome columns.
        let results = try work.table("samples/new-partners.results.csv")
        #expect(results.header == input.header + E2E.resultColumns)
        #expect(results.rows.count == input.rows.count)
        for (row, cells) in input.rows.enumerated() {
            #expect(Array(results.rows[row].prefix(cells.count)) == cells, "row \(row + 1) changed")
            #expect(results.value(row, "Outcome") == "SUCCEEDED")
            #expect(results.value(row, "ChangeSetStatus") == "SUCCEEDED")
            let id = results.value(row, "ChangeSetId")
            #expect(!id.isEmpty && results.value(row, "ChangeSetArn").hasSuffix("ChangeSet/\(id)"))
            #expect(results.value(row, "ChangeSetArn").hasPrefix("arn:aws:aws-marketplace:us-east-1:"))
            #expect(results.value(row, "EntityId").hasPrefix("resaleauthz-"))
            #expect(results.value(row, "ErrorCode").isEmpty && results.value(row, "ErrorMessage").isEmpty)
            #expect((Int(results.value(row, "Attempts")) ?? 0) >= 1)
        }
        #expect(Set(results.column("EntityId")).count == input.rows.count, "one authorization per row")
        // An embedded-emulator run keeps no journal (nothing to resume), but a record for retry/status.
        #expect(!work.exists("samples/new-partners.results.csv.journal"))
        #expect(work.exists("samples/new-partners.results.csv.job"))
    }

    @Test func dryRunPrintsTheChangeSetsAndSendsNothing() async throws {
        let work = try Workspace()
        defer { work.remove() }
        let result = try await work.run(["grant", "samples/new-partners.csv", "--dry-run"])
        #expect(result.status == 0, "\(result.transcript)")
        #expect(result.stderr.contains("dry run: nothing was sent"))
        #expect(result.stderr.contains("12 rows: 12 planned in "))

        // Standard output is pure JSON Lines: one StartChangeSet request per change set, as sent.
        let documents = result.stdout.split(separator: "\n").map(String.init)
        #expect(!documents.isEmpty)
        var tokens: [String] = []
        for document in documents {
            let json = try #require(try JSONSerialization.jsonObject(with: Data(document.utf8)) as? [String: Any], "\(document)")
            #expect(json["Catalog"] as? String == "AWSMarketplace")
            let changes = try #require(json["ChangeSet"] as? [[String: Any]])
            #expect((1...20).contains(changes.count))
            #expect(json["ChangeSetName"] as? String != nil)
            tokens.append(try #require(json["ClientRequestToken"] as? String))
            #expect(changes.allSatisfy { ($0["ChangeType"] as? String) != nil && $0["Entity"] != nil })
        }
        // What each set carries goes to standard error: `change set N: NAME, lines 2, 3, token T`.
        let notes = result.stderr.split(separator: "\n").filter { $0.hasPrefix("change set ") }
        #expect(notes.count == documents.count, "\(result.stderr)")
        var rowsPlanned = 0
        for (note, token) in zip(notes, tokens) {
            #expect(note.hasSuffix(", token \(token)"), "\(note)")
            rowsPlanned += note.components(separatedBy: ", lines ").last?.components(separatedBy: ", token").first?
                .split(separator: ",").count ?? 0
        }
        #expect(rowsPlanned == 12, "\(notes)")
        // …so it goes through a JSON parser whole (a stream of documents, as jq reads it).
        let quiet = try await work.run(["grant", "samples/new-partners.csv", "--dry-run", "--quiet", "--output", "quiet.csv"])
        #expect(quiet.stdout == result.stdout && quiet.stderr.isEmpty, "\(quiet.transcript)")

        // Every row PLANNED in the dry run's file (INPUT.plan.csv); no journal, nothing to resume.
        let results = try work.table("samples/new-partners.plan.csv")
        #expect(results.column("Outcome") == Array(repeating: "PLANNED", count: 12))
        #expect(results.column("ChangeSetId").allSatisfy { $0.isEmpty })
        #expect(!work.exists("samples/new-partners.results.csv.journal"))

        // --plan-dir: one JSON file per change set instead of standard output.
        let planned = try await work.run(["grant", "samples/new-partners.csv", "--dry-run", "--plan-dir", "plans"])
        #expect(planned.status == 0, "\(planned.transcript)")
        #expect(planned.stdout.isEmpty)
        let files = try FileManager.default.contentsOfDirectory(atPath: work.path("plans").path).filter { $0.hasSuffix(".json") }
        #expect(files.count == documents.count, "\(files)")
        for file in files {
            let data = try Data(contentsOf: work.path("plans/\(file)"))
            #expect((try? JSONSerialization.jsonObject(with: data)) is [String: Any], "\(file)")
        }
    }

    @Test func invalidRowsNameTheColumnAndTheFix() async throws {
        let work = try Workspace(samples: false)
        defer { work.remove() }
        try work.write("partners.csv", """
            PRODUCT_ID,NAME,RESELLER_ACCOUNT_ID,DIMENSION_KEY,PRICE,EXPIRY_DATE
            prod-1111111111111,Good Partner,123456789012,BasicService,150.00,
            prod-1111111111111,Lost Zero,12345678901,BasicService,150.00,
            prod-1111111111111,Decimal Comma,123456789013,BasicService,"150,50",
            prod-1111111111111,US Date,123456789014,BasicService,150,12/31/2029
            prod-1111111111111,,123456789015,BasicService,150,

            """)
        let result = try await work.run(["grant", "partners.csv", "--dry-run", "--quiet"])
        #expect(result.status == 1, "INVALID rows: exit 1\n\(result.transcript)")
        let results = try work.table("partners.plan.csv")
        #expect(results.column("Outcome") == ["PLANNED", "INVALID", "INVALID", "INVALID", "INVALID"])
        let messages = results.column("ErrorMessage")
        #expect(messages[1].contains("ResellerAccountId") && messages[1].contains("012345678901")
                && messages[1].contains("leading zero"), "\(messages[1])")
        #expect(messages[2].contains("Price") && messages[2].contains("did you mean \"150.50\""), "\(messages[2])")
        #expect(messages[3].contains("EXPIRY_DATE") && messages[3].contains("YYYY-MM-DD")
                && messages[3].contains("did you mean \"2029-12-31\""), "\(messages[3])")
        #expect(messages[4].contains("column \"NAME\" is blank"), "\(messages[4])")
        #expect(results.column("ErrorCode").dropFirst().allSatisfy { !$0.isEmpty })
    }

    @Test func strictSendsNothingWhenARowIsInvalid() async throws {
        let work = try Workspace()
        defer { work.remove() }
        let result = try await work.run(["grant", "samples/spreadsheet-mistakes.csv", "--strict", "--emulator"])
        #expect(result.status == 1, "\(result.transcript)")
        #expect(result.stderr.contains("--strict: 8 rows are INVALID, so nothing was sent"), "\(result.stderr)")
        #expect(!result.stderr.contains("using the embedded Catalog emulator"), "stopped before connecting")
        // The first problems are on the terminal, located and with their fix; the rest in the file.
        #expect(result.stderr.contains("samples/spreadsheet-mistakes.csv:3: INVALID: ResellerAccountId:"), "\(result.stderr)")
        #expect(result.stderr.contains("enter 026262626262"), "\(result.stderr)")
        #expect(result.stderr.contains("… and more: every INVALID row has its ErrorMessage in the results file"), "\(result.stderr)")
        let results = try work.table("samples/spreadsheet-mistakes.results.csv")
        #expect(results.rows.count == 10)
        #expect(results.column("ChangeSetId").allSatisfy { $0.isEmpty }, "nothing was sent")
        #expect(results.column("EntityId").allSatisfy { $0.isEmpty })
        #expect(results.column("Outcome").filter { $0 == "INVALID" }.count == 8)
    }

    @Test func runWithATemplateFileAndConstants() async throws {
        let work = try Workspace()
        defer { work.remove() }
        let result = try await work.run(["run", "samples/ra-one-time.csv", "--template", "samples/templates/ra-one-time.json",
                                         "--set", "CURRENCY=EUR", "--dry-run", "--rows-per-change-set", "1"])
        #expect(result.status == 0, "\(result.transcript)")
        #expect(result.stdout.split(separator: "\n").count == 3, "one row per change set, one change set per line")
        #expect(result.stdout.contains("\"CurrencyCode\":\"EUR\""))
        #expect(!result.stdout.contains("\"CurrencyCode\":\"USD\""), "--set wins over the default")
        #expect(result.stdout.contains("\"OffersMaxQuantity\":1"))
        // The buyer list cell `111111111111; 222222222222` becomes an array; a blank one leaves the change out.
        #expect(result.stdout.contains("\"111111111111\",") && result.stdout.contains("\"222222222222\""))
        #expect(result.stdout.components(separatedBy: "UpdateBuyerTargetingTerms").count - 1 == 2)
        #expect(!result.stdout.contains("BulkRunnerIf") && !result.stdout.contains("{{"))
    }

    @Test func statusWithoutTheJournalChangesNothing() async throws {
        let work = try Workspace(samples: false)
        defer { work.remove() }
        // A results file copied without its journal: status has nothing to follow, and must not
        // turn its SUCCEEDED rows into PENDING ones without change sets.
        let results = """
            PRODUCT_ID,NAME,RESELLER_ACCOUNT_ID,DIMENSION_KEY,PRICE,Outcome,ChangeSetId,ChangeSetArn,ChangeSetStatus,EntityId,FailureCode,ErrorCode,ErrorMessage,Attempts
            prod-1111111111111,A,123456789012,BasicService,150,SUCCEEDED,cs1,arn:x,SUCCEEDED,resaleauthz-aaaaaaaaaaaaa,,,,1

            """
        try work.write("copied.results.csv", results)
        try work.write("copied.results.csv.job", #"{"Template": "grant", "Constants": {}, "Emulator": false}"#)
        let status = try await work.run(["status", "copied.results.csv", "--endpoint-url", "http://127.0.0.1:9"],
                                        environment: E2E.emulatorEnvironment(home: work.url))
        #expect(status.status == 66, "\(status.transcript)")
        #expect(status.stderr.hasPrefix("error: copied.results.csv.journal: no such file"), "\(status.stderr)")
        #expect(status.stderr.contains("`bulkrunner retry copied.results.csv`"), "\(status.stderr)")
        #expect(try String(contentsOf: work.path("copied.results.csv"), encoding: .utf8) == results, "nothing was changed")
        #expect(!work.exists("copied.results.csv.journal"))
    }

    @Test func countsOfOneAreSingular() async throws {
        let work = try Workspace(samples: false)
        defer { work.remove() }
        try work.write("one.csv", "PRODUCT_ID,NAME,RESELLER_ACCOUNT_ID,DIMENSION_KEY,PRICE\nprod-1111111111111,A,123456789012,BasicService,150\n")
        try work.write("column.csv", "RESALE_AUTHORIZATION_ID\nresaleauthz-1111111111111\n")
        let dry = try await work.run(["grant", "one.csv", "--dry-run"])
        #expect(dry.status == 0, "\(dry.transcript)")
        #expect(dry.stderr.contains("1 row: 1 planned in 1 change set (4 changes, 1 wave), 0 INVALID"), "\(dry.stderr)")
        #expect(dry.stderr.contains("change set 1: ") && dry.stderr.contains(", line 2, token "), "\(dry.stderr)")
        let run = try await work.run(["restrict", "column.csv", "--emulator"])
        let inspect = try await work.run(["inspect", "column.csv"])
        #expect(inspect.stdout.contains("header:       line 1, 1 column\n"), "\(inspect.stdout)")
        let output = dry.stderr + run.stderr + inspect.stdout
        let plural = try Regex(#"\b1 (rows|change sets|changes|waves|columns|throttles|entities|records|calls|times|payments)\b"#)
        for line in output.split(separator: "\n") {
            #expect(line.firstMatch(of: plural) == nil, "\(line)")
            #expect(!line.contains("(s)"), "\(line)")
        }
        #expect(run.stderr.contains("1 row in "), "\(run.stderr)")
    }

    @Test func quietPrintsNothingAndStillWritesTheResults() async throws {
        let work = try Workspace()
        defer { work.remove() }
        let result = try await work.run(["grant", "samples/new-partners.csv", "--emulator", "--quiet"])
        #expect(result.status == 0, "\(result.transcript)")
        #expect(result.stdout.isEmpty && result.stderr.isEmpty, "\(result.transcript)")
        #expect(try work.table("samples/new-partners.results.csv").column("Outcome").allSatisfy { $0 == "SUCCEEDED" })
    }

    @Test func quietDryRunStillPrintsTheChangeSets() async throws {
        let work = try Workspace()
        defer { work.remove() }
        // --quiet silences progress and notices, not what the dry run was asked for.
        let grant = try await work.run(["grant", "samples/new-partners.csv", "--dry-run", "--quiet"])
        #expect(grant.status == 0, "\(grant.transcript)")
        #expect(grant.stderr.isEmpty, "\(grant.stderr)")
        #expect(grant.stdout.components(separatedBy: "\"CreateResaleAuthorization\"").count - 1 == 12, "\(grant.stdout.prefix(300))")

        let export = try await work.run(["export", "resale-authorizations", "--emulator", "--status", "Active", "--output", "current.csv"])
        #expect(export.status == 0, "\(export.transcript)")
        var sheet = try work.table("current.csv")
        let action = try #require(sheet.index("Action"))
        sheet.rows[0][action] = "RESTRICT"
        try work.write("current.csv", ([sheet.header] + sheet.rows).map { $0.map(EndToEndKnownIssuesTests.quoted).joined(separator: ",") }
            .joined(separator: "\n") + "\n")
        let apply = try await work.run(["apply", "current.csv", "--dry-run", "--emulator", "--quiet"])
        #expect(apply.status == 0, "\(apply.transcript)")
        #expect(apply.stderr.isEmpty, "\(apply.stderr)")
        #expect(apply.stdout.components(separatedBy: "\"RestrictResaleAuthorization\"").count - 1 == 1, "\(apply.stdout.prefix(300))")
        #expect(work.exists("current.plan.csv") && !work.exists("current.results.csv"), "a dry run writes SHEET.plan.csv, never results")
        for line in (grant.stdout + apply.stdout).split(separator: "\n") {
            #expect((try? JSONSerialization.jsonObject(with: Data(line.utf8))) is [String: Any], "one JSON request per line: \(line.prefix(80))")
        }
    }

    @Test func jsonLogIsOneJSONObjectPerLine() async throws {
        let work = try Workspace()
        defer { work.remove() }
        let result = try await work.run(["grant", "samples/spreadsheet-mistakes.csv", "--emulator", "--log-format", "json"])
        #expect(result.status == 1, "\(result.transcript)")
        #expect(result.stdout.isEmpty)
        let lines = result.stderr.split(separator: "\n")
        #expect(!lines.isEmpty)
        var events: [[String: Any]] = []
        for line in lines {
            let object = try? JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any]
            #expect(object != nil, "not a JSON object: \(line)")
            if let object { events.append(object) }
        }
        #expect(events.allSatisfy { $0["event"] is String })
        let summary = try #require(events.last { $0["event"] as? String == "summary" })
        #expect(summary["rows"] as? Int == 10 && summary["succeeded"] as? Int == 1 && summary["invalid"] as? Int == 8
                && summary["failed"] as? Int == 1, "\(summary)")
        #expect(summary["results"] as? String == "samples/spreadsheet-mistakes.results.csv")
        // Counts, rates and seconds are JSON numbers, flags booleans — never strings.
        let summaryLine = try #require(lines.last { $0.contains("\"event\":\"summary\"") })
        for fragment in ["\"rows\":10", "\"succeeded\":1", "\"invalid\":8", "\"failed\":1", "\"pending\":0", "\"allDone\":false"] {
            #expect(summaryLine.contains(fragment), "\(fragment) in \(summaryLine)")
        }
        #expect(summary["elapsed"] is NSNumber, "\(summary)")
        let progress = events.filter { $0["event"] as? String == "progress" }
        #expect(!progress.isEmpty)
        for event in progress {
            for (key, value) in event where key != "event" {
                #expect(value is NSNumber || value is NSNull, "progress \(key) is not a number: \(event)")
                #expect(!(value is String), "progress \(key) is a string: \(event)")
            }
        }
        for event in events where event["event"] as? String == "notice" {
            #expect(event["rows"] is [Int], "notice rows are numbers: \(event)")
        }
        // A dry run's change sets, as events: their lines are numbers too.
        let dry = try await work.run(["grant", "samples/new-partners.csv", "--dry-run", "--log-format", "json"])
        #expect(dry.status == 0, "\(dry.transcript)")
        let sets = dry.stderr.split(separator: "\n").compactMap { try? JSONSerialization.jsonObject(with: Data($0.utf8)) as? [String: Any] }
            .filter { $0["event"] as? String == "changeSet" }
        #expect(sets.count == 3 && sets.allSatisfy { $0["number"] as? Int != nil && $0["lines"] is [Int] }, "\(dry.stderr)")
    }

    // MARK: export, schedule, inspect, templates

    @Test func exportBothKindsFromTheEmulator() async throws {
        let work = try Workspace(samples: false)
        defer { work.remove() }
        async let authorizations = work.run(["export", "resale-authorizations", "--emulator", "--output", "ra.csv"])
        async let offers = work.run(["export", "offers", "--emulator", "--output", "-"])
        async let workbook = work.run(["export", "offers", "--emulator", "--state", "Released", "--output", "offers.xlsx"])
        let (ra, offer, xlsx) = try await (authorizations, offers, workbook)

        #expect(ra.status == 0, "\(ra.transcript)")
        #expect(ra.stderr.contains("250 resale authorizations written") && ra.stderr.contains("→ ra.csv"), "\(ra.stderr)")
        let sheet = try work.table("ra.csv")
        #expect(sheet.header.prefix(3) == ["ResaleAuthorizationId", "Name", "ProductId"])
        for column in ["ResellerAccountId", "Status", "OfferExtendedStatus", "LastModifiedDate", "Action", "NewPrice"] {
            #expect(sheet.header.contains(column), "\(column) in \(sheet.header)")
        }
        #expect(sheet.rows.count == 250)
        #expect(sheet.column("ResaleAuthorizationId").allSatisfy { $0.hasPrefix("resaleauthz-") })
        #expect(sheet.column("ResellerAccountId").allSatisfy { $0.hasPrefix("'") && $0.count == 13 },
                "account ids keep their zeros in a spreadsheet")
        #expect(Set(sheet.column("Status")).isSubset(of: ["Draft", "Active", "Restricted"]))
        #expect(sheet.column("Action").allSatisfy { $0.isEmpty })

        // An existing file is never replaced without --force.
        let again = try await work.run(["export", "resale-authorizations", "--emulator", "--output", "ra.csv"])
        #expect(again.status != 0 && again.stderr.contains("--force"), "\(again.transcript)")

        #expect(offer.status == 0, "\(offer.transcript)")
        let offersSheet = try CSVTable(text: offer.stdout)
        #expect(offersSheet.header.first == "OfferId" && offersSheet.rows.count == 150)
        #expect(offer.stderr.contains("150 offers written"))

        #expect(xlsx.status == 0, "\(xlsx.transcript)")
        #expect(xlsx.stderr.contains("→ offers.xlsx"), "\(xlsx.stderr)")
        let bytes = try Data(contentsOf: work.path("offers.xlsx"))
        #expect(bytes.starts(with: [0x50, 0x4B, 0x03, 0x04]), "an xlsx workbook is a zip archive")
    }

    @Test func scheduleSplitsTheTotalExactly() async throws {
        let work = try Workspace(samples: false)
        defer { work.remove() }
        let result = try await work.run(["schedule", "--total", "1000", "--first", "2029-01-01", "--every", "90", "--count", "3"])
        #expect(result.status == 0, "\(result.transcript)")
        let term = try #require(try JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as? [String: Any])
        #expect(term["Type"] as? String == "PaymentScheduleTerm")
        #expect(term["CurrencyCode"] as? String == "USD")
        let schedule = try #require(term["Schedule"] as? [[String: String]])
        #expect(schedule.map { $0["ChargeDate"] ?? "" } == ["2029-01-01", "2029-04-01", "2029-06-30"])
        #expect(schedule.map { $0["ChargeAmount"] ?? "" } == ["333.33", "333.33", "333.34"])
        #expect(!result.stderr.isEmpty, "a one-line summary on standard error")

        let document = try await work.run(["schedule", "--spec", "total=12000;first=2029-01-01;every=30;count=2;type=resale", "--document"])
        #expect(document.status == 0, "\(document.transcript)")
        let details = try #require(try JSONSerialization.jsonObject(with: Data(document.stdout.utf8)) as? [String: Any])
        let terms = try #require(details["Terms"] as? [[String: Any]])
        #expect(terms.first?["Type"] as? String == "ResalePaymentScheduleTerm")

        let wrong = try await work.run(["schedule", "--total", "100", "--first", "2029-01-01", "--every", "45", "--count", "2"])
        #expect(wrong.status == 2, "\(wrong.transcript)")
        #expect(wrong.stderr.contains("--every") && wrong.stderr.contains("usage: bulkrunner schedule"), "\(wrong.stderr)")
        #expect(wrong.stderr.contains("try: bulkrunner schedule --total 100 --first 2029-01-01 --every 30 --count 2\n"), "\(wrong.stderr)")
    }

    @Test(arguments: [
        ["--total", "100", "--first", "2029-01-01", "--every", "45", "--count", "2"],
        ["--total", "100", "--first", "2029-01-01", "--every", "30"],
        ["--total", "100", "--first", "2029-01-01", "--every", "30", "--count", "2", "--end", "2029-05-01"],
        ["--total", "1.005", "--first", "2029-01-01", "--every", "30", "--count", "2"],
        ["--total", "100", "--first", "12/31/2029", "--every", "30", "--count", "2"],
        ["--total", "100", "--first", "2029-01-01", "--every", "30", "--count", "2", "--remainder", "middle"],
        ["--first", "2029-01-01", "--every", "30", "--count", "2", "--resale", "--document"],
        ["--total", "100.5", "--currency", "JPY", "--first", "2029-01-01", "--every", "30", "--count", "3"],
        ["--total", "100", "--first", "2029-01-01", "--every", "30", "--count", "2", "--spec", "total=3"],
        ["--spec", "total=100;first=2029-01-01;every=45;count=3"],
    ])
    func scheduleHintsAreCommandLinesToCopy(arguments: [String]) async throws {
        let work = try Workspace(samples: false)
        defer { work.remove() }
        let wrong = try await work.run(["schedule"] + arguments)
        #expect(wrong.status == 2, "\(wrong.transcript)")
        let lines = wrong.stderr.split(separator: "\n").map(String.init)
        let attempt = try #require(lines.first { $0.hasPrefix("try: bulkrunner schedule ") }, "\(wrong.stderr)")
        if !arguments.contains("--spec") || arguments.first != "--spec" {
            // Hints in the option syntax the user types, never the spec's `key=value`.
            for line in lines where !line.hasPrefix("usage:") && !line.hasPrefix("try:") {
                #expect(line.range(of: #"\b(total|first|end|count|every|remainder|days|holidays|currency|type)="#, options: .regularExpression) == nil,
                        "\(line)")
            }
        }
        // The command line works as given: pasted into a shell, it prints the schedule.
        var words: [String] = []
        var word = "", quoted = false, started = false
        for character in attempt.dropFirst("try: bulkrunner ".count) {
            if character == "'" { quoted.toggle(); started = true; continue }
            if character == " " && !quoted {
                if started { words.append(word) }
                word = ""; started = false
                continue
            }
            word.append(character); started = true
        }
        if started { words.append(word) }
        let copied = try await work.run(words)
        #expect(copied.status == 0, "\(attempt)\n\(copied.transcript)")
        #expect((try? JSONSerialization.jsonObject(with: Data(copied.stdout.utf8))) is [String: Any], "\(attempt)")
    }

    @Test func inspectShowsHowEachSpreadsheetIsRead() async throws {
        let work = try Workspace()
        defer { work.remove() }
        let cases: [(file: String, extra: [String], encoding: String, delimiter: String, ends: String)] = [
            ("partners-excel-utf8.csv", [], "utf-8 (with byte order mark)", "comma (,)", "CRLF"),
            ("partners-excel-europe.csv", [], "utf-8 (with byte order mark)", "semicolon (;)", "CRLF"),
            ("partners-excel-legacy.csv", ["--encoding", "windows-1252"], "windows-1252", "comma (,)", "CRLF"),
            ("partners-excel-unicode.txt", [], "utf-16le (with byte order mark)", "tab", "CRLF"),
            ("partners-google-sheets.csv", [], "utf-8", "comma (,)", "CRLF"),
            ("partners-libreoffice.csv", [], "utf-8", "semicolon (;)", "LF"),
        ]
        try await withThrowingTaskGroup(of: Void.self) { group in
            for item in cases {
                group.addTask {
                    let result = try await work.run(["inspect", "samples/\(item.file)"] + item.extra)
                    #expect(result.status == 0, "\(item.file): \(result.transcript)")
                    #expect(result.stdout.contains("encoding:     \(item.encoding)\n"), "\(item.file): \(result.stdout)")
                    #expect(result.stdout.contains("delimiter:    \(item.delimiter)\n"), "\(item.file): \(result.stdout)")
                    #expect(result.stdout.contains("record ends:  \(item.ends)"), "\(item.file): \(result.stdout)")
                    #expect(result.stdout.contains("records:      3 data records") || result.stdout.contains("records:      4 data records"),
                            "\(item.file): \(result.stdout)")
                    let count = try await work.run(["inspect", "samples/\(item.file)", "--count"] + item.extra)
                    #expect(["3\n", "4\n"].contains(count.stdout), "\(item.file): \(count.transcript)")
                    let json = try await work.run(["inspect", "samples/\(item.file)", "--json"] + item.extra)
                    for line in json.stdout.split(separator: "\n") {
                        #expect((try? JSONSerialization.jsonObject(with: Data(line.utf8))) is [String], "\(item.file): \(line)")
                    }
                }
            }
            try await group.waitForAll()
        }
        // The multi-line cell of the Google Sheets file is one field.
        let google = try await work.run(["inspect", "samples/partners-google-sheets.csv", "--json"])
        #expect(google.stdout.contains("\"Line one\\nLine two of a multi-line cell\""), "\(google.stdout)")
        // A Windows-1252 file read as UTF-8: exit 65, the line and column, and the option to use.
        let legacy = try await work.run(["inspect", "samples/partners-excel-legacy.csv"])
        #expect(legacy.status == 65, "\(legacy.transcript)")
        #expect(legacy.stderr.contains("partners-excel-legacy.csv:2:") && legacy.stderr.contains("--encoding windows-1252"),
                "\(legacy.stderr)")
        let stdin = try await work.run(["inspect", "-", "--count"], stdin: Data("a;b\n1;2\n".utf8))
        #expect(stdin.status == 0 && stdin.stdout == "1\n", "\(stdin.transcript)")
    }

    @Test func templatesListAndShow() async throws {
        let work = try Workspace()
        defer { work.remove() }
        let list = try await work.run(["templates"])
        #expect(list.status == 0, "\(list.transcript)")
        for name in ["grant", "grant-draft", "release", "restrict", "private-offer", "offer-expiry", "add-dimensions"] {
            #expect(list.stdout.contains("\n\(name) "), "\(name) listed")
            let show = try await work.run(["templates", "show", name])
            #expect(show.status == 0, "\(name): \(show.transcript)")
            #expect(show.stdout.hasPrefix("# \(name) — "), "\(name): \(show.stdout.prefix(80))")
            #expect(show.stdout.contains("\"Catalog\": \"AWSMarketplace\"") && show.stdout.contains("Columns ("), "\(name)")
        }
        #expect(list.stdout.contains("columns: PRODUCT_ID, NAME, RESELLER_ACCOUNT_ID, DIMENSION_KEY, PRICE"), "\(list.stdout)")

        // `templates show NAME > file.json` starts a template of your own: the JSON part loads back.
        let restrict = try await work.run(["templates", "show", "restrict"])
        let json = restrict.stdout.split(separator: "\n").dropFirst().prefix { !$0.hasPrefix("Columns (") }.joined(separator: "\n")
        try work.write("mine.json", json)
        let mine = try await work.run(["templates", "show", "mine.json"])
        #expect(mine.status == 0, "\(mine.transcript)")
        #expect(mine.stdout.contains("RESALE_AUTHORIZATION_ID"))

        // A column used only where a condition holds is optional, with the condition.
        let multi = try await work.run(["templates", "show", "samples/templates/ra-multi-use.json"])
        #expect(multi.status == 0, "\(multi.transcript)")
        let price2 = multi.stdout.split(separator: "\n").first { $0.hasPrefix("  PRICE_2 ") }.map(String.init) ?? ""
        #expect(price2.contains("optional, needed when DIMENSION_2 is filled"), "\(multi.stdout)")
        try work.write("conditional.json", """
            {"Catalog": "AWSMarketplace", "ChangeSet": [
             {"ChangeType": "UpdateAvailability", "Entity": {"Type": "Offer@1.0", "Identifier": "{{OFFER_ID}}"},
              "DetailsDocument": {"AvailabilityEndDate": "{{END_DATE?}}", "Note": "{{END_NOTE}}"}},
             {"ChangeType": "UpdateLegalTerms", "Entity": {"Type": "Offer@1.0", "Identifier": "{{OFFER_ID}}"},
              "DetailsDocument": {"Terms": [{"Type": "LegalTerm", "Documents": [
                 {"BulkRunnerIf": "EULA_URL", "Type": "CustomEula", "Url": "{{EULA_URL}}"},
                 {"BulkRunnerUnless": "EULA_URL", "Type": "StandardEula", "Version": "{{EULA_VERSION}}"}]}]}}]}
            """)
        let conditional = try await work.run(["templates", "show", "conditional.json"])
        #expect(conditional.status == 0, "\(conditional.transcript)")
        for expected in ["OFFER_ID      required", "END_NOTE      optional, needed when END_DATE is filled",
                         "EULA_VERSION  optional, needed when EULA_URL is blank"] {
            #expect(conditional.stdout.contains("  " + expected), "\(expected): \(conditional.stdout)")
        }

        let unknown = try await work.run(["templates", "show", "grnat"])
        #expect(unknown.status == 2, "\(unknown.transcript)")
        #expect(unknown.stderr.contains("did you mean") && unknown.stderr.contains("grant"), "\(unknown.stderr)")
        try work.write("broken.json", "{\"Catalog\": \"AWSMarketplace\", \"ChangeSet\": [ }\n")
        let broken = try await work.run(["templates", "show", "broken.json"])
        #expect(broken.status == 65, "\(broken.transcript)")
        #expect(broken.stderr.contains("broken.json:1:"), "\(broken.stderr)")
    }

    // MARK: help, version, usage errors

    /// The commands `bulkrunner help` lists.
    static func listedCommands(_ overview: String) -> [String] {
        var names: [String] = []
        for line in overview.split(separator: "\n") {
            if line.hasPrefix("Run 'bulkrunner help") { break }
            guard line.hasPrefix("  "), let first = line.dropFirst(2).first, first.isLetter else { continue }
            let name = line.dropFirst(2).components(separatedBy: "  ").first ?? ""
            names.append(name.trimmingCharacters(in: .whitespaces))
        }
        return names
    }

    @Test func helpOfEveryCommandHasAWorkedExample() async throws {
        let work = try Workspace(samples: false)
        defer { work.remove() }
        let overview = try await work.run(["help"])
        #expect(overview.status == 0)
        #expect(overview.stdout.hasPrefix("bulkrunner "))
        #expect(overview.stdout.contains("EXIT STATUS:"))
        for alias in [[], ["--help"], ["-h"]] {
            #expect(try await work.run(alias).stdout == overview.stdout, "bulkrunner \(alias.joined())")
        }
        let commands = Self.listedCommands(overview.stdout)
        for expected in ["grant", "restrict", "run", "retry", "status", "export resale-authorizations", "export offers",
                         "schedule", "inspect", "templates", "templates show", "emulator", "version", "api start-change-set"] {
            #expect(commands.contains(expected), "\(expected) is listed in bulkrunner help")
        }
        // Four commands at a time: a burst of a hundred processes would starve the other tests on two cores.
        try await withThrowingTaskGroup(of: Void.self) { group in
            for (index, command) in commands.enumerated() {
                if index >= 4 { try await group.next() }
                group.addTask {
                    let words = command.split(separator: " ").map(String.init)
                    let help = try await work.run(words + ["--help"])
                    #expect(help.status == 0, "\(command): \(help.transcript)")
                    #expect(help.stdout.hasPrefix("USAGE: bulkrunner \(command)"), "\(command): \(help.stdout.prefix(80))")
                    #expect(help.stdout.contains("EXIT STATUS:"), "\(command)")
                    let examples = help.stdout.components(separatedBy: "EXAMPLES:\n").dropFirst().first ?? ""
                    #expect(examples.split(separator: "\n").contains { $0 == "  bulkrunner \(command)" || $0.hasPrefix("  bulkrunner \(command) ") },
                            "\(command) has a worked example: \(examples.prefix(120))")
                    let viaHelp = try await work.run(["help"] + words)
                    #expect(viaHelp.status == 0 && viaHelp.stdout == help.stdout, "bulkrunner help \(command)")

                    let unknown = try await work.run(words + ["--no-such-option"])
                    #expect(unknown.status == 2, "\(command) --no-such-option: \(unknown.transcript)")
                    #expect(unknown.stderr.contains("unknown option '--no-such-option' for 'bulkrunner \(command)'"),
                            "\(command): \(unknown.stderr)")
                    #expect(unknown.stderr.contains("bulkrunner \(command) --help") || unknown.stderr.contains("usage: bulkrunner \(command)"),
                            "\(command): \(unknown.stderr)")
                    #expect(unknown.stdout.isEmpty)
                }
            }
            try await group.waitForAll()
        }
    }

    @Test(arguments: [
        (["grant"], "missing PARTNERS.csv"),
        (["restrict"], "missing AUTHORIZATIONS.csv"),
        (["run"], "missing INPUT.csv"),
        (["run", "x.csv"], "missing --template"),
        (["retry"], "missing RESULTS.csv"),
        (["status"], "missing RESULTS.csv"),
        (["inspect"], "missing FILE"),
        (["templates", "show"], "missing NAME|FILE"),
        (["schedule"], "total"),
        (["api", "describe-entity"], "missing --entity-id"),
        (["grant", "a.csv", "b.csv"], "unexpected argument 'b.csv'"),
        (["grant", "a.csv", "--output"], "option --output needs a value"),
        (["grant", "a.csv", "--dryrun"], "did you mean '--dry-run'?"),
        (["grant", "a.csv", "--set", "CURRENCY"], "must be NAME=VALUE"),
        (["grant", "a.csv", "--log-format", "xml"], "use text or json"),
        (["grant", "a.csv", "--rows-per-change-set", "50"], "from 1 to 20"),
        (["grant", "a.csv", "--emulator", "--endpoint-url", "http://127.0.0.1:9"], "cannot be combined"),
        (["grant", "a.csv", "--plan-dir", "plans"], "--plan-dir goes with --dry-run"),
        (["stauts", "x.csv"], "unknown command 'stauts'; did you mean 'bulkrunner status'?"),
        (["grnat", "a.csv"], "unknown command 'grnat'; did you mean 'bulkrunner grant'?"),
        (["grant", "a.csv", "--qiuet"], "did you mean '--quiet'?"),
        (["export"], "needs a subcommand"),
        (["export", "offer"], "did you mean 'bulkrunner export offers'?"),
        (["emulator", "--port", "x"], "--port must be a port number"),
        (["version", "extra"], "unexpected argument 'extra'"),
    ])
    func usageErrorsExitTwoAndSayWhatWasExpected(arguments: [String], expected: String) async throws {
        let work = try Workspace(samples: false)
        defer { work.remove() }
        try work.write("a.csv", "PRODUCT_ID,NAME,RESELLER_ACCOUNT_ID,DIMENSION_KEY,PRICE\n")
        let result = try await work.run(arguments)
        #expect(result.status == 2, "\(arguments): \(result.transcript)")
        #expect(result.stderr.contains(expected), "\(arguments): \(result.stderr)")
        #expect(result.stderr.hasPrefix("error: "), "\(arguments): \(result.stderr)")
        #expect(result.stdout.isEmpty)
        #expect(!work.exists("a.results.csv"), "nothing written on a usage error")
    }

    @Test(arguments: [
        (["inspect", "nofile.csv"], Int32(66)),
        (["inspect", "broken.csv"], Int32(65)),
        (["templates", "show", "nope"], Int32(2)),
        (["templates", "show", "broken.json"], Int32(65)),
        (["templates", "show", "nofile.json"], Int32(66)),
        (["grant", "nofile.csv"], Int32(66)),
        (["run", "a.csv", "--template", "broken.json", "--dry-run"], Int32(65)),
        (["apply", "nofile.csv"], Int32(66)),
        (["schedule", "--total", "1", "--first", "2029-01-01", "--every", "45", "--count", "2"], Int32(2)),
        (["api", "start-change-set", "--input-json", "{"], Int32(65)),
        (["api", "start-change-set", "--input-json", "nofile.json"], Int32(66)),
        (["export", "offers", "--format", "pdf"], Int32(2)),
        (["emulator", "--port", "x"], Int32(2)),
        (["grnat"], Int32(2)),
        (["export"], Int32(2)),
    ])
    func everyErrorIsReportedTheSameWay(arguments: [String], status: Int32) async throws {
        let work = try Workspace(samples: false)
        defer { work.remove() }
        try work.write("a.csv", "PRODUCT_ID,NAME,RESELLER_ACCOUNT_ID,DIMENSION_KEY,PRICE\n")
        try work.write("broken.csv", "a,b\n1,\"2\n")
        try work.write("broken.json", "{\"Catalog\": \"AWSMarketplace\", \"ChangeSet\": [ }\n")
        let result = try await work.run(arguments)
        #expect(result.status == status, "\(arguments): \(result.transcript)")
        #expect(result.stderr.hasPrefix("error: "), "\(arguments): \(result.stderr)")
        #expect(!result.stderr.contains("error: error:"), "\(arguments): \(result.stderr)")
        #expect(result.stdout.isEmpty, "\(arguments): \(result.stdout)")
    }

    @Test func usageLinesShowRequiredOptionsWithoutBrackets() async throws {
        let work = try Workspace(samples: false)
        defer { work.remove() }
        for (words, usage) in [
            (["run"], "USAGE: bulkrunner run INPUT.csv --template NAME|FILE [--output FILE]"),
            (["grant"], "USAGE: bulkrunner grant PARTNERS.csv [--template NAME|FILE]"),
            (["api", "describe-entity"], "USAGE: bulkrunner api describe-entity --entity-id ID [--catalog NAME]"),
            (["api", "start-change-set"], "USAGE: bulkrunner api start-change-set --input-json FILE|-|JSON [--max-attempts N]"),
            (["schedule"], "USAGE: bulkrunner schedule --total AMOUNT --first DATE --every DAYS (--end DATE | --count N) [--remainder first|last]"),
        ] {
            let help = try await work.run(words + ["--help"])
            #expect(help.stdout.hasPrefix(usage), "\(words): \(help.stdout.prefix(160))")
        }
        let schedule = try await work.run(["schedule", "--help"])
        #expect(schedule.stdout.contains("\n   or: bulkrunner schedule --spec SPEC [--document]\n"), "\(schedule.stdout.prefix(400))")
    }

    @Test func versionAndMissingFiles() async throws {
        let work = try Workspace(samples: false)
        defer { work.remove() }
        let version = try await work.run(["--version"])
        #expect(version.status == 0 && version.stdout.hasPrefix("bulkrunner ") && version.stdout.hasSuffix("\n"))
        let parts = version.stdout.dropFirst("bulkrunner ".count).dropLast().split(separator: ".")
        #expect(parts.count == 3 && parts.allSatisfy { Int($0) != nil }, "\(version.stdout)")
        #expect(try await work.run(["version"]).stdout == version.stdout)

        let missing = try await work.run(["grant", "nofile.csv", "--emulator"])
        #expect(missing.status == 66, "\(missing.transcript)")
        #expect(missing.stderr == "error: nofile.csv: no such file; check the path\n", "\(missing.stderr)")
        let template = try await work.run(["run", "nofile.csv", "--template", "nope.json"])
        #expect(template.status == 66 || template.status == 2, "\(template.transcript)")

        // No credentials and no --emulator: the error lists every place that was looked at.
        try work.write("p.csv", "PRODUCT_ID,NAME,RESELLER_ACCOUNT_ID,DIMENSION_KEY,PRICE\nprod-1111111111111,A,123456789012,BasicService,1\n")
        let api = try await work.run(["api", "list-entities", "--entity-type", "ResaleAuthorization"])
        #expect(api.status == 69, "\(api.transcript)")
        #expect(api.stderr.contains("No AWS credentials found") && api.stderr.contains("AWS_ACCESS_KEY_ID")
                && api.stderr.contains(".aws/credentials"), "\(api.stderr)")
    }
}
