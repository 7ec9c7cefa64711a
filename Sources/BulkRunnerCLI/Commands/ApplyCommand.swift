import BulkRunner
import CSVKit
import CatalogEmulator
import CatalogModels
import Clocks
import Foundation

/// `bulkrunner apply SHEET.csv`: performs what a reviewer marked in an export (the `Action` and
/// `New…` columns) and writes the results sheet. Everything it does lives in `BulkRunner`
/// (`Applier`, `ApplyPlan`, `ApplyRecord`, `ApplyReport`); this file wires options, the
/// resume record, progress, the summary and exit statuses (those of the other job commands).
enum ApplyCommand {
    static let spec = CommandSpec(
        path: ["apply"],
        summary: "Perform the actions marked in an exported sheet (Action and New… columns); unmarked rows are skipped.",
        positionals: [.init("SHEET.csv", help: "a sheet written by `bulkrunner export …`, with Action (and New…) cells filled in")],
        options: [
            .flag("dry-run", help: "Check every marked row against the service (reads only) and print the change sets that would be sent, one JSON request per line; send nothing."),
            .flag("force", help: "Apply rows whose entity changed since the export too (by default they are STALE and left alone)."),
            .flag("restrict-first", help: "REPRICE of an Active authorization: restrict the old one before granting the new (default: grant first)."),
        ] + Job.options.compactMap { option -> CommandSpec.Option? in
            switch option.name {
            case "set", "plan-dir", "strict", "dry-run": return nil
            case "wait-timeout":
                return .value("wait-timeout", "SECONDS", help: "Stop waiting once SECONDS pass with no change set sent or finished: open ones go on at the service (nothing is cancelled), their rows are written PENDING, and the same command run again follows them.")
            case "run-id":
                return .value("run-id", "ID", help: "The run identity in tokens and change-set names (default: the record's when resuming, or derived).")
            default: return option
            }
        } + Connection.options,
        discussion: """
            Actions (several joined with +), each with the New… column it needs:
              RESTRICT   Active authorizations: no new partner offers (cannot be undone)
              RELEASE    Drafts: publish (e.g. drafts made with `grant --template grant-draft`)
              EXTEND     NewAvailabilityEndDate (a future YYYY-MM-DD): UpdateAvailability
              REPRICE    NewPrice (150.00 for every dimension, or KEY=PRICE;KEY=PRICE). A Draft gets new
                         pricing terms; an Active authorization is re-granted: a new one to the same
                         reseller for the same product, copying name, description, legal and other terms
                         and expiry, at the new price and released; the old one is restricted
              RENAME     NewName: UpdateInformation (Draft authorizations; Draft or Released offers)
              RETARGET   NewBuyerAccounts (id;id…, at most 25): buyer targeting (Drafts; offers)
              SCHEDULE   NewPaymentSchedule (a `bulkrunner schedule` spec): flexible payment schedule (Drafts)
            With REPRICE on an Active authorization, RENAME, EXTEND, RETARGET and SCHEDULE shape the new one.

            Before anything is sent, every marked entity is described (BatchDescribeEntities, 20 per call):
            a row whose entity changed since the export (its LastModifiedDate moved) is STALE and not
            applied unless --force; a row whose action does not fit the entity's status now is INVALID.
            A re-grant goes in two waves: the new authorization first, then (only when it SUCCEEDED) the
            old one is restricted, so the partner is never without one; --restrict-first reverses that.

            The results file is the sheet, every column kept, with Outcome, ChangeSetId, ChangeSetArn,
            ChangeSetStatus, EntityId, FailureCode, ErrorCode, ErrorMessage and Attempts appended. A
            re-grant row lists both change sets in ChangeSetId (and ChangeSetArn, ChangeSetStatus) in the
            order sent, joined with ';'; its EntityId is the new authorization. Outcomes: SUCCEEDED,
            FAILED, INVALID, STALE, PENDING, CANCELLED, SKIPPED (no Action).

            The record (RESULTS.csv.apply) and journals beside the results make the same command resume after
            a crash or Ctrl-C without sending anything twice. To apply corrected rows later, apply the
            results file to a new --output: rows that already SUCCEEDED are skipped.
            """,
        examples: [
            "bulkrunner export resale-authorizations --status Active --output current.csv   # then mark Action in a spreadsheet",
            "bulkrunner apply current.csv --dry-run            # what would be sent, row by row",
            "bulkrunner apply current.csv                      # writes current.results.csv",
            "bulkrunner apply drafts.csv --output released.csv # drafts marked RELEASE are published",
            "bulkrunner apply current.results.csv --output retry.csv   # corrected rows; SUCCEEDED ones are skipped",
        ])

    /// The command.
    static let entry = CommandEntry(spec: spec, group: "Spreadsheets") { parsed, context in
        try await run(parsed, context: context)
    }

    static func run(_ parsed: ParsedArguments, context: CLIContext) async throws -> Int32 {
        let json: Bool
        switch parsed.value("log-format") ?? "text" {
        case "text": json = false
        case "json": json = true
        case let other: throw UsageError("--log-format '\(other)' is unknown; use text or json", usage: spec.usage)
        }
        let quiet = parsed.flag("quiet")
        let out = JobOutput(context: context, quiet: quiet, json: json)
        guard let argument = parsed.positional(0) else {
            throw UsageError("missing SHEET.csv: the sheet `bulkrunner export` wrote, with Action cells filled in", usage: spec.usage)
        }
        let sheet = context.resolve(argument)
        guard FileManager.default.isReadableFile(atPath: sheet.path) else {
            var isDirectory: ObjCBool = false
            let exists = FileManager.default.fileExists(atPath: sheet.path, isDirectory: &isDirectory)
            out.error("\(argument): " + (exists ? (isDirectory.boolValue ? "is a folder, not a CSV file" : "cannot be read (permissions)")
                                              : "no such file") + "; check the path")
            return ExitStatus.noInput
        }
        // A dry run writes SHEET.plan.csv: never the results of a real run.
        let output = parsed.value("output").map(context.resolve) ?? defaultOutput(for: sheet, dryRun: parsed.flag("dry-run"))
        do { try ResultsWriter.checkOutput(output, isNot: sheet) } catch {
            out.error(error.description)
            return error.exitStatus
        }
        let emulator = parsed.flag("emulator")
        if emulator, parsed.value("endpoint-url") != nil || parsed.value("profile") != nil {
            throw UsageError("--emulator runs without AWS: it cannot be combined with --endpoint-url or --profile", usage: spec.usage)
        }
        let dryRun = parsed.flag("dry-run")
        var options = ApplyOptions(clock: SystemTimeSource())
        options.force = parsed.flag("force")
        options.repriceOrder = parsed.flag("restrict-first") ? .restrictFirst : .grantFirst
        options.csv = try InspectCommand.readerOptions(parsed, spec: spec)
        if let text = parsed.value("rows-per-change-set") {
            guard let n = Int(text), (1...20).contains(n) else {
                throw UsageError("--rows-per-change-set '\(text)' must be a whole number from 1 to 20", usage: spec.usage)
            }
            options.rowsPerChangeSet = n
        }
        var runOptions = RunOptions()
        for rate in parsed.all("rate") {
            do { try runOptions.setRate(rate) } catch { throw UsageError(error.reason + "; " + error.hint, usage: spec.usage) }
        }
        if let text = parsed.value("wait-timeout") {
            guard let seconds = Double(text), seconds > 0 else {
                throw UsageError("--wait-timeout '\(text)' must be a number of seconds > 0", usage: spec.usage)
            }
            runOptions.waitTimeout = seconds
        }
        if let rate = runOptions.rates[.batchDescribeEntities] { options.describe.batchDescribeRate = min(rate, ExportOptions.maximumBatchDescribeRate) }

        // One process at a time per results file: a second would share the journals.
        let resultsLock: ResultsLock?
        do {
            resultsLock = dryRun ? nil : try ResultsLock.acquire(besideResults: output)
        } catch {
            out.error(error.description)
            return error.exitStatus
        }
        defer { resultsLock?.release() }
        let recordURL = ApplyRecord.url(besideResults: output)
        let journalURLs = [ApplyJournals.firstURL(besideResults: output), ApplyJournals.secondURL(besideResults: output)]
        let api: any CatalogAPI
        if emulator {
            api = await demoEmulator(for: sheet, csv: options.csv)
            // The embedded emulator lives only as long as this process: an earlier run's record and
            // journals name change sets it never saw, so an emulator run starts afresh.
            if !dryRun {
                for url in [recordURL] + journalURLs { try? FileManager.default.removeItem(at: url) }
            }
            out.info("using the embedded Catalog emulator (nothing is sent to AWS)")
        } else {
            api = try Connection.client(parsed, context: context).client
        }
        let clock = SystemTimeSource()
        let applier = Applier(api: api, clock: clock, options: options)
        let control = RunControl()
        let interrupts = InterruptHandler(control: control, out: out)
        interrupts.install()
        defer { interrupts.uninstall() }

        // The plan: rebuilt from the record of an interrupted (or finished) run, else checked now.
        let plan: ApplyPlan
        do {
            let resumable = !dryRun && !emulator && journalURLs.contains { FileManager.default.fileExists(atPath: $0.path) }
            if resumable, let record = try ApplyRecord.read(from: recordURL) {
                let read = try ApplySheet.read(sheet, csv: options.csv, today: record.checkedAt)
                plan = try ApplyPlan.build(sheet: read, record: record)
                out.info("resuming the run checked at \(iso(record.checkedAt)) (\(recordURL.lastPathComponent)): its checks and options"
                         + (record.force ? " (--force)" : "") + (record.repriceOrder == .restrictFirst ? " (--restrict-first)" : "")
                         + " apply; nothing already sent is sent again")
            } else {
                let identity = try runIdentity(parsed, sheet: sheet)
                plan = try await applier.check(sheet: sheet, identity: identity) { entities, calls in
                    out.info("checked \(entities) marked entit\(entities == 1 ? "y" : "ies") against the service (\(calls) BatchDescribeEntities call\(calls == 1 ? "" : "s"))")
                }
            }
        } catch let error as BulkRunnerError {
            out.error(error.description)
            return error.exitStatus
        } catch let error as CatalogError {
            out.error("the service could not describe the marked entities: \(error); nothing was sent, run the command again")
            return ExitStatus.serviceError
        }
        describe(plan, out: out, sheet: argument)
        if control.isStopRequested || control.isAbortRequested {
            out.error("interrupted before anything was sent")
            return ExitStatus.interrupted
        }

        if dryRun {
            printChangeSets(plan, context: context, out: out)  // what a dry run is for: --quiet silences only notices
            do { try plan.writeDryRunResults(to: output) } catch {
                out.error(error.description)
                return error.exitStatus
            }
            out.info("dry run: nothing was sent. Results (PLANNED / SKIPPED / INVALID / STALE per row): \(relative(output, context))")
            let s = plan.summary
            return s.invalid + s.stale + s.unchecked == 0 ? ExitStatus.success : ExitStatus.someRowsNotDone
        }

        if plan.summary.planned > 0 {
            do { try plan.record.write(to: recordURL) } catch {
                out.error(error.description)
                return error.exitStatus
            }
        }
        let report: ApplyReport
        do {
            report = try await applier.run(plan, journals: ApplyJournals(besideResults: output), runOptions: runOptions,
                                           control: control) { event in
                switch event {
                case .wave(let wave):
                    out.finishProgress()
                    out.info("wave \(wave.number) of \(wave.waves): \(wave.rows) row\(wave.rows == 1 ? "" : "s") in \(wave.changeSets) change set\(wave.changeSets == 1 ? "" : "s") — \(wave.what)")
                case .run(let event):
                    out.event(event)
                }
            }
        } catch {
            out.finishProgress()
            out.error(error.description)
            return error.exitStatus
        }
        out.finishProgress()
        do { try report.write(plan: plan, to: output) } catch {
            out.error(error.description)
            return error.exitStatus
        }
        if emulator {
            for url in [recordURL] + journalURLs { try? FileManager.default.removeItem(at: url) }
        }
        printSummary(report.summary, results: relative(output, context), sheet: argument, out: out)
        switch report.summary.stopReason {
        case .stopped, .aborted: return ExitStatus.interrupted
        default: return report.summary.allDone ? ExitStatus.success : ExitStatus.someRowsNotDone
        }
    }

    // MARK: Pieces

    /// `sheet.csv` → `sheet.results.csv` beside it (`sheet.plan.csv` for a dry run).
    static func defaultOutput(for sheet: URL, dryRun: Bool = false) -> URL {
        let base = sheet.deletingPathExtension().lastPathComponent
        let ext = sheet.pathExtension.isEmpty ? "csv" : sheet.pathExtension
        return sheet.deletingLastPathComponent().appendingPathComponent("\(base).\(dryRun ? "plan" : "results").\(ext)")
    }

    /// `--run-id`, else derived from the sheet's path and today (UTC): a rerun on the same day
    /// that lost its record still sends the same tokens.
    static func runIdentity(_ parsed: ParsedArguments, sheet: URL) throws(BulkRunnerError) -> RunIdentity {
        if let text = parsed.value("run-id") {
            guard text.count <= RunIdentity.maximumLength - 3 else {
                throw BulkRunnerError(code: .invalidOption, field: "--run-id", reason: "the run identity has \(text.count) characters",
                                      hint: "use at most \(RunIdentity.maximumLength - 3) (apply adds .w2 for its second wave)")
            }
            return try RunIdentity(text)
        }
        let day = ISO8601DateFormatter.string(from: Date(), timeZone: TimeZone(identifier: "UTC")!, formatOptions: [.withFullDate])
        return RunIdentity.derived(from: "\(sheet.standardizedFileURL.path)|apply|\(day)")
    }

    /// The embedded emulator: the account `export --emulator` lists (the same seed plan).
    ///
    /// Each process seeds its emulator from "now", so a sheet exported with `--emulator` carries
    /// the LastModifiedDates of that process's world. To check the sheet against the same world,
    /// the emulator is seeded as of the moment the export's was: read from the sheet by comparing
    /// its LastModifiedDates with those of a world seeded at a known moment (two rows must agree).
    /// It is then as if the emulator had kept running since the export. A sheet from elsewhere
    /// gets a world seeded as of the start of today (UTC).
    static func demoEmulator(for sheet: URL, csv: CSVReader.Options) async -> CatalogEmulator {
        var configuration = EmulatorConfiguration()
        configuration.seeding = SeedPlan(resaleAuthorizations: 250, offers: 150)
        configuration.seeding.namedProducts = NamedProduct.samples
        let probeMoment = (Date().timeIntervalSince1970 / 86_400).rounded(.down) * 86_400
        let probe = CatalogEmulator(configuration: configuration, clock: ShiftedClock(startingAt: probeMoment))
        var moments: [Double] = []
        if let reader = try? ExportSheetReader(path: sheet.path, options: csv) {
            while moments.count < 2, let row = try? reader.next() {
                guard !row.entityId.isEmpty, let exported = ISO8601DateFormatter().date(from: row.lastModifiedDate),
                      let described = try? await probe.describeEntity(DescribeEntityRequest(entityId: row.entityId)),
                      let text = described.lastModifiedDate, let seeded = ISO8601DateFormatter().date(from: text) else { continue }
                moments.append(probeMoment + exported.timeIntervalSince(seeded))
            }
        }
        let moment = moments.count == 2 && moments[0] == moments[1] ? moments[0] : probeMoment
        return CatalogEmulator(configuration: configuration, clock: ShiftedClock(startingAt: moment))
    }

    /// The first lines: what the sheet asks for and what the check found.
    static func describe(_ plan: ApplyPlan, out: JobOutput, sheet: String) {
        let s = plan.summary
        var parts = ["\(s.rows) row\(s.rows == 1 ? "" : "s") of \(plan.sheet.kind)", "\(s.marked) marked"]
        if s.planned > 0 { parts.append("\(s.planned) to send" + (s.regrants > 0 ? " (\(s.regrants) re-grant\(s.regrants == 1 ? "" : "s") in two steps)" : "")) }
        if s.stale > 0 { parts.append("\(s.stale) STALE") }
        if s.invalid > 0 { parts.append("\(s.invalid) INVALID") }
        if s.unchecked > 0 { parts.append("\(s.unchecked) not checked (FAILED)") }
        parts.append("\(s.skipped) SKIPPED")
        out.info("\(sheet): " + parts.joined(separator: ", "))
        var shown = 0
        for row in plan.rows {
            guard case .decided(let result) = row.disposition, [.invalid, .stale, .failed].contains(result.outcome) else { continue }
            shown += 1
            if shown > 10 {
                out.info("  … and more: see ErrorMessage in the results file")
                break
            }
            out.info("  line \(row.line): \(result.outcome.rawValue) \(result.errorCode ?? ""): \(result.errorMessage ?? "")")
        }
    }

    /// The change sets a dry run would send, as the job commands print them: one JSON
    /// request per line on standard output, what each carries on standard error.
    static func printChangeSets(_ plan: ApplyPlan, context: CLIContext, out: JobOutput) {
        let stdout = context.stdout
        let lines = Dictionary(uniqueKeysWithValues: plan.rows.map { ($0.rowIndex, $0.line) })
        for set in plan.firstWave {
            out.plannedChangeSet(number: set.sequenceNumber, name: set.changeSetName, lines: set.rows.map(\.line),
                                 token: set.clientRequestToken, note: "wave 1")
            stdout.line(set.compactJSON)
            if stdout.isTerminal { stdout.flush() }
        }
        for (row, set) in plan.secondWave.sorted(by: { $0.value.sequenceNumber < $1.value.sequenceNumber }) {
            out.plannedChangeSet(number: set.sequenceNumber, name: set.changeSetName, lines: [lines[row] ?? 0],
                                 token: set.clientRequestToken,
                                 note: "wave 2, sent only when line \(lines[row] ?? 0)'s first step SUCCEEDED")
            stdout.line(set.compactJSON)
            if stdout.isTerminal { stdout.flush() }
        }
    }

    /// The closing summary: counts that add up to the sheet's rows, top errors, next steps.
    static func printSummary(_ summary: ApplySummary, results: String, sheet: String, out: JobOutput) {
        var lines: [String] = [""]
        lines.append("\(summary.total) row\(summary.total == 1 ? "" : "s") in \(clock(summary.elapsed)):")
        for (count, name) in [(summary.succeeded, "SUCCEEDED"), (summary.failed, "FAILED"), (summary.invalid, "INVALID"),
                              (summary.stale, "STALE"), (summary.pending, "PENDING"), (summary.cancelled, "CANCELLED"),
                              (summary.skipped, "SKIPPED")] where count > 0 || ["SUCCEEDED", "SKIPPED"].contains(name) {
            lines.append("  " + String(count).leftPadded(7) + "  " + name)
        }
        if !summary.topErrors.isEmpty {
            lines.append("Top errors:")
            for error in summary.topErrors { lines.append("  " + String(error.rows).leftPadded(7) + "  " + error.code) }
        }
        if summary.throttles > 0 || summary.splits > 0 {
            lines.append("Along the way: \(Plural.count(summary.changeSetsAccepted, "change set")) accepted, \(summary.splits) split to isolate a bad row, \(Plural.count(summary.throttles, "throttle")).")
        }
        lines.append("Results: \(results)")
        var next: [String] = []
        if summary.stale > 0 {
            next.append("STALE rows changed since the export and were not applied: export again and mark them anew, or apply with --force.")
        }
        if summary.invalid > 0 || summary.failed > 0 || summary.cancelled > 0 {
            next.append("INVALID, FAILED and CANCELLED rows: ErrorMessage says why; fix them in \(results) and `bulkrunner apply \(results) --output NEW.csv` (SUCCEEDED rows are skipped).")
        }
        if summary.pending > 0 {
            next.append("PENDING rows are not final yet: run the same command again to follow them (nothing is sent twice).")
        }
        switch summary.stopReason {
        case .stopped, .aborted: next.append("The run was interrupted: run the same command again to resume.")
        case .halted(let reason): next.append("Sending stopped: \(reason)")
        default: break
        }
        if next.isEmpty { next.append("Every marked row is done.") }
        lines.append("Next:")
        lines.append(contentsOf: next.map { "  - " + $0 })
        for line in lines { out.info(line) }
    }

    private static func clock(_ seconds: Double) -> String { elapsedClock(seconds) }

    private static func iso(_ date: Date) -> String {
        ISO8601DateFormatter.string(from: date, timeZone: TimeZone(identifier: "UTC")!, formatOptions: [.withInternetDateTime])
    }

    private static func relative(_ url: URL, _ context: CLIContext) -> String { context.displayPath(url) }
}

/// The real clock shifted so that it reads `startingAt` when it is made, then runs at the real
/// pace: what the embedded demo emulator seeds its world from (see ``ApplyCommand/demoEmulator(for:csv:)``).
struct ShiftedClock: TimeSource {
    let offset: TimeInterval

    init(startingAt moment: TimeInterval) {
        offset = Date().timeIntervalSince1970 - moment
    }

    func now() -> Date { Date().addingTimeInterval(-offset) }

    func sleep(until deadline: Date) async throws {
        try await SystemTimeSource().sleep(until: deadline.addingTimeInterval(offset))
    }
}
