import BulkRunner
import CSVKit
import CatalogClient
import CatalogEmulator
import CatalogModels
import Clocks
import Foundation

/// One bulk job as the command line describes it: input, template, options.
///
/// `run`, `grant`, `restrict`, `retry` and `status` all become a `Job` and call ``execute(context:)``,
/// so they share validation, planning, the engine, progress, the summary and exit statuses.
struct Job {
    /// The options every job command accepts (besides the connection options).
    static let options: [CommandSpec.Option] = [
        .value("output", "FILE", short: "o", help: "The results file (default: INPUT.results.csv beside the input)."),
        .repeated("set", "NAME=VALUE", help: "A constant for {{NAME}} in the template (wins over a column of that name)."),
        .flag("dry-run", help: "Check every row and print the change sets that would be sent, one JSON request per line; call nothing."),
        .value("plan-dir", "DIR", help: "With --dry-run: write each change set to DIR as a pretty-printed JSON file (and changesets.csv) instead."),
        .flag("strict", help: "Send nothing when any row is INVALID: the valid rows are written NOT_SENT, and `retry` sends them once the INVALID ones are fixed."),
        .value("rows-per-change-set", "N", help: "Rows per change set (default: as many as fit in 20 changes)."),
        .repeated("rate", "OPERATION=N", help: "Calls per second for an operation, below its quota (e.g. StartChangeSet=2)."),
        .value("wait-timeout", "SECONDS", help: "Stop waiting once SECONDS pass with no change set sent or finished: open ones go on at the service (nothing is cancelled), their rows are written PENDING, and `status` follows them later."),
        .value("encoding", "E", help: "Input encoding: utf-8, utf-16, windows-1252 (default: detected)."),
        .value("delimiter", "C", help: "Input delimiter: , ; tab | (default: detected)."),
        .value("run-id", "ID", help: "The run identity in tokens and change-set names (default: the journal's, or derived)."),
        .flag("emulator", help: "Run against the embedded Catalog emulator: no AWS account or credentials needed."),
        .flag("quiet", short: "q", help: "No progress, notices or summary: only errors (a dry run still prints its change sets)."),
        .value("log-format", "FORMAT", help: "`text` (default) or `json`: one JSON event per line on standard error."),
    ]

    /// What help says of a dry run's output.
    static let dryRunHelp = """
        --dry-run prints one StartChangeSet request per change set on standard output, each on one
        line (JSON Lines), exactly as it would be sent: pipe it to `jq .` to read it. Which input
        lines each set carries, and its token, go to standard error; --plan-dir DIR writes one
        pretty-printed file per change set instead.
        """

    var input: URL
    var inputArgument: String
    var templateArgument: String
    var parsed: ParsedArguments
    /// Rows of an earlier results file with these outcomes are not sent again (`run`, `grant`
    /// and `restrict` decide again in ``execute(context:)``: see ``earlierResults(_:context:)``).
    var skipOutcomes: Set<RowOutcome> = [.succeeded, .skipped]
    /// The template the command uses without --template (`grant`, `restrict`); `nil` for `run`.
    var defaultTemplate: String?
    /// Whether new change sets are sent (false for `status`).
    var sendsChangeSets = true
    /// Whether the results may replace the input file (a results file refreshed in place).
    var writesInPlace = false
    /// Constants of the earlier run (`retry`, `status`); `--set` wins over them.
    var inheritedConstants: [String: String] = [:]
    /// `retry`/`status`: the earlier run's `--rows-per-change-set` (its packing decides the tokens).
    var inheritedRowsPerChangeSet: Int?
    /// The command, for messages (`grant`, `restrict`, `run`, `retry`, `status`).
    var commandName = "run"
    /// `retry`: a new run over a results file (a new identity; the earlier journal is archived).
    var isRetry = false

    /// The results file: `INPUT.results.csv` (a dry run: `INPUT.plan.csv`, so it never
    /// replaces the results of a real run).
    func outputURL(context: CLIContext) -> URL {
        if let output = parsed.value("output") { return context.resolve(output) }
        let dryRun = parsed.flag("dry-run")
        if writesInPlace && !dryRun { return input }
        var base = input.deletingPathExtension().lastPathComponent
        let ext = input.pathExtension.isEmpty ? "csv" : input.pathExtension
        if base.hasSuffix(".results") { base = String(base.dropLast(".results".count)) }
        return input.deletingLastPathComponent().appendingPathComponent("\(base).\(dryRun ? "plan" : "results").\(ext)")
    }

    /// Runs the job and returns the exit status.
    func execute(context: CLIContext) async throws -> Int32 {
        let out = JobOutput(context: context, quiet: parsed.flag("quiet"), json: try logFormatIsJSON())
        guard FileManager.default.isReadableFile(atPath: input.path) else {
            var isDirectory: ObjCBool = false
            let exists = FileManager.default.fileExists(atPath: input.path, isDirectory: &isDirectory)
            out.error("\(inputArgument): " + (exists ? (isDirectory.boolValue ? "is a folder, not a CSV file" : "cannot be read (permissions)")
                                                        : "no such file") + "; check the path")
            return ExitStatus.noInput
        }
        if isRetry || !sendsChangeSets, plannedRows() > 0 {
            // A dry run's INPUT.plan.csv: its rows were never sent by it, but the real run (with its
            // own results and journal) may have sent them: retrying it would send them again.
            out.error("\(inputArgument) is a dry run's plan (its rows are PLANNED), not the results of a run: \(commandName) "
                      + "works on the results file a real run wrote (INPUT.results.csv, beside its journal). "
                      + "To send the plan, run the original command without --dry-run.")
            return ExitStatus.usage
        }
        if let action = try actionColumn() {
            out.error("\(inputArgument) has an \"\(action)\" column: it is an exported sheet whose rows are performed only where marked. "
                      + "Use `bulkrunner apply \(inputArgument)` to perform the marked rows; \(commandName) would act on every row. "
                      + "(To run a template over every row, remove the \(action) column.)")
            return ExitStatus.usage
        }
        let template: Template
        do {
            template = try Template.load(templateArgument, relativeTo: context.currentDirectory)
        } catch {
            out.error(error.description)
            return error.exitStatus
        }
        // An earlier results file as input: are its done rows skipped, or new work for this template?
        var skipOutcomes = skipOutcomes
        var skipNote: ((Int) -> String)?
        if !writesInPlace {
            let decision = earlierResults(template, context: context)
            if decision.newWork {
                skipOutcomes = []
                if let note = decision.note { out.info(note(0)) }
            } else {
                skipNote = decision.note
            }
        }
        let output = outputURL(context: context)
        if !writesInPlace {
            do { try ResultsWriter.checkOutput(output, isNot: input) } catch {
                if parsed.value("output") == nil, hasOutcomeColumn() {
                    // A results file fed back to the command that wrote it: retry is the way.
                    out.error("\(inputArgument) is a results file: `bulkrunner retry \(shellWord(inputArgument))` sends its rows that are "
                              + "not done and updates it in place; to use it as the input of a new run, give --output FILE")
                    return ExitStatus.usage
                }
                out.error(error.description)
                return error.exitStatus
            }
        }
        // The results file must be writable before anything is sent, or outcomes would be stranded.
        var isFolder: ObjCBool = false
        if FileManager.default.fileExists(atPath: output.path, isDirectory: &isFolder), isFolder.boolValue {
            out.error("\(relative(output, context)) is a folder: give --output a file name, e.g. \(relative(output, context))/results.csv")
            return ExitStatus.cannotCreate
        }
        let outputFolder = output.deletingLastPathComponent().path
        if !FileManager.default.isWritableFile(atPath: outputFolder) {
            out.error("\(relative(output, context)): cannot write in \(outputFolder) (missing folder or permissions); choose another --output")
            return ExitStatus.cannotCreate
        }
        let constants = try parseConstants()
        var planOptions = PlanOptions(clock: SystemTimeSource())
        planOptions.strict = parsed.flag("strict")
        planOptions.skipRowsWithOutcomes = skipOutcomes
        planOptions.csv = try InspectCommand.readerOptions(parsed, spec: CommandSpec(path: ["run"], summary: ""))
        planOptions.rowsPerChangeSet = inheritedRowsPerChangeSet
        if let text = parsed.value("rows-per-change-set") {
            guard let n = Int(text), (1...20).contains(n) else {
                throw UsageError("--rows-per-change-set '\(text)' must be a whole number from 1 to 20")
            }
            planOptions.rowsPerChangeSet = n
        }
        let useEmulator = parsed.flag("emulator")
        if useEmulator, parsed.value("endpoint-url") != nil || parsed.value("profile") != nil {
            throw UsageError("--emulator runs without AWS: it cannot be combined with --endpoint-url or --profile")
        }
        if parsed.value("plan-dir") != nil && !parsed.flag("dry-run") {
            throw UsageError("--plan-dir goes with --dry-run (a real run writes the results file and its journal)")
        }
        let runOptions = try makeRunOptions()

        // The journal beside the results file: it holds the run identity of an interrupted run.
        // `status` follows the earlier run's, beside the results file it was given, wherever
        // --output writes; `retry` checks that one for open change sets too.
        let earlierJournal = URL(fileURLWithPath: input.path + ".journal")
        let journalURL = sendsChangeSets ? URL(fileURLWithPath: output.path + ".journal") : earlierJournal
        // One process at a time per results file and its journal: a second would share the journal.
        let resultsLock: ResultsLock?
        do {
            let results = URL(fileURLWithPath: String(journalURL.path.dropLast(".journal".count)))
            resultsLock = parsed.flag("dry-run") ? nil : try ResultsLock.acquire(besideResults: results)
        } catch {
            out.error(error.description)
            return error.exitStatus
        }
        defer { resultsLock?.release() }
        if !sendsChangeSets {
            if useEmulator {
                throw UsageError("status --emulator has nothing to check: the embedded emulator keeps nothing between runs; "
                                 + "run the original command again with --emulator instead")
            }
            guard FileManager.default.fileExists(atPath: earlierJournal.path) else {
                out.error("\(relative(earlierJournal, context)): no such file. `status` follows the change sets an earlier run "
                          + "recorded in this journal beside its results file, and there is none (was the results file copied "
                          + "or moved without it?); nothing was changed. `bulkrunner retry \(shellWord(inputArgument))` sends the rows "
                          + "that are not done, looking up first what an earlier change set may have created")
                return ExitStatus.noInput
            }
        }
        let identity: RunIdentity
        for journal in Set([journalURL, earlierJournal]) where isRetry && FileManager.default.fileExists(atPath: journal.path) {
            do {
                let open = try Self.unfinishedChangeSets(FileJournal(url: journal).load())
                if open > 0 {
                    out.error("\(open) change set\(open == 1 ? "" : "s") of the earlier run \(open == 1 ? "is" : "are") still open or of unknown fate: "
                              + "run `bulkrunner status \(inputArgument)` first (it follows them to the end, sending nothing new), then retry")
                    return ExitStatus.someRowsNotDone
                }
            } catch {
                out.error(error.description)
                return error.exitStatus
            }
        }
        if isRetry && !parsed.flag("dry-run") && FileManager.default.fileExists(atPath: journalURL.path) {
            var n = 1
            while FileManager.default.fileExists(atPath: journalURL.path + ".\(n)") { n += 1 }
            guard rename(journalURL.path, journalURL.path + ".\(n)") == 0 else {
                out.error("\(journalURL.path): cannot archive the earlier journal; check permissions")
                return ExitStatus.cannotCreate
            }
            out.info("earlier journal kept as \(journalURL.lastPathComponent).\(n)")
        }
        do {
            identity = try runIdentity(template: template, journal: journalURL, emulator: useEmulator)
        } catch {
            out.error(error.description)
            return error.exitStatus
        }

        if parsed.flag("dry-run") {
            return try dryRun(template: template, constants: constants, planOptions: planOptions, identity: identity,
                              output: output, out: out, context: context, skipNote: skipNote)
        }

        // Pass 1: every row is read and checked before anything is sent.
        let plan: Plan
        do {
            plan = try Planner.analyze(input: input, template: template, constants: constants, options: planOptions,
                                       runIdentity: identity)
        } catch {
            out.error(error.description)
            return error.exitStatus
        }
        out.info(sendsChangeSets ? plan.summary.text.trimmingCharacters(in: .newlines)
                                  : Self.statusLine(plan.summary, journal: journalURL))
        if sendsChangeSets { plan.summary.details(file: relative(input, context)).forEach(out.info) }
        if let skipNote, plan.summary.skippedRows > 0 { out.info(skipNote(plan.summary.skippedRows)) }
        let earlier = JobRecord.read(besideResults: output)
        if useEmulator, FileManager.default.fileExists(atPath: journalURL.path), earlier?.emulator != true {
            out.error("\(relative(output, context)) holds a run against AWS (its journal is \(journalURL.lastPathComponent)); "
                      + "give the emulator run its own results file with --output")
            return ExitStatus.usage
        }
        if plan.summary.stoppedByStrict {
            do { try plan.writeDryRunResults(to: output) } catch { out.error(error.description); return error.exitStatus }
            JobRecord(template: templateReference(template, context: context), constants: constants,
                      emulator: useEmulator, rowsPerChangeSet: planOptions.rowsPerChangeSet).write(besideResults: output)
            let results = relative(output, context)
            out.error("--strict: \(Plural.count(plan.summary.invalidRows, "row")) \(plan.summary.invalidRows == 1 ? "is" : "are") INVALID, so nothing was sent "
                      + "(the \(Plural.count(plan.summary.heldRows, "valid row")) \(plan.summary.heldRows == 1 ? "is" : "are") NOT_SENT); "
                      + "fix the INVALID cells in \(results), then `bulkrunner retry \(shellWord(results))` sends every row")
            return ExitStatus.someRowsNotDone
        }

        // The API: the embedded emulator, or the real service.
        let api: any CatalogAPI
        let journal: any JournalStore
        var target: String?
        if useEmulator {
            var configuration = EmulatorConfiguration()
            configuration.seeding = .demo
            api = CatalogEmulator(configuration: configuration, clock: SystemTimeSource())
            // The embedded emulator lives only as long as this process: a journal of an earlier
            // process would name change sets it never saw, so an emulator run starts afresh.
            try? FileManager.default.removeItem(at: journalURL)
            journal = FileJournal(url: journalURL)
            out.info("using the embedded Catalog emulator (nothing is sent to AWS)")
        } else {
            let connection = try Connection.client(parsed, context: context)
            // Credentials are resolved before anything is sent: without them every row would fail.
            do {
                _ = try await connection.credentials.credentials()
            } catch {
                out.error("\(error)")
                return ExitStatus.serviceError
            }
            // A results file (and its journal) belongs to the account it was run against: resuming
            // it elsewhere would skip rows as done that were done there.
            for url in [output, input] {
                if let recorded = JobRecord.read(besideResults: url)?.target, recorded != connection.target {
                    out.error("\(relative(url, context)) holds a run against \(recorded); this command goes to \(connection.target). "
                              + "To continue that run, use the same endpoint and profile; for a run against another account "
                              + "or endpoint, start from the input file and give it its own --output")
                    return ExitStatus.usage
                }
            }
            target = connection.target
            api = connection.client
            journal = FileJournal(url: journalURL)
        }

        // What `retry` and `status` need to rebuild this job later.
        JobRecord(template: templateReference(template, context: context), constants: constants,
                  emulator: useEmulator, rowsPerChangeSet: planOptions.rowsPerChangeSet, target: target).write(besideResults: output)

        let control = RunControl()
        let interrupts = InterruptHandler(control: control, out: out)
        interrupts.install()
        defer { interrupts.uninstall() }
        var options = runOptions
        options.sendsChangeSets = sendsChangeSets
        let run = BulkRun(api: api, clock: SystemTimeSource(), options: options, journal: journal, control: control,
                          onEvent: { out.event($0) })
        let report: RunReport
        do {
            // Rows of a results file fed back carry their earlier results to the engine
            // (PlanRunSource), which looks up their creates before sending them again.
            report = try await run.run(plan: plan)
        } catch {
            out.finishProgress()
            out.error(error.description)
            return error.exitStatus
        }
        out.finishProgress()
        do {
            if writesInPlace && output.standardizedFileURL.path == input.standardizedFileURL.path {
                // Refreshing a results file: write beside it, then rename over it (atomic).
                let temporary = TemporarySibling.url(for: output)
                try plan.writeRunResults(report, to: temporary)
                guard rename(temporary.path, output.path) == 0 else {
                    unlink(temporary.path)
                    out.error("\(output.path): cannot replace the results file (\(String(cString: strerror(errno)))); check permissions")
                    return ExitStatus.cannotCreate
                }
            } else {
                try plan.writeRunResults(report, to: output)
            }
        } catch {
            out.error(error.description)
            return error.exitStatus
        }
        if useEmulator { try? FileManager.default.removeItem(at: journalURL) }
        out.summary(report.summary, results: relative(output, context), command: rerunHint(context))
        if report.summary.allDone { return ExitStatus.success }
        if case .stopped = report.summary.stopReason { return ExitStatus.interrupted }
        if case .aborted = report.summary.stopReason { return ExitStatus.interrupted }
        return ExitStatus.someRowsNotDone
    }

    private func dryRun(template: Template, constants: [String: String], planOptions: PlanOptions, identity: RunIdentity,
                        output: URL, out: JobOutput, context: CLIContext, skipNote: ((Int) -> String)?) throws -> Int32 {
        let planOutput: DryRun.PlanOutput
        if let dir = parsed.value("plan-dir") {
            planOutput = .directory(context.resolve(dir))
        } else {
            // The change sets are what a dry run was asked for: printed even with --quiet,
            // which silences only progress and notices.
            // Standard output is pure JSON Lines (one request body per set, as it would be
            // sent), for jq and scripts; what each set carries goes to standard error.
            let stdout = context.stdout
            planOutput = .handler { set in
                out.plannedChangeSet(number: set.sequenceNumber, name: set.changeSetName, lines: set.rows.map(\.line),
                                     token: set.clientRequestToken)
                stdout.line(set.compactJSON)
                if stdout.isTerminal { stdout.flush() }
            }
        }
        do {
            let summary = try DryRun.plan(input: input, template: template, constants: constants, options: planOptions,
                                          runIdentity: identity, output: planOutput,
                                          results: writesInPlace && output.standardizedFileURL == input.standardizedFileURL ? nil : output)
            out.info(summary.text.trimmingCharacters(in: .newlines))
            summary.details(file: relative(input, context)).forEach(out.info)
            if let skipNote, summary.skippedRows > 0 { out.info(skipNote(summary.skippedRows)) }
            out.info("dry run: nothing was sent" + (writesInPlace && output.standardizedFileURL == input.standardizedFileURL
                ? "." : ". Results (PLANNED / INVALID per row): \(relative(output, context))"))
            return summary.exitStatus
        } catch {
            out.error(error.description)
            return error.exitStatus
        }
    }

    /// The run identity: the journal's (resuming), `--run-id`, or derived from the input and the template.
    private func runIdentity(template: Template, journal: URL, emulator: Bool) throws(BulkRunnerError) -> RunIdentity {
        if let text = parsed.value("run-id") { return try RunIdentity(text) }
        if !emulator, FileManager.default.fileExists(atPath: journal.path) {
            for record in try FileJournal(url: journal).load() {
                if case .run(let identity, _) = record { return try RunIdentity(identity) }
            }
        }
        // Stable for reruns of the same input and template on the same day (so a lost journal
        // still reuses tokens), new for a later run of the same file; a retry is a new run.
        var day = ISO8601DateFormatter.string(from: Date(), timeZone: TimeZone(identifier: "UTC")!, formatOptions: [.withFullDate])
        if isRetry { day += "|retry|" + ISO8601DateFormatter().string(from: Date()) }
        return RunIdentity.derived(from: "\(input.standardizedFileURL.path)|\(template.name)|\(template.source.count)|\(day)")
    }

    /// What `status` says before it checks: how many of the earlier run's change sets are
    /// still open (it sends nothing, so "planned" would be wrong).
    static func statusLine(_ summary: PlanSummary, journal: URL) -> String {
        let open = (try? unfinishedChangeSets(FileJournal(url: journal).load())) ?? 0
        var text = "\(Plural.count(summary.rows, "row")): "
            + (open == 0 ? "no change set of the earlier run is still open, so their outcomes are read from its journal"
                         : "\(Plural.count(open, "change set")) of the earlier run still open, checked with the service until final")
            + " (status sends nothing new)"
        if summary.invalidRows > 0 { text += "; \(summary.invalidRows) INVALID" }
        return text
    }

    /// Change sets a journal sent (or was about to send) whose fate it never recorded.
    static func unfinishedChangeSets(_ records: [JournalRecord]) -> Int {
        var sent = Set<String>(), settled = Set<String>()
        for record in records {
            switch record {
            case .send(let token, _, _, _, _, _): sent.insert(token)
            case .final(let token, _, _, _), .refused(let token, _, _): settled.insert(token)
            case .children(let parent, _, _): settled.insert(parent)
            default: break
            }
        }
        return sent.subtracting(settled).count
    }

    /// What to do with an earlier results file given as input (it has an Outcome column):
    /// - with its record (`RESULTS.csv.job`) naming this template: skip the rows already done
    ///   (a rerun); naming another: every row is new work (grant's results given to a restrict);
    /// - without a record: new work when this template creates nothing and is not the
    ///   command's own (`restrict … --template restrict-granted.json`); otherwise the done rows
    ///   are skipped — a grant is never sent twice — and `note` (given the number skipped) says
    ///   why and how to send them.
    func earlierResults(_ template: Template, context: CLIContext) -> (newWork: Bool, note: ((Int) -> String)?) {
        guard hasOutcomeColumn() else { return (false, nil) }
        let creates = template.createsEntities
        let recordName = JobRecord.url(besideResults: input).lastPathComponent
        if let record = JobRecord.read(besideResults: input) {
            let same = record.template == templateArgument
                || record.template == context.resolve(templateArgument).standardizedFileURL.path
            let other = URL(fileURLWithPath: record.template).lastPathComponent
            return same ? (false, nil)
                : (true, { _ in "\(inputArgument) holds the results of another template (\(other)): "
                    + "its rows are new work for \(templateArgument), and its outcome columns are replaced" })
        }
        let input = inputArgument, name = templateArgument
        if !creates && templateArgument != defaultTemplate {
            return (true, { _ in "\(input) is a results file with no record of the template that wrote it (no \(recordName)): "
                    + "its rows are new work for \(name), which creates nothing, and its outcome columns are replaced" })
        }
        return (false, { count in
            "\(Plural.count(count, "row")) SKIPPED: \(input) marks \(count == 1 ? "it" : "them") done (Outcome SUCCEEDED or SKIPPED) "
                + "and has no record (\(recordName)) of the template that wrote it, so \(name) may have done \(count == 1 ? "it" : "them") already"
                + (creates ? " (sending again would create a second entity)" : "")
                + ". If \(count == 1 ? "it is" : "they are") new work for \(name), delete the Outcome column "
                + "(or give a copy of the file without it) and run again."
        })
    }

    /// Whether the input has an Outcome column (it is an earlier results file).
    private func hasOutcomeColumn() -> Bool {
        guard let options = try? InspectCommand.readerOptions(parsed, spec: CommandSpec(path: ["run"], summary: "")),
              let reader = try? CSVReader(path: input.path, options: options) else { return false }
        return reader.header?.names.contains { RowResult.canonicalColumnName($0) == "Outcome" } ?? false
    }

    /// The number of rows whose Outcome is PLANNED (a dry run's plan file), 0 when none or no Outcome column.
    private func plannedRows() -> Int {
        guard let options = try? InspectCommand.readerOptions(parsed, spec: CommandSpec(path: ["run"], summary: "")),
              let reader = try? CSVReader(path: input.path, options: options),
              let column = reader.header?.names.firstIndex(where: { RowResult.canonicalColumnName($0) == "Outcome" }) else { return 0 }
        var planned = 0
        while let record = try? reader.next() {
            if column < record.fields.count, RowOutcome(cell: record.fields[column]) == .planned { planned += 1 }
        }
        return planned
    }

    /// The input's `Action` column, when it is an exported sheet (its rows act only where marked).
    private func actionColumn() throws -> String? {
        guard commandName != "apply" else { return nil }
        do {
            let reader = try CSVReader(path: input.path, options: try InspectCommand.readerOptions(parsed, spec: CommandSpec(path: ["run"], summary: "")))
            return reader.header?.names.first { $0.trimmingCharacters(in: .whitespaces).caseInsensitiveCompare("Action") == .orderedSame }
        } catch {
            return nil  // the planner reports a malformed file with its location
        }
    }

    /// How to find `template` again later: a built-in's name, or the file's absolute path.
    private func templateReference(_ template: Template, context: CLIContext) -> String {
        if BuiltInTemplate.named(templateArgument) != nil { return templateArgument }
        return context.resolve(templateArgument).standardizedFileURL.path
    }

    private func parseConstants() throws -> [String: String] {
        var constants: [String: String] = inheritedConstants
        for pair in parsed.all("set") {
            guard let eq = pair.firstIndex(of: "="), eq != pair.startIndex else {
                throw UsageError("--set '\(pair)' must be NAME=VALUE, e.g. --set CURRENCY=USD")
            }
            constants[String(pair[..<eq])] = String(pair[pair.index(after: eq)...])
        }
        return constants
    }

    private func makeRunOptions() throws -> RunOptions {
        var options = RunOptions()
        for rate in parsed.all("rate") {
            do { try options.setRate(rate) } catch { throw UsageError(error.reason + "; " + error.hint) }
        }
        if let text = parsed.value("wait-timeout") {
            guard let seconds = Double(text), seconds > 0 else {
                throw UsageError("--wait-timeout '\(text)' must be a number of seconds > 0")
            }
            options.waitTimeout = seconds
        }
        return options
    }

    private func logFormatIsJSON() throws -> Bool {
        switch parsed.value("log-format") ?? "text" {
        case "text": return false
        case "json": return true
        case let other: throw UsageError("--log-format '\(other)' is unknown; use text or json")
        }
    }

    private func relative(_ url: URL, _ context: CLIContext) -> String { context.displayPath(url) }

    private func rerunHint(_ context: CLIContext) -> String {
        "bulkrunner " + CommandLine.arguments.dropFirst().map { $0.contains(" ") ? "'\($0)'" : $0 }.joined(separator: " ")
    }
}
